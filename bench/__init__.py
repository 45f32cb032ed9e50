"""Benchmarks (not tests): load throughput, query latency, memory."""
