"""Scale: load throughput, answer latency and memory at 10^4 … 10^7 relationships, beside the goals.

    python -m bench.scale [--neo4j 10000,100000,1000000,10000000] [--embedded 10000,100000,1000000]
                          [--batched-max 1000000] [--queries 30] [--answers routes,screened,exposure,chokepoints]

`--neo4j ''` measures the embedded store alone (no server is started); `--answers routes` times
only the routes search (the other answers' columns then read "not run").

The graph: the synthetic supply chain (`loaders.synthetic`) beside the bundled data, whose
export-control rules make the synthetic routes licence-requiring (so screening, what-if and
chokepoints have work to do). Per scale on Neo4j (one server from the local jars, 3 GB heap and
3 GB page cache — room for 10^7 relationships within the 8 GB a shared machine gives it; the
import tool limited to 2 GB off-heap): the records streamed straight into import CSVs through
piped writers (never held in memory, so 10^7 fits: the path of `ingest --bulk`); up to --batched-max,
where the graph is also generated whole, the CSVs are written again from that dataset, split
between forked writers as `chiptrail load --bulk` writes them, and these are the ones imported;
`neo4j-admin database import full` on them (the server stopped), the
ontology's constraints and indexes built, then answers timed (a warm-up round first) and the
routes statement PROFILEd; then, up to --batched-max, the same records written again by the
batched loader into an emptied database. "bulk" is the whole `--bulk` path (CSVs + import +
schema; generating the records is timed alone, in a pass of its own, and taken off the streamed
CSVs' time), beside it the same with the streamed CSVs; "admin import" is the import alone.
The embedded store is measured in a child process per scale
(`bench.load`), so its peak memory is its own. Queries per answer and API requests per second are
measured elsewhere (`bench.api`; a query counter on the read path): their columns say so.
Prints one table per scale and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from api.http.collector import long_lived_frozen
from bench import RESULTS, write_results
from bench.answers import routes_plan
from bench.load import route_queries, server_peak_mb
from graph import neo4j_bulk, neo4j_csv_writers, neo4j_server
from graph.memory import MemoryStore
from graph.neo4j_csv import CsvSet
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders import BUNDLED_DATA, load_paths
from loaders.synthetic import Record, generate, records
from ontology.records import Dataset, Node, collector_paused
from queries.chokepoints import chokepoints
from queries.exposure import exposure
from queries.overlay import parse_overlay
from queries.routes import find_routes
from queries.whatif import whatif

# a what-if the bundled scenario answers: its designation of one fictional party lifted
OVERLAY = {"name": "lift one designation", "affiliates": False, "remove_designations": ["scn-redsand"]}
HEAP, PAGECACHE, IMPORT_OFF_HEAP = "3g", "3g", "2G"

ANSWERS = ("routes", "screened", "exposure", "what-if", "chokepoints")
GOALS = {
    "bulk_vs_admin": "bulk within 2× of admin import",
    "batched_vs_admin": "batched within 2× of admin import",
    "routes_growth": "routes p95 at 10^6 ≤ 10× p95 at 10^4",
    "embedded_memory": "embedded peak at 10^6 → ~1 GB",
}


def timed(work: Callable[[], Any], repeat: int) -> dict[str, float | str]:
    """p50/p95 in ms of `repeat` calls after one warm-up call; the error's name if it raises."""
    try:
        work()
    except Exception as exc:  # an answer the synthetic data cannot give is reported, not fatal
        return {"error": type(exc).__name__}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}


def answers(store: GraphStore, data: Dataset, queries: int, wanted: tuple[str, ...] = ANSWERS) -> dict[str, Any]:
    """Routes (each of `queries` chip/province pairs, after a warm-up round) and the other `wanted` answers."""
    pairs = route_queries(data, queries)
    try:
        routes = _routes(store, pairs)
    except Exception as exc:  # e.g. a statement past the server's transaction memory: reported, not fatal
        routes = {"error": f"{type(exc).__name__}: {str(exc)[:240]}"}
    chip, region = pairs[0]
    few = max(3, queries // 10)
    overlay = parse_overlay(OVERLAY)
    others: dict[str, Callable[[], Any]] = {
        "screened": lambda: find_routes(store, chip, region, screen=True),
        "exposure": lambda: exposure(store, region),
        "what-if": lambda: whatif(store, overlay, region),
        "chokepoints": lambda: chokepoints(store, region),
    }
    return {"routes": routes, **{name: timed(work, few) for name, work in others.items() if name in wanted}}


ROUTE_ROUNDS, ROUTE_SECONDS = 10, 10.0  # timed rounds over the pairs: at most this many, or what fits in the time


def _routes(store: GraphStore, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """p50/p95 of the routes search over `pairs`, after a warm-up round (plans compiled, pages cached),
    timed in rounds over every pair until `ROUTE_ROUNDS` or `ROUTE_SECONDS` (at least one round), so
    that a p95 of answers of a tenth of a millisecond is not the third slowest of 30."""
    for chip, region in pairs:
        find_routes(store, chip, region)
    times, found = [], []
    began, rounds = time.perf_counter(), 0
    while rounds < ROUTE_ROUNDS and (rounds == 0 or time.perf_counter() - began < ROUTE_SECONDS):
        rounds += 1
        for chip, region in pairs:
            start = time.perf_counter()
            answer = find_routes(store, chip, region)
            times.append(1000 * (time.perf_counter() - start))
            found.append(len(answer.routes))
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "routes_per_answer": statistics.median(found),
        "rounds": rounds,
    }


def bundled() -> Dataset:
    return load_paths([BUNDLED_DATA])


def graph(scale: int) -> Dataset:
    """The synthetic graph beside the bundled data, in memory."""
    data, synthetic = bundled(), generate(scale)
    return Dataset(nodes={**data.nodes, **synthetic.nodes}, edges={**data.edges, **synthetic.edges})


ASKED = ("syn-chip-", "syn-place-p")  # the ids route_queries draws from


class Streamed:
    """The bundled records, then the synthetic ones as generated, the ids route_queries draws from
    kept (nothing else)."""

    def __init__(self, scale: int) -> None:
        self.scale = scale
        self.index = Dataset()

    def __iter__(self) -> Iterator[Record]:
        data = bundled()
        yield from data.nodes.values()
        yield from data.edges.values()
        for record in records(self.scale):
            if isinstance(record, Node) and record.id.startswith(ASKED):
                self.index.nodes[record.id] = record
            yield record

    def generating_s(self) -> float:
        """How long generating the stream takes alone (the writers' processes share the processors
        with the generator, so its time cannot be taken from the same run)."""
        started = time.perf_counter()
        with collector_paused():  # as while it is written: see `streamed_csvs`
            for _ in Streamed(self.scale):
                pass
        return time.perf_counter() - started


def streamed_csvs(stream: Streamed, folder: Path) -> tuple[CsvSet, float, float]:
    """The stream's CSVs, as `ingest --bulk` writes them, the seconds they add to generating it,
    and the seconds generating it alone takes.

    Both passes run with the cyclic collector paused. The generator keeps one integer per SUPPLIES
    pair in a set (10^7 of them at 10^7), and every full collection walks that set, so any consumer
    that allocates as it goes would pay for it: at 3·10^6, pickling the records for the writers
    cost 4.1 µs a record with the collector on and 1.3 µs with it paused. An ingest holds no such
    set (its download waits in a staging file)."""
    generate_s = stream.generating_s()
    started = time.perf_counter()
    with collector_paused():
        csvs = neo4j_csv_writers.write_csvs(stream, folder)
    return csvs, time.perf_counter() - started - generate_s, generate_s


def embedded(scale: int, queries: int, wanted: tuple[str, ...] = ANSWERS) -> dict[str, Any]:
    """In a child process: load into the embedded store, time the answers, report peak memory."""
    data = graph(scale)
    index = Dataset(nodes={i: n for i, n in data.nodes.items() if i.startswith(ASKED)})
    records = len(data.nodes) + len(data.edges)
    store = MemoryStore()
    start = time.perf_counter()
    store.load(data, consume=True)  # as `chiptrail serve` loads: each record freed once stored
    seconds = time.perf_counter() - start
    with long_lived_frozen():  # as `chiptrail serve` runs once loaded
        found = answers(store, index, queries, wanted)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"records": records, "records_per_s": records / seconds, "peak_rss_mb": rss_mb, **found}


def on_neo4j(
    config: neo4j_server.ServerConfig, settings: Neo4jSettings, scale: int, args: argparse.Namespace, console: Console
) -> dict[str, Any]:
    password = settings.password.get_secret_value()
    stream = Streamed(scale)
    data = graph(scale) if scale <= args.batched_max else None  # in memory, as `chiptrail load` reads it
    neo4j_server.stop(config)  # as `--bulk` does before it writes the CSVs
    with tempfile.TemporaryDirectory(dir=config.home) as folder, console.status(f"{scale:,}: import CSVs"):
        csvs, streamed_s, generate_s = streamed_csvs(stream, Path(folder) / "streamed")
        csv_s, streamed_writers = streamed_s, csvs.writers
        if data is not None:  # `load --bulk`: the dataset split between forked writers
            shutil.rmtree(csvs.folder)  # not imported: its pages are not written back beside the next files
            started = time.perf_counter()
            csvs = neo4j_csv_writers.write_csvs(data, Path(folder) / "dataset")
            csv_s = time.perf_counter() - started
        records = csvs.node_count + csvs.edge_count
        console.log(f"{scale:,}: importing {records:,} records")
        started = time.perf_counter()
        neo4j_bulk.run_import(config, csvs, settings.database, [f"--max-off-heap-memory={IMPORT_OFF_HEAP}"])
        import_s = time.perf_counter() - started
    neo4j_server.start(config, password, timeout=600)
    with closing(connect(settings)) as store:
        started = time.perf_counter()
        neo4j_bulk.build_schema(store)
        schema_s = time.perf_counter() - started
        result: dict[str, Any] = {
            "records": records,
            "generate_s": generate_s,
            "admin_import_rec_s": records / import_s,
            "bulk_rec_s": records / (csv_s + import_s + schema_s),
            "bulk_streamed_rec_s": records / (streamed_s + import_s + schema_s),
            "csv_writers": csvs.writers,
            "csv_streamed_writers": streamed_writers,
            "csv_s": csv_s,
            "csv_streamed_s": streamed_s,
            "import_s": import_s,
            "schema_s": schema_s,
        }
        console.log(f"{scale:,}: loaded {json.dumps(result)}")  # kept in the log whatever the answers do
        with console.status(f"{scale:,}: answers"):
            result.update(answers(store, stream.index, args.queries, args.answers))
            try:
                result["routes_plan"] = routes_plan(store, *route_queries(stream.index, 1)[0])
            except Exception as exc:  # the PROFILE runs the statement once more: the same limits apply
                result["routes_plan"] = f"{type(exc).__name__}: {str(exc)[:240]}"
        if data is not None:
            with console.status(f"{scale:,}: batched load"):
                store.clear()
                started = time.perf_counter()
                store.load(data)
                result["batched_rec_s"] = records / (time.perf_counter() - started)
    pid = neo4j_server.running_pid(config)
    result["server_peak_rss_mb"] = server_peak_mb(pid) if pid else float("nan")
    result["client_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def connect(settings: Neo4jSettings, attempts: int = 10) -> Neo4jStore:
    for _ in range(attempts - 1):
        try:
            return Neo4jStore.connect(settings)
        except Exception:  # a fresh JVM on a busy machine: try again
            time.sleep(2)
    return Neo4jStore.connect(settings)


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    found.add_argument("--neo4j", default="10000,100000,1000000,10000000")
    found.add_argument("--embedded", default="10000,100000,1000000")
    found.add_argument("--batched-max", type=int, default=1_000_000)
    found.add_argument("--queries", type=int, default=30)
    found.add_argument("--answers", type=_answers, default=ANSWERS, help="answers to time (routes always)")
    found.add_argument("--child", type=int, help=argparse.SUPPRESS)
    return found


def main() -> None:
    args = parser().parse_args()
    if args.child:
        print(json.dumps(embedded(args.child, args.queries, args.answers)))
        return
    report(measure(args, Console(stderr=True)))


def measure(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    """Every scale of `args`: the embedded store (a child process each), then Neo4j."""
    results: dict[str, Any] = {"embedded": {}, "neo4j": {}}
    for scale in [int(s) for s in args.embedded.split(",") if s]:
        with console.status(f"{scale:,}: embedded"):
            child = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
                [
                    *(sys.executable, "-m", "bench.scale", "--child", str(scale)),
                    *("--queries", str(args.queries), "--answers", ",".join(args.answers)),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
        results["embedded"][scale] = json.loads(child.stdout)
    scales = [int(s) for s in args.neo4j.split(",") if s]
    if scales:
        on_server(scales, args, console, results)
    return results


def on_server(scales: list[int], args: argparse.Namespace, console: Console, results: dict[str, Any]) -> None:
    """Each Neo4j scale in turn on one server; the results so far saved after each (a long run
    stopped at 10^7 keeps the smaller scales)."""
    partial = RESULTS / f"scale-{time.strftime('%Y%m%d-%H%M%S')}-partial.json"
    with tempfile.TemporaryDirectory() as home:
        config = neo4j_server.ServerConfig(
            Path(home), neo4j_server.free_port(), neo4j_server.free_port(), heap=HEAP, pagecache=PAGECACHE
        )
        password = secrets.token_urlsafe(16)
        # a busy shared machine: a connection may take seconds, an answer at 10^7 minutes
        settings = Neo4jSettings(
            uri=config.bolt_uri, password=SecretStr(password), connect_timeout=30.0, read_timeout=1800.0
        )
        with console.status("starting Neo4j"):
            neo4j_server.start(config, password, timeout=600)
        try:
            for scale in scales:
                results["neo4j"][scale] = on_neo4j(config, settings, scale, args, console)
                report({"embedded": {}, "neo4j": {scale: results["neo4j"][scale]}}, quiet=True)
                RESULTS.mkdir(exist_ok=True)
                partial.write_text(json.dumps(results, indent=2))
        finally:
            neo4j_server.stop(config)


def _answers(text: str) -> tuple[str, ...]:
    wanted = tuple(a for a in text.split(",") if a)
    unknown = sorted(set(wanted) - set(ANSWERS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown answer(s) {', '.join(unknown)}: choose from {', '.join(ANSWERS)}")
    return wanted


def _growth(at: Any, base: Any) -> float | None:
    """Routes p95 over its value at the smallest scale, where both were measured."""
    if not (at and base) or "p95_ms" not in at["routes"] or "p95_ms" not in base["routes"]:
        return None
    return float(at["routes"]["p95_ms"] / base["routes"]["p95_ms"])


def _per_answer(at: Any, base: Any) -> str:
    """The median number of routes per answer, and its growth over the smallest scale."""
    count = at and at["routes"].get("routes_per_answer")
    if count is None:
        return "—"
    base_count = base and base["routes"].get("routes_per_answer")
    return f"{count:,.0f} ({count / base_count:.1f}×)" if base_count else f"{count:,.0f}"


def _ms(answer: dict[str, Any] | None) -> str:
    if answer is None:
        return "not run"
    if not answer:
        return "—"
    if "error" in answer:
        return f"({answer['error']})"
    return f"{answer['p50_ms']:,.1f} / {answer['p95_ms']:,.1f}"


def tables(results: dict[str, Any]) -> list[Table]:
    """One table per scale: each figure beside its goal."""
    scales = sorted({*map(int, results["embedded"]), *map(int, results["neo4j"])})
    base_e = results["embedded"].get(10_000) or results["embedded"].get("10000")
    base_n = results["neo4j"].get(10_000) or results["neo4j"].get("10000")
    found = []
    for scale in scales:
        e = results["embedded"].get(scale) or results["embedded"].get(str(scale))
        n = results["neo4j"].get(scale) or results["neo4j"].get(str(scale))
        table = Table(title=f"{scale:,} relationships (one run; ratios matter, the machine is shared)")
        for column in ("figure", "embedded", "Neo4j", "goal"):
            table.add_column(column, justify="right" if column != "figure" else "left")
        rows = _rows(e, n, base_e, base_n)
        for row in rows:
            table.add_row(*row)
        found.append(table)
    return found


def _rows(e: Any, n: Any, base_e: Any, base_n: Any) -> list[tuple[str, str, str, str]]:
    rows = []
    if n:
        batched = n.get("batched_rec_s")
        rows += [
            ("load rec/s: neo4j-admin import alone", "", f"{n['admin_import_rec_s']:,.0f}", "the anchor"),
            *_bulk_rows(n),
            (
                "load rec/s: batched",
                f"{e['records_per_s']:,.0f}" if e else "",
                f"{batched:,.0f} (admin ÷ this {n['admin_import_rec_s'] / batched:.1f}×)" if batched else "not run",
                GOALS["batched_vs_admin"],
            ),
        ]
    if e and not n:
        rows.append(("load rec/s: batched", f"{e['records_per_s']:,.0f}", "", GOALS["batched_vs_admin"]))
    rows.append(("routes p50 / p95 ms", _ms(e and e["routes"]), _ms(n and n["routes"]), "warm; after name resolution"))
    growth_e = _growth(e, base_e)
    growth_n = _growth(n, base_n)
    rows.append(
        (
            "routes p95 ÷ p95 at 10^4",
            f"{growth_e:.1f}×" if growth_e else "—",
            f"{growth_n:.1f}×" if growth_n else "—",
            "≤ 10× (at 10^6)",
        )
    )
    rows.append(
        (
            "routes per answer (median; ÷ at 10^4)",
            _per_answer(e, base_e),
            _per_answer(n, base_n),
            "what the p95 growth is made of",
        )
    )
    for name in ("screened", "exposure", "what-if", "chokepoints"):
        rows.append((f"{name} p50 / p95 ms", _ms(e and e.get(name)), _ms(n and n.get(name)), "finishes"))
    rows.append(("statements per answer, API req/s", "bundled-data table", "bundled-data table", "(bench.all)"))
    rows.append(
        (
            "peak memory MB",
            f"{e['peak_rss_mb']:,.0f}" if e else "",
            f"server {n['server_peak_rss_mb']:,.0f}, client {n['client_peak_rss_mb']:,.0f}" if n else "",
            GOALS["embedded_memory"],
        )
    )
    return rows


def _bulk_rows(n: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """`load --bulk` (CSVs from the dataset in memory, split between writers, where the scale was
    generated whole) and the streamed path of `ingest --bulk` (piped writers), each against the import."""

    def rate(key: str) -> str:
        return f"{n[key]:,.0f} (admin ÷ this {n['admin_import_rec_s'] / n[key]:.1f}×)"

    def piped(writers: int) -> str:
        return f"CSVs streamed through {writers} piped writers" if writers > 1 else "CSVs streamed by one writer"

    streamed = n.get("csv_s") == n.get("csv_streamed_s")  # where the scale was only streamed
    writers = n.get("csv_writers", 1)
    if streamed:
        first = f"{rate('bulk_rec_s')}; {piped(n.get('csv_streamed_writers', 1))}"
    else:
        first = rate("bulk_rec_s") + (f"; CSVs by {writers} writers" if writers > 1 else "")
    rows = [("load rec/s: chiptrail load --bulk (CSVs + import + schema)", "", first, GOALS["bulk_vs_admin"])]
    if n.get("bulk_streamed_rec_s") and not streamed:
        label = f"load rec/s: the same, {piped(n.get('csv_streamed_writers', 1))}"
        rows.append((label, "", rate("bulk_streamed_rec_s"), ""))
    return rows


def report(results: dict[str, Any], quiet: bool = False, save: bool = True) -> None:
    console = Console(width=160, stderr=quiet)
    for table in tables(results):
        console.print(table)
    for scale, found in results["neo4j"].items():
        plan = found.get("routes_plan")
        if isinstance(plan, str):
            console.print(f"PROFILE of the routes statement at {int(scale):,}: {plan}", markup=False)
        elif plan:
            console.print(
                f"PROFILE of the routes statement at {int(scale):,} ({plan['chip']} → {plan['region']}): "
                f"{plan['db_hits']:,} db hits"
            )
            for line in plan["operators"]:
                console.print(f"  {line}", markup=False, highlight=False)
    if save and not quiet:
        console.print(f"written {write_results('scale', results)}")


if __name__ == "__main__":
    main()
