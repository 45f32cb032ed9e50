"""The API under steady concurrent load, both backends in one run: 5xx count, memory, latency.

    python -m bench.soak [--clients 64] [--seconds 60]

Serves the bundled data with uvicorn (one process per backend; Neo4j from the local jars, as in
bench/api.py) and keeps `--clients` httpx clients busy for `--seconds`, each cycling through the
endpoints of bench/api.py. Reports every status other than 200, the API process's resident memory
after the warm-up and at the end, and requests/s, p50 and p95 per endpoint.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench import write_results
from bench.api import ENDPOINTS, on_each_backend

NAMES = list(ENDPOINTS)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def soak(base: str, pid: int, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` threads, each with its own connection, sending requests until the time is up."""
    times: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    with httpx.Client(timeout=60) as warm:  # every endpoint once, so start-up costs are not in the numbers
        for name in NAMES:
            method, path, data = ENDPOINTS[name](0)
            warm.request(method, f"{base}{path}", **({"params": data} if method == "GET" else {"json": data}))
    rss_start = rss_mb(pid)
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        with httpx.Client(timeout=60) as http:
            i = k
            while time.monotonic() < deadline:
                name = NAMES[i % len(NAMES)]
                method, path, data = ENDPOINTS[name](i)
                start = time.perf_counter()
                try:
                    response = http.request(
                        method, f"{base}{path}", **({"params": data} if method == "GET" else {"json": data})
                    )
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - start
                with lock:
                    statuses[status] += 1
                    if status == "200":
                        times[name].append(elapsed)
                i += clients

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    endpoints = {}
    for name in NAMES:
        done = sorted(times[name])
        endpoints[name] = {
            "requests": len(done),
            "requests_per_s": len(done) / wall,
            "p50_ms": 1000 * statistics.median(done) if done else float("nan"),
            "p95_ms": 1000 * done[int(0.95 * (len(done) - 1))] if done else float("nan"),
        }
    return {
        "seconds": wall,
        "requests_per_s": sum(statuses.values()) / wall,
        "statuses": dict(statuses),
        "server_errors": sum(n for s, n in statuses.items() if not s.isdigit() or int(s) >= 500),
        "rss_start_mb": rss_start,
        "rss_end_mb": rss_mb(pid),
        "endpoints": endpoints,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    results: dict[str, Any] = {"clients": args.clients, "seconds": args.seconds}
    results.update(on_each_backend(lambda base, pid: soak(base, pid, args.clients, args.seconds)))
    report(results)


def report(results: dict[str, Any]) -> None:
    console = Console(width=140)
    for backend in ("memory", "neo4j"):
        r = results[backend]
        console.print(
            f"{backend}: {r['requests_per_s']:,.1f} requests/s over {r['seconds']:.0f} s, "
            f"statuses {r['statuses']}, 5xx or failed: {r['server_errors']}, "
            f"API RSS {r['rss_start_mb']:,.0f} → {r['rss_end_mb']:,.0f} MB"
        )
    table = Table(title=f"API under {results['clients']} concurrent clients for {results['seconds']:g} s")
    for column in ("endpoint", "backend", "requests/s", "p50 ms", "p95 ms"):
        table.add_column(column, justify="right")
    for name in NAMES:
        for backend in ("memory", "neo4j"):
            e = results[backend]["endpoints"][name]
            table.add_row(name, backend, f"{e['requests_per_s']:,.1f}", f"{e['p50_ms']:,.0f}", f"{e['p95_ms']:,.0f}")
    console.print(table)
    console.print(f"written {write_results('soak', results)}")


if __name__ == "__main__":
    main()
