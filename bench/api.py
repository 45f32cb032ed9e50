"""Requests per second and latency of GET /v1/routes on both backends, over loopback.

    python -m bench.api [--requests 400] [--concurrency 8]

Serves the bundled data with uvicorn (one process per backend; Neo4j from the local jars), and
drives it with a bounded pool of httpx clients. The machine is shared: compare the backends.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from graph import neo4j_server
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from loaders import default_data_dir, load_paths

RESULTS = Path(__file__).parent / "results"
QUERIES = [("H100", "Xinjiang"), ("H200", "Xinjiang"), ("A100", "Hami"), ("H20", "CN")]


def serve(backend: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = neo4j_server.free_port()
    process = subprocess.Popen(  # noqa: S603 - our console script, fixed arguments
        [str(Path(sys.executable).parent / "chiptrail"), "serve", "--port", str(port), "--backend", backend],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"the {backend} API did not become ready")


def drive(base: str, requests: int, concurrency: int) -> dict[str, float]:
    def one(i: int) -> float:
        chip, region = QUERIES[i % len(QUERIES)]
        start = time.perf_counter()
        response = client.get(f"{base}/v1/routes", params={"chip": chip, "region": region, "as_of": "2026-01-01"})
        response.raise_for_status()
        return time.perf_counter() - start

    with httpx.Client(timeout=60) as client:
        for i in range(len(QUERIES)):  # warm up
            one(i)
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            times = sorted(pool.map(one, range(requests)))
        elapsed = time.perf_counter() - start
    return {
        "requests_per_s": requests / elapsed,
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    process, base = serve("memory", {})
    try:
        results["memory"] = drive(base, args.requests, args.concurrency)
    finally:
        process.terminate()
    with tempfile.TemporaryDirectory() as home:
        config = neo4j_server.ServerConfig(Path(home), neo4j_server.free_port(), neo4j_server.free_port())
        password = secrets.token_urlsafe(16)
        neo4j_server.start(config, password)
        try:
            store = Neo4jStore(Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password)))
            store.load(load_paths([default_data_dir()]))
            store.close()
            process, base = serve("neo4j", {"NEO4J_URI": config.bolt_uri, "NEO4J_PASSWORD": password})
            try:
                results["neo4j"] = drive(base, args.requests, args.concurrency)
            finally:
                process.terminate()
        finally:
            neo4j_server.stop(config)
    report(results, args)


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    table = Table(title=f"GET /v1/routes, {args.requests} requests, {args.concurrency} concurrent (bundled data)")
    for column in ("backend", "requests/s", "p50 ms", "p95 ms"):
        table.add_column(column, justify="right")
    for backend, r in results.items():
        table.add_row(backend, f"{r['requests_per_s']:,.1f}", f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}")
    Console(width=120).print(table)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"api-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2))
    Console().print(f"written {path}")


if __name__ == "__main__":
    main()
