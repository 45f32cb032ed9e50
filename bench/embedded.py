"""The embedded store at scale: load time, memory and routes latency at 10^4 to 10^6 relationships.

    python -m bench.embedded [--scales 10000,100000,1000000] [--queries 40]

Each scale runs in a child process of its own: generate the synthetic supply chain
(loaders/synthetic.py), load it, then time the routes search (supply_paths, as `routes` runs it)
for random (chip model, province) pairs, the first call of each pair apart (it fills the caches of
the data version) from the repeated ones. The store takes each generated record out of the dataset
as it stores it, as `chiptrail serve` does. Memory: the child's peak resident set (the generated
records, then the store as they move into it), and the store alone — resident memory once the generated records
are freed and returned to the system, less the interpreter's before generating. The answers run with
the loaded graph frozen out of the cyclic collector, as under `chiptrail serve`. Prints one table
with the p95 ratio of each scale to the smallest beside the goal (≤ 10× at 10^6 ÷ 10^4).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from api.http.collector import long_lived_frozen
from bench import write_results
from bench.load import route_queries
from graph.memory import MemoryStore
from loaders.synthetic import generate
from queries import named

GOAL_P95_RATIO = 10.0


def percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))]}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def release() -> None:
    """Collect garbage and hand freed memory back to the system, so resident memory is what is alive."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def child(scale: int, count: int) -> dict[str, Any]:
    release()
    before = rss_mb()
    data = generate(scale)
    queries = route_queries(data, count)
    records = len(data.nodes) + len(data.edges)
    store = MemoryStore()
    start = time.perf_counter()
    store.load(data, consume=True)  # as `chiptrail serve` loads: each record freed once stored
    load_s = time.perf_counter() - start
    del data
    release()
    store_mb = rss_mb() - before
    first: list[float] = []
    again: list[float] = []
    found = 0
    with long_lived_frozen():  # as `chiptrail serve` runs once loaded
        for chip, region in queries:
            for times in (first, again):
                start = time.perf_counter()
                found = len(named.route_paths(store, chip, region, 6, None))
                times.append(time.perf_counter() - start)
    return {
        "records": records,
        "load_s": load_s,
        "records_per_s": records / load_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "store_mb": store_mb,
        "first": percentiles(first),
        **percentiles(first + again),
        "last_paths": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.queries)))
        return
    results: dict[str, Any] = {}
    console = Console(stderr=True)
    for scale in (int(s) for s in args.scales.split(",")):
        with console.status(f"{scale:,} relationships"):
            done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
                [sys.executable, "-m", "bench.embedded", "--child", str(scale), "--queries", str(args.queries)],
                capture_output=True,
                text=True,
                check=True,
            )
        results[str(scale)] = json.loads(done.stdout)
    report(results)


def report(results: dict[str, Any]) -> None:
    table = Table(title="Embedded store at scale (one run; the machine is shared, read the ratios)")
    columns = ("relationships", "load s", "records/s", "peak RSS MB", "store MB", "routes p50 / p95 ms")
    for column in (*columns, "first call p50 / p95 ms", "first-call p95 ÷ smallest (goal ≤ 10×)"):
        table.add_column(column, justify="right")
    smallest = next(iter(results.values()))["first"]["p95_ms"]
    for scale, r in results.items():
        table.add_row(
            f"{int(scale):,}",
            f"{r['load_s']:.1f}",
            f"{r['records_per_s']:,.0f}",
            f"{r['peak_rss_mb']:,.0f}",
            f"{r['store_mb']:,.0f}",
            f"{r['p50_ms']:.2f} / {r['p95_ms']:.2f}",
            f"{r['first']['p50_ms']:.2f} / {r['first']['p95_ms']:.2f}",
            f"{r['first']['p95_ms'] / smallest:.1f}×",
        )
    Console(width=160).print(table)
    Console().print(f"written {write_results('embedded', results)}")


if __name__ == "__main__":
    main()
