"""Requests per second and latency of the API on both backends, over loopback, driven by wrk.

    python -m bench.api [--seconds 5] [--connections 8,64] [--workers 1,2] [--memory-only]

GET /healthz (the framework's ceiling), GET /v1/routes (four chip/region pairs in turn), GET
/v1/exposure and GET /v1/chokepoints, each at every --connections, on the API served from the
embedded store (at every --workers) and from a Neo4j started for the run and loaded with the
bundled data. Each answer twice: asked again on unchanged data (answered from the answers kept per
data version, api/http/cache.py) and with `Cache-Control: no-cache` (computed for every request).
The load comes from wrk (Debian's `wrk`, a C load generator: `apt-get install -y wrk`), one
thread, so that the client never saturates before the server; access logs are off.
The machine is shared: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from bench import write_results
from graph import neo4j_server
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from loaders import BUNDLED_DATA, load_paths
from ontology.errors import BackendUnavailable

QUERIES = [("H100", "Xinjiang"), ("H200", "Xinjiang"), ("A100", "Hami"), ("H20", "CN")]
DAY = {"as_of": "2026-01-01"}
OVERLAY = {"name": "affiliates off", "affiliates": False}
Call = tuple[str, str, dict[str, Any]]  # method, path, params or JSON body
INSTALL_WRK = "apt-get install -y wrk"


def routes_call(i: int, screen: bool = False) -> Call:
    chip, region = QUERIES[i % len(QUERIES)]
    params = {"chip": chip, "region": region, **DAY, **({"screen": "true"} if screen else {})}
    return "GET", "/v1/routes", params


# Every answer the soak test (bench/soak.py) cycles through.
ENDPOINTS: dict[str, Any] = {
    "routes": routes_call,
    "routes screen=true": lambda i: routes_call(i, screen=True),
    "exposure": lambda i: ("GET", "/v1/exposure", {"region": "Xinjiang", **DAY}),
    "chokepoints": lambda i: ("GET", "/v1/chokepoints", {"region": "Xinjiang", **DAY}),
    "whatif": lambda i: ("POST", "/v1/whatif", {"region": "Xinjiang", **DAY, "overlay": OVERLAY}),
}
# What wrk drives: the framework's ceiling, the headline answer and two heavier ones.
MEASURED: dict[str, Callable[[int], Call]] = {
    "healthz": lambda i: ("GET", "/healthz", {}),
    "routes": routes_call,
    "exposure": ENDPOINTS["exposure"],
    "chokepoints": ENDPOINTS["chokepoints"],
}
FRESH = "(no-cache)"  # the row of an answer computed for every request
ROWS = [row for name in MEASURED for row in (name, f"{name} {FRESH}") if row != f"healthz {FRESH}"]

# Cycles through the request paths given in PATHS; prints the summary as one JSON line.
WRK_SCRIPT = """
local paths = {%s}
local i = 0
local headers = {%s}
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, "non_2xx": %%d, '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def wrk_path() -> str:
    """The wrk binary, or exit with the one command that installs it."""
    found = shutil.which("wrk")
    if found is None:
        sys.exit(f"bench/api.py drives the API with wrk; install it (as root): {INSTALL_WRK}")
    return found


def serve(
    backend: str, env: dict[str, str], workers: int = 1, access_log: bool = True
) -> tuple[subprocess.Popen[bytes], str]:
    port = neo4j_server.free_port()
    command = [str(Path(sys.executable).parent / "chiptrail"), "serve", "--port", str(port), "--backend", backend]
    command += ["--workers", str(workers), *([] if access_log else ["--no-access-log"])]
    process = subprocess.Popen(  # noqa: S603 - our console script, fixed arguments
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its workers are ended with it
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop(process)
    raise RuntimeError(f"the {backend} API did not become ready")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server and its worker processes."""
    os.killpg(process.pid, 15)
    process.wait(timeout=30)


def _ready(base: str, workers: int) -> None:
    """One worker answers /readyz as soon as its store is loaded; give the others the same time again."""
    if workers > 1:
        start = time.perf_counter()
        httpx.get(f"{base}/readyz", timeout=60).raise_for_status()
        time.sleep(max(10.0, 2 * (time.perf_counter() - start)))


def paths_of(call: Callable[[int], Call]) -> list[str]:
    """The distinct request paths (with query strings) a call cycles through."""
    found = []
    for i in range(len(QUERIES)):
        _, path, params = call(i)
        url = f"{path}?{urlencode(params)}" if params else path
        if url not in found:
            found.append(url)
    return found


def wrk(
    base: str, paths: list[str], connections: int, seconds: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """One wrk run: requests per second and latency percentiles over `paths` in turn, each request
    sending `headers`."""
    try:
        with httpx.Client(timeout=60) as client:
            for path in paths:  # warm up, and give up early on an error status
                client.get(f"{base}{path}").raise_for_status()
    except httpx.HTTPError as exc:  # reported as a row without figures; the other rows still count
        Console(stderr=True).print(f"{base}: {exc}")
        nan = float("nan")
        return {"requests_per_s": nan, "p50_ms": nan, "p95_ms": nan, "p99_ms": nan, "errors": nan}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        lua_headers = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items())
        script.write(WRK_SCRIPT % (", ".join(json.dumps(p) for p in paths), lua_headers))
    try:
        command = [wrk_path(), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script.name, base]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    finally:
        os.unlink(script.name)
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    found = json.loads(line.removeprefix("RESULT "))
    seconds_run = found["duration_us"] / 1e6
    return {
        "requests_per_s": found["requests"] / seconds_run,
        "p50_ms": found["p50_us"] / 1000,
        "p95_ms": found["p95_us"] / 1000,
        "p99_ms": found["p99_us"] / 1000,
        "errors": found["errors"] + found["non_2xx"],
    }


def drive_all(base: str, args: argparse.Namespace) -> dict[str, dict[str, dict[str, float]]]:
    """Every measured endpoint at every connection count: {endpoint: {connections: figures}}. Each answer
    twice: asked again on unchanged data (kept per data version: api/http/cache.py), and computed
    afresh for every request (`Cache-Control: no-cache`)."""
    driven: dict[str, dict[str, dict[str, float]]] = {}
    for name, call in MEASURED.items():
        for label, headers in ((name, None), (f"{name} {FRESH}", {"Cache-Control": "no-cache"})):
            if name == "healthz" and headers:
                continue
            driven[label] = {str(c): wrk(base, paths_of(call), c, args.seconds, headers) for c in args.connections}
    return driven


@contextmanager
def neo4j_loaded() -> Iterator[dict[str, str]]:
    """A Neo4j started for the run from the local jars (or the one at NEO4J_URI, if set), loaded with the
    bundled data: its environment."""
    if os.environ.get("NEO4J_URI"):
        store = Neo4jStore.connect(Neo4jSettings())
        store.load(load_paths([BUNDLED_DATA]))
        store.close()
        yield {}
        return
    with tempfile.TemporaryDirectory() as home:
        config = neo4j_server.ServerConfig(Path(home), neo4j_server.free_port(), neo4j_server.free_port())
        password = secrets.token_urlsafe(16)
        neo4j_server.start(config, password)
        try:
            store = Neo4jStore.connect(Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password)))
            store.load(load_paths([BUNDLED_DATA]))
            store.close()
            yield {"NEO4J_URI": config.bolt_uri, "NEO4J_PASSWORD": password}
        finally:
            neo4j_server.stop(config)


def on_each_backend(
    drive: Callable[[str, int], Any], *, workers: tuple[int, ...] = (1,), access_log: bool = True
) -> dict[str, Any]:
    """`drive(base_url, api_pid)` against the API served from the embedded store (once per worker count),
    then from a Neo4j started for the run and loaded with the bundled data; results by backend, with
    ` ×N workers` after the name where N > 1."""
    results: dict[str, Any] = {}

    def one(backend: str, env: dict[str, str], n: int) -> None:
        process, base = serve(backend, env, n, access_log)
        try:
            _ready(base, n)
            results[backend if n == 1 else f"{backend} ×{n} workers"] = drive(base, process.pid)
        finally:
            stop(process)

    for n in workers:
        one("memory", {}, n)
    try:
        with neo4j_loaded() as env:
            for n in workers:
                one("neo4j", env, n)
    except BackendUnavailable as exc:  # reported beside the embedded figures, which still count
        Console(stderr=True).print(f"Neo4j: {exc}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="Length of each wrk run.")
    parser.add_argument("--connections", type=_ints, default=(8, 64), help="Comma-separated (default 8,64).")
    parser.add_argument("--workers", type=_ints, default=(1, 2), help="Worker processes, comma-separated (1,2).")
    parser.add_argument("--memory-only", action="store_true", help="Skip Neo4j.")
    args = parser.parse_args()
    wrk_path()
    if args.memory_only:
        results = {}
        for n in args.workers:
            process, base = serve("memory", {}, n, access_log=False)
            try:
                _ready(base, n)
                results["memory" if n == 1 else f"memory ×{n} workers"] = drive_all(base, args)
            finally:
                stop(process)
    else:
        results = on_each_backend(lambda base, _pid: drive_all(base, args), workers=args.workers, access_log=False)
    report(results, args)


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(","))


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    title = f"API on bundled data, wrk {args.seconds} s per row, access log off"
    table = Table(title=title)
    columns = ("endpoint", "server", "connections", "requests/s", "p50 ms", "p95 ms", "errors", "÷ healthz")
    for column in columns:
        table.add_column(column, justify="right")
    for name in ROWS:
        for server, by_endpoint in results.items():
            for connections, r in by_endpoint[name].items():
                ceiling = by_endpoint["healthz"][connections]["requests_per_s"]
                table.add_row(
                    name,
                    server,
                    connections,
                    f"{r['requests_per_s']:,.0f}",
                    f"{r['p50_ms']:.1f}",
                    f"{r['p95_ms']:.1f}",
                    f"{r['errors']:.0f}",
                    f"{r['requests_per_s'] / ceiling:.2f}",
                )
    Console(width=140).print(table)
    Console().print(
        "goals: routes ≥ 1,000 requests/s on the embedded store, ≥ 300 on Neo4j; best measured, asked again: "
        f"{best(results, 'memory', 'routes'):,.0f} and {best(results, 'neo4j', 'routes'):,.0f}; computed afresh: "
        f"{best(results, 'memory', f'routes {FRESH}'):,.0f} and {best(results, 'neo4j', f'routes {FRESH}'):,.0f}"
    )
    Console().print(f"written {write_results('api', results)}")


def best(results: dict[str, Any], backend: str, endpoint: str) -> float:
    rates = [
        r["requests_per_s"]
        for server, by_endpoint in results.items()
        if server.startswith(backend)
        for r in by_endpoint[endpoint].values()
    ]
    return max(rates, default=float("nan"))


if __name__ == "__main__":
    main()
