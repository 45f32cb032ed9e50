"""Load throughput and routes latency on synthetic supply chains, both backends.

    python -m bench.load [--scales 10000,100000,1000000] [--queries 20] [--sample 2000]

For each scale (relationships): the embedded store's load time, peak memory and routes latency
(measured in a child process, so peak memory is its own); Neo4j's batched UNWIND load, a
one-query-per-row baseline on a sample of the same records, routes latency and the server's peak
resident memory. This machine is shared: read the ratios, not the absolute times. Prints a table
and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from bench import write_results
from graph import neo4j_server
from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore, identifier
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders.synthetic import generate
from ontology.records import Dataset
from queries import named


def route_queries(data: Dataset, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(chip, province) pairs, the same for both backends."""
    rng = random.Random(seed)
    chips = sorted(n for n in data.nodes if n.startswith("syn-chip-"))
    provinces = sorted(n for n in data.nodes if n.count("-") == 2 and n.startswith("syn-place-p"))
    return [(rng.choice(chips), rng.choice(provinces)) for _ in range(count)]


def latencies(store: GraphStore, queries: list[tuple[str, str]]) -> dict[str, float]:
    """p50/p95 of the routes search, each query timed after a warm-up round of all of them (on Neo4j
    the first run of a query compiles its plan and reads cold pages; neither is what a user waits for)."""
    for chip, region in queries:
        named.route_paths(store, chip, region, 6, None)
    times = []
    for chip, region in queries:
        start = time.perf_counter()
        named.route_paths(store, chip, region, 6, None)
        times.append(time.perf_counter() - start)
    times.sort()
    return {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))]}


def embedded(scale: int, queries: int) -> dict[str, Any]:
    """Run in a child process: generate, load, query, report peak memory."""
    data = generate(scale)
    store = MemoryStore()
    start = time.perf_counter()
    store.load(data)
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    records = len(data.nodes) + len(data.edges)
    return {
        "load_s": seconds,
        "records_per_s": records / seconds,
        "peak_rss_mb": rss_mb,
        **latencies(store, route_queries(data, queries)),
    }


def per_row(store: Neo4jStore, data: Dataset, sample: int) -> dict[str, Any]:
    """The baseline: one auto-committed MERGE per record, on the first `sample` edges and their nodes."""
    edges = list(data.edges.values())[:sample]
    node_ids = sorted({e.source for e in edges} | {e.target for e in edges})
    schema = store.schema
    store.clear()
    store.setup_schema()  # both methods write with the same constraints and indexes in place
    start = time.perf_counter()
    with store.driver.session(database=store.settings.database) as session:
        for node_id in node_ids:
            node = data.nodes[node_id]
            labels = ":".join(identifier(lab, schema.classes) for lab in node.labels)
            session.run(
                f"MERGE (n:{identifier(node.labels[0], schema.classes)} {{id: $id}}) SET n = $props SET n:{labels}",
                id=node.id,
                props={**node.props, "id": node.id},
            ).consume()
        for edge in edges:
            rel = identifier(edge.type, schema.relationships)
            a_root = identifier(data.nodes[edge.source].labels[0], schema.classes)
            b_root = identifier(data.nodes[edge.target].labels[0], schema.classes)
            session.run(
                f"MATCH (a:{a_root} {{id: $source}}) MATCH (b:{b_root} {{id: $target}}) "
                f"MERGE (a)-[r:{rel} {{id: $id}}]->(b) SET r = $props",
                source=edge.source,
                target=edge.target,
                id=edge.id,
                props={**edge.props, "id": edge.id},
            ).consume()
    seconds = time.perf_counter() - start
    return {
        "records": len(node_ids) + len(edges),
        "seconds": seconds,
        "records_per_s": (len(node_ids) + len(edges)) / seconds,
    }


def server_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def on_neo4j(store: Neo4jStore, scale: int, queries: int, sample: int) -> dict[str, Any]:
    data = generate(scale)
    baseline = per_row(store, data, sample)
    store.clear()
    store.setup_schema()
    start = time.perf_counter()
    store.load(data)
    seconds = time.perf_counter() - start
    records = len(data.nodes) + len(data.edges)
    batched = records / seconds
    return {
        "load_s": seconds,
        "records_per_s": batched,
        "per_row": baseline,
        "batched_over_per_row": batched / baseline["records_per_s"],
        **latencies(store, route_queries(data, queries)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--sample", type=int, default=2000, help="edges in the per-row baseline sample")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(embedded(args.child, args.queries)))
        return
    scales = [int(s) for s in args.scales.split(",")]
    console = Console(stderr=True)
    results: dict[str, Any] = {"scales": {}}
    with tempfile.TemporaryDirectory() as home:
        config = neo4j_server.ServerConfig(
            Path(home), neo4j_server.free_port(), neo4j_server.free_port(), heap="2g", pagecache="1g"
        )
        password = secrets.token_urlsafe(16)
        with console.status("starting Neo4j"):
            pid = neo4j_server.start(config, password)
        store = Neo4jStore.connect(Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password)))
        try:
            for scale in scales:
                with console.status(f"{scale:,} relationships: embedded"):
                    child = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
                        [sys.executable, "-m", "bench.load", "--child", str(scale), "--queries", str(args.queries)],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                with console.status(f"{scale:,} relationships: Neo4j"):
                    neo = on_neo4j(store, scale, args.queries, args.sample)
                neo["server_peak_rss_mb"] = server_peak_mb(pid)
                results["scales"][scale] = {"embedded": json.loads(child.stdout), "neo4j": neo}
        finally:
            store.close()
            neo4j_server.stop(config)
    report(results)


def report(results: dict[str, Any]) -> None:
    table = Table(title="chiptrail load and routes benchmark (ratios matter; the machine is shared)")
    for column in (
        "relationships",
        "embedded rec/s",
        "Neo4j batched rec/s",
        "Neo4j per-row rec/s",
        "batched ÷ per-row",
        "routes p50/p95 embedded ms",
        "routes p50/p95 Neo4j ms",
        "peak MB embedded / Neo4j",
    ):
        table.add_column(column, justify="right")
    for scale, r in results["scales"].items():
        e, n = r["embedded"], r["neo4j"]
        table.add_row(
            f"{scale:,}",
            f"{e['records_per_s']:,.0f}",
            f"{n['records_per_s']:,.0f}",
            f"{n['per_row']['records_per_s']:,.0f}",
            f"{n['batched_over_per_row']:.1f}×",
            f"{e['p50_ms']:.1f} / {e['p95_ms']:.1f}",
            f"{n['p50_ms']:.1f} / {n['p95_ms']:.1f}",
            f"{e['peak_rss_mb']:,.0f} / {n['server_peak_rss_mb']:,.0f}",
        )
    Console(width=200).print(table)
    Console().print(f"written {write_results('load', results)}")


if __name__ == "__main__":
    main()
