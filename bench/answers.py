"""Neo4j answers before and after the one-statement fetch: latency and statements sent, per answer.

    python -m bench.answers [--scales 0,10000] [--routes-scales 10000,100000] [--repeat 2] [--routes 10]

Scale 0 is the bundled data; other scales are a generated supply chain of that many relationships
beside the bundled data (whose rules then restrict the generated chip models). For each answer:
the statements it sends on Neo4j (counted by `Neo4jStore.statements`), its median latency reading
the store call by call as before (`prefetch.per_call_reads`) and with one statement (now), and the
embedded store's, after one warm-up run of each (the server plans each statement text once).
Then, at each of `--routes-scales`, routes alone (one statement each) for p50/p95 and the
PROFILE of the routes statement. A before-run past the read timeout is reported as such.
Uses NEO4J_URI/NEO4J_PASSWORD when set (the database is cleared), else starts a server
from the project's jars. The machine is shared: read the ratios. Writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import write_results
from bench.servers import neo4j_store
from graph.memory import MemoryStore
from graph.neo4j_read import Parts, parameters, statement
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from loaders import BUNDLED_DATA, load_paths
from loaders.synthetic import generate
from ontology.errors import BackendUnavailable
from ontology.records import Dataset
from queries import prefetch
from queries.chokepoints import chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.overlay import parse_overlay
from queries.policies import screen_party
from queries.resolve import resolve_chips, resolve_place
from queries.routes import find_routes
from queries.views import Viewer
from queries.whatif import whatif

DAY = dt.date(2026, 11, 28)
Answer = Callable[[GraphStore], Any]


def dataset(scale: int) -> Dataset:
    bundled = load_paths([BUNDLED_DATA])
    if not scale:
        return bundled
    synthetic = generate(scale)
    return Dataset(nodes={**bundled.nodes, **synthetic.nodes}, edges={**bundled.edges, **synthetic.edges})


def route_cases(data: Dataset, scale: int, count: int) -> list[tuple[str, str]]:
    if not scale:
        return [("H100", "Xinjiang"), ("H200", "place-cn"), ("H20", "Xinjiang"), ("A100", "Hami")]
    rng = random.Random(11)
    chips = sorted(n for n in data.nodes if n.startswith("syn-chip-"))
    provinces = sorted(n for n in data.nodes if n.count("-") == 2 and n.startswith("syn-place-p"))
    return [(rng.choice(chips), rng.choice(provinces)) for _ in range(count)]


def answers(scale: int) -> dict[str, list[Answer]]:
    region = "Xinjiang" if not scale else "syn-place-p0"
    overlay = parse_overlay({"affiliates": False, "remove_designations": ["scn-redsand"]})
    return {
        "screening": [lambda s: screen_party(s, "scn-jadeport", dt.date(2024, 7, 1))],
        "exposure": [lambda s: exposure_view(Viewer(s), exposure(s, region, as_of=DAY))],
        "what-if": [lambda s: whatif(s, overlay, region, DAY)],
        "chokepoints": [lambda s: chokepoints(s, region, as_of=DAY)],
    }


def routes_answer(chip: str, region: str, screen: bool = False) -> Answer:
    return lambda s: Viewer(s).routes_answer(find_routes(s, chip, region, as_of=DAY, screen=screen))


def timed(store: GraphStore, answer: Answer) -> tuple[float, Any]:
    start = time.perf_counter()
    result = answer(store)
    return time.perf_counter() - start, result


def per_call(neo4j: Neo4jStore, answer: Answer, repeat: int) -> tuple[list[float], list[int]]:
    """Latencies and statements of the per-call reads; empty when one run passed the read timeout."""
    times: list[float] = []
    sent: list[int] = []
    with prefetch.per_call_reads():
        try:
            answer(neo4j)  # warm-up: the server plans each statement text once
            for _ in range(repeat):
                count = neo4j.statements
                times.append(timed(neo4j, answer)[0])
                sent.append(neo4j.statements - count)
        except BackendUnavailable:
            return [], []
    return times, sent


def measure(
    neo4j: Neo4jStore, memory: MemoryStore, cases: list[Answer], repeat: int, *, compare: bool = True
) -> dict[str, Any]:
    """Median latencies (ms) before/after/embedded, statements before/after, over every case."""
    before: list[float] = []
    after: list[float] = []
    embedded: list[float] = []
    sent: dict[str, list[int]] = {"before": [], "after": []}
    timed_out = False
    for answer in cases:
        expected = answer(memory)
        if compare:
            times, counts = per_call(neo4j, answer, repeat)
            timed_out = timed_out or not times
            before += times
            sent["before"] += counts
        answer(neo4j)
        for _ in range(repeat):
            count = neo4j.statements
            seconds, result = timed(neo4j, answer)
            after.append(seconds)
            sent["after"].append(neo4j.statements - count)
            if result != expected:
                raise SystemExit("the Neo4j answer differs from the embedded one")
        embedded += [timed(memory, answer)[0] for _ in range(repeat)]
    return {
        "before_ms": None if timed_out or not before else 1000 * statistics.median(before),
        "after_ms": 1000 * statistics.median(after),
        "embedded_ms": 1000 * statistics.median(embedded),
        "statements_before": max(sent["before"], default=None),
        "statements_after": max(sent["after"]),
        "after_all_ms": sorted(1000 * s for s in after),
    }


def routes_plan(neo4j: Neo4jStore, chip: str, region: str) -> dict[str, Any]:
    """PROFILE of the routes statement: db hits and rows per operator, and the total."""
    chips = tuple(c.id for c in resolve_chips(neo4j, chip))
    region_id = resolve_place(neo4j, region).id
    parts = Parts(region_id=region_id, chip_ids=chips, max_hops=6, as_of=DAY)
    text, params = statement(parts), parameters(parts)
    with neo4j.driver.session(database=neo4j.settings.database) as session:
        profile = session.run("PROFILE " + text, params).consume().profile or {}
    lines: list[str] = []

    def walk(op: dict[str, Any], depth: int) -> int:
        details = str(op.get("args", {}).get("Details", ""))[:90]
        lines.append(
            f"{'  ' * depth}{op['operatorType']} rows={op.get('rows', 0)} db_hits={op.get('dbHits', 0)} {details}"
        )
        return int(op.get("dbHits", 0)) + sum(walk(child, depth + 1) for child in op.get("children", []))

    total = walk(profile, 0) if profile else 0
    return {"chip": chip, "region": region, "db_hits": total, "operators": lines}


def loaded(neo4j: Neo4jStore, scale: int, console: Console) -> tuple[Dataset, MemoryStore]:
    data = dataset(scale)
    memory = MemoryStore()
    memory.load(data)
    with console.status(f"{scale or 'bundled'}: loading Neo4j"):
        neo4j.clear()
        neo4j.load(data)
    return data, memory


def run_scale(neo4j: Neo4jStore, scale: int, repeat: int, routes: int, console: Console) -> dict[str, Any]:
    data, memory = loaded(neo4j, scale, console)
    cases = route_cases(data, scale, routes)
    found: dict[str, Any] = {}
    with console.status(f"{scale or 'bundled'}: routes"):
        found["routes"] = measure(neo4j, memory, [routes_answer(c, r) for c, r in cases], repeat)
        found["screened routes"] = measure(neo4j, memory, [routes_answer(c, r, True) for c, r in cases[:3]], repeat)
    for name, answer_cases in answers(scale).items():
        with console.status(f"{scale or 'bundled'}: {name}"):
            found[name] = measure(neo4j, memory, answer_cases, repeat)
    return found


def routes_scale(neo4j: Neo4jStore, scale: int, repeat: int, routes: int, console: Console) -> dict[str, Any]:
    """Routes alone, one statement each: p50/p95 and the plan."""
    data, memory = loaded(neo4j, scale, console)
    cases = route_cases(data, scale, routes)
    with console.status(f"{scale or 'bundled'}: routes"):
        found = measure(neo4j, memory, [routes_answer(c, r) for c, r in cases], repeat, compare=False)
    after = found["after_all_ms"]
    found["p50_ms"] = statistics.median(after)
    found["p95_ms"] = after[int(0.95 * (len(after) - 1))]
    found["plan"] = routes_plan(neo4j, *cases[0])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="0,10000", help="relationships generated; 0 = bundled data")
    parser.add_argument("--routes-scales", default="10000,100000", help="scales for routes p50/p95 and the plan")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--routes", type=int, default=10, help="routes questions per generated scale")
    args = parser.parse_args()
    console = Console(stderr=True)
    results: dict[str, Any] = {"scales": {}, "routes": {}}
    with neo4j_store(console) as neo4j:
        for scale in (int(s) for s in args.scales.split(",") if s):
            results["scales"][scale] = run_scale(neo4j, scale, args.repeat, args.routes, console)
        for scale in (int(s) for s in args.routes_scales.split(",") if s):
            results["routes"][scale] = routes_scale(neo4j, scale, args.repeat, args.routes, console)
        neo4j.clear()
    report(results)


def _ms(value: float | None) -> str:
    return "past the read timeout" if value is None else f"{value:.1f}"


def report(results: dict[str, Any]) -> None:
    out = Console(width=200)
    table = Table(title="Neo4j answers: statements and median latency, per-call reads (before) vs one statement (now)")
    for column in ("scale", "answer", "statements before → now", "before ms", "now ms", "before ÷ now", "embedded ms"):
        table.add_column(column, justify="right")
    for scale, found in results["scales"].items():
        for name, m in found.items():
            before = m["before_ms"]
            table.add_row(
                f"{scale:,}" if scale else "bundled",
                name,
                f"{m['statements_before'] if m['statements_before'] is not None else '?'} → {m['statements_after']}",
                _ms(before),
                _ms(m["after_ms"]),
                "—" if before is None else f"{before / m['after_ms']:.1f}×",
                _ms(m["embedded_ms"]),
            )
    out.print(table)
    routes = results["routes"]
    for scale, found in routes.items():
        out.print(f"routes on Neo4j at {scale:,}: p50 {found['p50_ms']:.1f} ms, p95 {found['p95_ms']:.1f} ms")
    if len(routes) >= 2:
        low, high = min(routes), max(routes)
        out.print(f"routes p95 on Neo4j, {high:,} ÷ {low:,}: {routes[high]['p95_ms'] / routes[low]['p95_ms']:.1f}×")
    if routes:
        plan = routes[max(routes)]["plan"]
        out.print(
            f"PROFILE of the routes statement at {max(routes):,} "
            f"({plan['chip']} → {plan['region']}): {plan['db_hits']:,} db hits"
        )
        for line in plan["operators"]:
            out.print("  " + line, highlight=False, markup=False)
    out.print(f"written {write_results('answers', results)}")


if __name__ == "__main__":
    main()
