"""Ingest throughput, peak memory and delta time for CSL and OpenSanctions downloads, both backends.

    python -m bench.ingest [--scale 1.0] [--backends memory,neo4j] [--keep DIR] [--no-bulk]

Generates (bench/ingest_files.py) a CSL consolidated.json of 15,000 × scale entries and an FtM
entities file of 10^6 × scale entities, each with a second snapshot changing about 1%, then runs
`chiptrail ingest` as a child process for each (first snapshot, then the delta) and reads its wall
time and peak resident memory (wait4). On a Neo4j server it starts itself, each first snapshot
is then ingested again into the emptied database with `--bulk` (neo4j-admin import), and the
ratio of the two first ingests' rows/s is printed. On the embedded backend it also times opening the store
(`chiptrail datasets`, minus the same with an empty CHIPTRAIL_HOME). Neo4j is NEO4J_URI /
NEO4J_PASSWORD when set (cleared first), else a server started from tools/neo4j. The machine is
shared: read the ratios. Prints a table and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase
from rich.console import Console
from rich.table import Table

from bench import write_results
from bench.ingest_files import write_csl, write_ftm
from graph import neo4j_server
from loaders import BUNDLED_DATA

CSL_ENTRIES, FTM_ENTITIES = 15_000, 1_000_000
TARGET_MB = 1536  # the bound on the embedded ingest of the 10^6-entity file
CHIPTRAIL = str(Path(sys.executable).parent / "chiptrail")
SUMMARY = re.compile(r"([\d,]+) rows → ([\d,]+) added, ([\d,]+) changed, ([\d,]+) ended, ([\d,]+) unchanged")
console = Console(stderr=True)


@dataclass
class Run:
    """One child process: wall time, peak resident memory, what it printed."""

    seconds: float
    peak_mb: float
    output: str = field(repr=False)
    counts: dict[str, int] = field(default_factory=dict)

    def rates(self) -> dict[str, float]:
        written = sum(self.counts.get(k, 0) for k in ("added", "changed", "ended"))
        return {"rows_per_s": self.counts.get("rows", 0) / self.seconds, "written_per_s": written / self.seconds}


def run(args: list[str], env: dict[str, str]) -> Run:
    """Run `chiptrail args` to the end; its peak RSS comes from wait4's rusage (KiB on Linux)."""
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our console script, fixed arguments
        [CHIPTRAIL, *args],
        env={**os.environ, "COLUMNS": "400", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if process.returncode != 0:
        raise RuntimeError(f"chiptrail {' '.join(args)} failed ({process.returncode}):\n{output[-3000:]}")
    found = SUMMARY.search(" ".join(output.split()))
    counts = {}
    if found:
        names = ("rows", "added", "changed", "ended", "unchanged")
        counts = dict(zip(names, (int(n.replace(",", "")) for n in found.groups()), strict=True))
    return Run(seconds, usage.ru_maxrss / 1024, output, counts)


@dataclass(frozen=True)
class Files:
    csl: tuple[Path, Path]
    ftm: tuple[Path, Path]
    sizes: dict[str, int]


def generate(folder: Path, scale: float) -> Files:
    csl = (folder / "consolidated-1.json", folder / "consolidated-2.json")
    ftm = (folder / "entities-1.ftm.json", folder / "entities-2.ftm.json")
    entries, entities = max(40, round(CSL_ENTRIES * scale)), max(400, round(FTM_ENTITIES * scale))
    sizes = {
        "csl_1": write_csl(csl[0], entries, second=False),
        "csl_2": write_csl(csl[1], entries, second=True),
        "ftm_1": write_ftm(ftm[0], entities, second=False),
        "ftm_2": write_ftm(ftm[1], entities, second=True),
    }
    sizes |= {f"{p.name}_bytes": p.stat().st_size for p in (*csl, *ftm)}
    return Files(csl, ftm, sizes)


def ingest_all(files: Files, backend: str, env: dict[str, str]) -> dict[str, Any]:
    """Both first snapshots, then both deltas, in one store."""
    steps = {
        "csl first": ("csl", files.csl[0], "2026-11-01"),
        "opensanctions first": ("opensanctions", files.ftm[0], "2026-11-01"),
        "csl delta": ("csl", files.csl[1], "2026-11-28"),
        "opensanctions delta": ("opensanctions", files.ftm[1], "2026-11-28"),
    }
    results: dict[str, Any] = {}
    for name, (source, path, day) in steps.items():
        with console.status(f"{backend}: {name}"):
            done = run(["ingest", source, str(path), "--snapshot", day, "--backend", backend], env)
        results[name] = {**asdict(done), "output": None, **done.rates()}
        console.print(f"{backend} {name}: {done.seconds:,.1f} s, {done.peak_mb:,.0f} MB, {done.counts}")
    return results


def embedded(files: Files, folder: Path) -> dict[str, Any]:
    home, empty = folder / "home-memory", folder / "home-empty"
    results = ingest_all(files, "memory", {"CHIPTRAIL_HOME": str(home)})
    with console.status("memory: opening the store"):
        opened = run(["datasets", "--format", "json"], {"CHIPTRAIL_HOME": str(home)})
        bare = run(["datasets", "--format", "json"], {"CHIPTRAIL_HOME": str(empty)})
    results["open"] = {
        "seconds": opened.seconds - bare.seconds,
        "peak_mb": opened.peak_mb,
        "peak_over_empty_mb": opened.peak_mb - bare.peak_mb,
        "empty_seconds": bare.seconds,
        "ledger_mb": (home / "ledger.sqlite").stat().st_size / 2**20,
    }
    return results


@dataclass(frozen=True)
class Neo4jEnv:
    env: dict[str, str]  # NEO4J_* for the children
    config: neo4j_server.ServerConfig | None  # the server started here (None: NEO4J_URI's)
    pid: int | None


@contextmanager
def neo4j_env(folder: Path) -> Iterator[Neo4jEnv]:
    """NEO4J_* for the children (the server's pid when started here), the database emptied and
    holding just the bundled data (ingested records point at its Entity List)."""
    if os.environ.get("NEO4J_URI"):
        env, pid, config = {"NEO4J_URI": os.environ["NEO4J_URI"]}, None, None
        env["NEO4J_PASSWORD"] = os.environ.get("NEO4J_PASSWORD", "")
    else:
        config = neo4j_server.ServerConfig(
            Path(tempfile.mkdtemp(prefix="neo4j-", dir=folder)),
            neo4j_server.free_port(),
            neo4j_server.free_port(),
            heap="2g",
            pagecache="1g",
        )
        password = secrets.token_hex(16)
        with console.status("starting Neo4j"):
            pid = neo4j_server.start(config, password)
        env = {"NEO4J_URI": config.bolt_uri, "NEO4J_PASSWORD": password}
    env["NEO4J_READ_TIMEOUT"] = "600"  # reading a whole dataset back (`live`) is one long query
    try:
        with GraphDatabase.driver(env["NEO4J_URI"], auth=("neo4j", env["NEO4J_PASSWORD"])) as driver:
            driver.execute_query("RETURN 1")  # a cold server on a busy machine answers its first query late
        run(["load", str(BUNDLED_DATA), "--backend", "neo4j", "--replace"], env)
        yield Neo4jEnv(env, config, pid)
    finally:
        if config is not None:
            neo4j_server.stop(config)


def on_neo4j(files: Files, folder: Path, *, bulk: bool = True) -> dict[str, Any]:
    with neo4j_env(folder) as server:
        env = {**server.env, "CHIPTRAIL_HOME": str(folder / "home-neo4j")}
        results = ingest_all(files, "neo4j", env)
        if server.pid is not None:
            results["server_peak_mb"] = server_peak_mb(server.pid)  # before a bulk import restarts it
        if not bulk:
            results["bulk"] = "not run (--no-bulk)"
        elif server.config is None:
            results["bulk"] = "`ingest --bulk` needs a server this bench starts: unset NEO4J_URI"
        else:
            results |= bulk_first(files, env, server.config)
    return results


def bulk_first(files: Files, env: dict[str, str], config: neo4j_server.ServerConfig) -> dict[str, Any]:
    """Each first snapshot again, into the emptied database through `chiptrail ingest --bulk` (the
    curated data imported with it; stop, import, start, schema and resolution all timed)."""
    steps = {
        "csl first (bulk)": ("csl", files.csl[0], "2026-11-01"),
        "opensanctions first (bulk)": ("opensanctions", files.ftm[0], "2026-11-01"),
    }
    results: dict[str, Any] = {}
    for name, (source, path, day) in steps.items():
        with (
            console.status("emptying the database"),
            GraphDatabase.driver(env["NEO4J_URI"], auth=("neo4j", env["NEO4J_PASSWORD"])) as driver,
            driver.session() as session,
        ):
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        with console.status(f"neo4j: {name}"):
            args = ["ingest", source, str(path), "--snapshot", day, "--backend", "neo4j", "--bulk"]
            done = run([*args, "--home", str(config.home)], env)
        results[name] = {**asdict(done), "output": None, **done.rates()}
        console.print(f"neo4j {name}: {done.seconds:,.1f} s, {done.peak_mb:,.0f} MB, {done.counts}")
    return results


def server_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def candidates(folder: Path) -> dict[str, Any]:
    """Candidate generation over the ingested CSL and OpenSanctions data, when the command exists."""
    probe = subprocess.run([CHIPTRAIL, "resolve", "candidates", "--help"], capture_output=True, check=False)  # noqa: S603
    if probe.returncode != 0:
        return {"available": False, "note": "`chiptrail resolve candidates` is not in this checkout"}
    done = run(["resolve", "candidates", "--format", "json"], {"CHIPTRAIL_HOME": str(folder / "home-memory")})
    return {"available": True, "seconds": done.seconds, "peak_mb": done.peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (0.01: a smoke run)")
    parser.add_argument("--backends", default="memory,neo4j")
    parser.add_argument("--keep", type=Path, help="generate into (and leave) this folder")
    parser.add_argument("--no-bulk", action="store_true", help="on Neo4j, the batched ingests only")
    args = parser.parse_args()
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory(prefix="chiptrail-bench-ingest-") as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        # In a spawned child: a child's peak RSS (wait4) is never below its parent's at the fork.
        spawn = multiprocessing.get_context("spawn")
        with console.status(f"generating files at scale {args.scale}"), ProcessPoolExecutor(1, spawn) as pool:
            files = pool.submit(generate, folder, args.scale).result()
        console.print(f"generated in {time.perf_counter() - start:,.0f} s: {files.sizes}")
        results: dict[str, Any] = {"scale": args.scale, "sizes": files.sizes, "target_mb": TARGET_MB}
        results["floor_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no child peaks below
        if "memory" in backends:
            results["memory"] = embedded(files, folder)
            results["candidates"] = candidates(folder)
        if "neo4j" in backends:
            results["neo4j"] = on_neo4j(files, folder, bulk=not args.no_bulk)
    report(results, write_results("ingest", results))


def report(results: dict[str, Any], path: Path) -> None:
    table = Table(title=f"chiptrail ingest at scale {results['scale']} (one run; ratios matter, the machine is shared)")
    for column in ("backend", "step", "rows", "added/changed/ended", "wall s", "rows/s", "written/s", "peak MB"):
        table.add_column(column, justify="right")
    for backend in ("memory", "neo4j"):
        for step, r in results.get(backend, {}).items():
            if not isinstance(r, dict) or "counts" not in r:
                continue
            c = r["counts"]
            changes = f"{c.get('added', 0):,}/{c.get('changed', 0):,}/{c.get('ended', 0):,}"
            table.add_row(
                backend,
                step,
                f"{c.get('rows', 0):,}",
                changes,
                f"{r['seconds']:,.1f}",
                f"{r['rows_per_s']:,.0f}",
                f"{r['written_per_s']:,.0f}",
                f"{r['peak_mb']:,.0f}",
            )
    out = Console(width=160)
    out.print(table)
    out.print(f"(a child's peak MB is never below this process's {results['floor_mb']:,.0f} MB)")
    if "memory" in results:
        memory = results["memory"]
        opened, first, delta = memory["open"], memory["opensanctions first"], memory["opensanctions delta"]
        out.print(
            f"embedded store open: {opened['seconds']:,.1f} s over an empty home, peak {opened['peak_mb']:,.0f} MB "
            f"({opened['peak_over_empty_mb']:,.0f} MB over empty); ledger {opened['ledger_mb']:,.0f} MB on disk"
        )
        out.print(f"OpenSanctions 1% delta ÷ first ingest time: {delta['seconds'] / first['seconds']:.2f}")
        verdict = "within" if first["peak_mb"] < TARGET_MB else "OVER"
        out.print(f"OpenSanctions first ingest peak {first['peak_mb']:,.0f} MB: {verdict} the {TARGET_MB} MB target")
        out.print(f"candidates: {results['candidates']}")
    if "neo4j" in results and "memory" in results:
        for step in ("opensanctions first", "opensanctions delta"):
            ratio = results["neo4j"][step]["seconds"] / results["memory"][step]["seconds"]
            out.print(f"{step}: Neo4j ÷ embedded wall time {ratio:.1f}")
    for step in ("csl first", "opensanctions first"):
        neo4j = results.get("neo4j", {})
        if f"{step} (bulk)" in neo4j:
            batched, bulk = neo4j[step], neo4j[f"{step} (bulk)"]
            same = "same counts" if batched["counts"] == bulk["counts"] else "DIFFERENT counts"
            ratio = bulk["rows_per_s"] / batched["rows_per_s"]
            out.print(f"{step} on Neo4j: --bulk ÷ batched rows/s {ratio:.1f} ({same})")
    if "server_peak_mb" in results.get("neo4j", {}):
        out.print(f"Neo4j server peak {results['neo4j']['server_peak_mb']:,.0f} MB")
    out.print(f"written {path}")


if __name__ == "__main__":
    main()
