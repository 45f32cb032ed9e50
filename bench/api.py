"""Requests per second and latency of the API on both backends, over loopback.

    python -m bench.api [--requests 400] [--policy-requests 40] [--concurrency 8]

GET /v1/routes (--requests), and the heavier policy answers (--policy-requests each): screened
routes, exposure, chokepoints and a what-if.

Serves the bundled data with uvicorn (one process per backend; Neo4j from the local jars), and
drives it with a bounded pool of httpx clients. The machine is shared: compare the backends.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from bench import write_results
from graph import neo4j_server
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from loaders import BUNDLED_DATA, load_paths

QUERIES = [("H100", "Xinjiang"), ("H200", "Xinjiang"), ("A100", "Hami"), ("H20", "CN")]
DAY = {"as_of": "2026-01-01"}
OVERLAY = {"name": "affiliates off", "affiliates": False}
Call = tuple[str, str, dict[str, Any]]  # method, path, params or JSON body


def routes_call(i: int, screen: bool = False) -> Call:
    chip, region = QUERIES[i % len(QUERIES)]
    params = {"chip": chip, "region": region, **DAY, **({"screen": "true"} if screen else {})}
    return "GET", "/v1/routes", params


ENDPOINTS: dict[str, Any] = {
    "routes": routes_call,
    "routes screen=true": lambda i: routes_call(i, screen=True),
    "exposure": lambda i: ("GET", "/v1/exposure", {"region": "Xinjiang", **DAY}),
    "chokepoints": lambda i: ("GET", "/v1/chokepoints", {"region": "Xinjiang", **DAY}),
    "whatif": lambda i: ("POST", "/v1/whatif", {"region": "Xinjiang", **DAY, "overlay": OVERLAY}),
}


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


def drive(base: str, call: Any, requests: int, concurrency: int) -> dict[str, float]:
    def one(i: int) -> float:
        method, path, data = call(i)
        start = time.perf_counter()
        if method == "GET":
            response = client.get(f"{base}{path}", params=data)
        else:
            response = client.post(f"{base}{path}", json=data)
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


def drive_all(base: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    return {
        name: drive(base, call, args.requests if name == "routes" else args.policy_requests, args.concurrency)
        for name, call in ENDPOINTS.items()
    }


def on_each_backend(drive: Callable[[str, int], Any]) -> dict[str, Any]:
    """`drive(base_url, api_pid)` against the API served from the embedded store, then from a Neo4j
    started for the run and loaded with the bundled data; results by backend."""
    results: dict[str, Any] = {}
    process, base = serve("memory", {})
    try:
        results["memory"] = drive(base, process.pid)
    finally:
        process.terminate()
    with tempfile.TemporaryDirectory() as home:
        config = neo4j_server.ServerConfig(Path(home), neo4j_server.free_port(), neo4j_server.free_port())
        password = secrets.token_urlsafe(16)
        neo4j_server.start(config, password)
        try:
            store = Neo4jStore.connect(Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password)))
            store.load(load_paths([BUNDLED_DATA]))
            store.close()
            process, base = serve("neo4j", {"NEO4J_URI": config.bolt_uri, "NEO4J_PASSWORD": password})
            try:
                results["neo4j"] = drive(base, process.pid)
            finally:
                process.terminate()
        finally:
            neo4j_server.stop(config)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--policy-requests", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    report(on_each_backend(lambda base, _pid: drive_all(base, args)), args)


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    title = (
        f"API on bundled data, {args.concurrency} concurrent "
        f"({args.requests} routes requests, {args.policy_requests} of each other)"
    )
    table = Table(title=title)
    for column in ("endpoint", "backend", "requests/s", "p50 ms", "p95 ms", "memory ÷ Neo4j requests/s"):
        table.add_column(column, justify="right")
    for name in ENDPOINTS:
        for backend, by_endpoint in results.items():
            r = by_endpoint[name]
            ratio = ""
            if backend == "memory" and "neo4j" in results:
                ratio = f"{r['requests_per_s'] / results['neo4j'][name]['requests_per_s']:.1f}×"
            table.add_row(
                name, backend, f"{r['requests_per_s']:,.1f}", f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", ratio
            )
    Console(width=140).print(table)
    Console().print(f"written {write_results('api', results)}")


if __name__ == "__main__":
    main()
