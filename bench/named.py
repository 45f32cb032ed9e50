"""Named queries on Neo4j: p50/p95 of each `.cypher` file as it is now and as it was at a git revision.

    python -m bench.named [--scale 100000] [--before main] [--repeat 10] [--home DIR] [--keep | --loaded]

The bundled data and a synthetic supply chain of `--scale` relationships (`loaders.synthetic`) are
loaded into Neo4j; each named query then runs with a few parameter sets, the file at `--before`
and the file now taking turns (one warm-up run of each first: the server plans each text once),
then once each under PROFILE for the db hits. Both must return the same rows.

Uses NEO4J_URI/NEO4J_PASSWORD when set (the database is cleared), else starts a server from the
project's jars. `--home DIR`: the folder of the server at NEO4J_URI (`chiptrail neo4j start
--home DIR`), loaded by `neo4j-admin database import`. On a busy machine raise
NEO4J_CONNECT_TIMEOUT and NEO4J_PROBE_AFTER, or a slow answer counts as a server that does not
answer. The machine may be shared: read the ratios, measured in one run.
Writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import write_results
from bench.answers import dataset
from bench.servers import neo4j_store
from graph import neo4j_bulk, neo4j_server
from graph.neo4j_store import Neo4jStore
from ontology.schema import load_schema
from queries.named import NamedQuery, registry
from queries.named.registry import CYPHER, parse_folder

DAY = dt.date(2026, 11, 28)
REGION = "syn-place-p3"


def cases() -> dict[str, list[dict[str, Any]]]:
    """Parameter sets per query: synthetic ids where the generator makes such nodes, bundled ones else."""
    chips = [f"syn-chip-{i}" for i in (0, 2, 4)]
    return {
        "supply_paths": [{"chip_id": c, "region_id": REGION, "max_hops": 6, "as_of": DAY} for c in chips],
        "deployments": [{"chip_id": "chip-nvidia-h100-sxm", "region_id": "place-cn-xj", "as_of": DAY}],
        "designations": [{"org_ids": ["org-sugon", "scn-redsand", "syn-org-t1-5"]}, {"org_ids": None}],
        "owners": [{"org_id": "scn-jadeport", "as_of": DAY}, {"org_id": "syn-org-t2-7", "as_of": None}],
        "places_within": [{"place_id": REGION}, {"place_id": "place-cn"}],
        "sites_within": [{"region_id": REGION}, {"region_id": "place-cn-xj"}],
        "region_chips": [{"region_id": REGION, "as_of": DAY}, {"region_id": "place-cn-xj", "as_of": None}],
        "power_near": [
            {"region_id": REGION, "site_id": "", "radius_m": 50500.0},
            {"region_id": "", "site_id": "syn-dc-17", "radius_m": 50500.0},
        ],
        "countries": [{"node_ids": ["syn-dc-3", "syn-place-p3-f1-c2", "dc-nyocor-xinjiang", "place-hk"]}],
        "dataset_changes": [{"dataset": "trade_gov_csl", "since": None}],
        "entity": [{"term": "Nyocor Co."}, {"term": "syn-org-t3-9"}],
        "neighbours": [{"id": "syn-dc-3"}, {"id": "place-cn-xj"}],
        "subgraph": [{"seeds": ["syn-dc-3"], "depth": 2, "types": [], "as_of": DAY}],
        "near_point": [{"lat": 42.8, "lon": 93.5, "radius_m": 50500.0}],
        "rules": [{}],
    }


def queries_at(revision: str) -> dict[str, NamedQuery]:
    """The named query files as they were at a git revision (parsed and checked like today's)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=CYPHER, capture_output=True, text=True, check=True)  # noqa: S603, S607
        return done.stdout

    with tempfile.TemporaryDirectory() as tmp:
        for name in git("ls-tree", "--name-only", revision, "--", ".").split():
            (Path(tmp) / name).write_text(git("show", f"{revision}:./{name}"), encoding="utf-8")
        return parse_folder(Path(tmp), load_schema())


def rows_text(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)


def timed(store: Neo4jStore, query: NamedQuery, params: dict[str, Any]) -> tuple[float, list[str]]:
    text = query.bounded(params)
    start = time.perf_counter()
    rows = store.run(text, **params)
    return 1000 * (time.perf_counter() - start), rows_text(rows)


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"p50_ms": statistics.median(ordered), "p95_ms": ordered[math.ceil(0.95 * len(ordered)) - 1]}


def db_hits(store: Neo4jStore, query: NamedQuery, params: dict[str, Any]) -> int:
    """The db hits of one PROFILE run: work done by the server, whatever else the machine runs."""

    def total(op: dict[str, Any]) -> int:
        return int(op.get("dbHits", 0)) + sum(total(child) for child in op.get("children", []))

    with store.driver.session(database=store.settings.database) as session:
        profile = session.run("PROFILE " + query.bounded(params), params).consume().profile
    return total(profile or {})


def measure(
    store: Neo4jStore, before: NamedQuery, after: NamedQuery, sets: list[dict[str, Any]], repeat: int
) -> dict[str, Any]:
    """Both versions, taking turns, on every parameter set; raises if their rows differ."""
    times: dict[str, list[float]] = {"before": [], "after": []}
    for params in sets:
        _, expected = timed(store, before, params)
        _, found = timed(store, after, params)
        if found != expected:
            raise SystemExit(f"{after.name} {params}: the rows differ from the file at the old revision")
        for _ in range(repeat):
            times["before"].append(timed(store, before, params)[0])
            times["after"].append(timed(store, after, params)[0])
    hits = {v: sum(db_hits(store, q, params) for params in sets) for v, q in (("before", before), ("after", after))}
    return {
        "rows": len(expected),
        "before": {**percentiles(times["before"]), "db_hits": hits["before"]},
        "after": {**percentiles(times["after"]), "db_hits": hits["after"]},
    }


def load(store: Neo4jStore, args: argparse.Namespace, console: Console) -> None:
    """The bundled data and the synthetic graph, into an emptied database (unless --loaded)."""
    if args.loaded:
        return
    store.clear()
    data = dataset(args.scale)
    with console.status(f"loading {args.scale:,} relationships and the bundled data") as status:
        if args.home is None:
            store.load(data)
        else:
            config = neo4j_server.ServerConfig.saved(args.home)
            neo4j_bulk.bulk_load(data, config, store.settings, status=status.update)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000, help="relationships generated beside the bundled data")
    parser.add_argument("--before", default="main", help="git revision of the files to compare with")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per parameter set and version")
    parser.add_argument("--home", type=Path, help="the folder of the server at NEO4J_URI: load by bulk import")
    parser.add_argument("--keep", action="store_true", help="leave the records in the database after the run")
    parser.add_argument("--loaded", action="store_true", help="the database holds this scale already (--keep)")
    args = parser.parse_args()
    console = Console(stderr=True)
    old, now = queries_at(args.before), registry()
    results: dict[str, Any] = {"scale": args.scale, "before": args.before, "queries": {}}
    with neo4j_store(console) as store:
        load(store, args, console)
        for name, sets in cases().items():
            with console.status(name):
                results["queries"][name] = measure(store, old[name], now[name], sets, args.repeat)
        if not args.keep:
            store.clear()
    report(results)


def report(results: dict[str, Any]) -> None:
    out = Console(width=200)
    table = Table(title=f"Named queries on Neo4j at {results['scale']:,} relationships: {results['before']} → now")
    columns = ("query", "p50 before", "p50 now", "p50 ÷", "p95 before", "p95 now", "p95 ÷", "db hits before → now", "÷")
    for column in columns:
        table.add_column(column, justify="right")
    for name, m in results["queries"].items():
        b, a = m["before"], m["after"]
        table.add_row(
            name,
            f"{b['p50_ms']:.1f}",
            f"{a['p50_ms']:.1f}",
            f"{b['p50_ms'] / a['p50_ms']:.1f}×",
            f"{b['p95_ms']:.1f}",
            f"{a['p95_ms']:.1f}",
            f"{b['p95_ms'] / a['p95_ms']:.1f}×",
            f"{b['db_hits']:,} → {a['db_hits']:,}",
            f"{b['db_hits'] / max(a['db_hits'], 1):.1f}×",
        )
    out.print(table)
    out.print(f"written {write_results('named', results)}")


if __name__ == "__main__":
    main()
