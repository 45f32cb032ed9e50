"""Every figure of the scale goals in one run: `make bench`.

    python -m bench.all [--neo4j 10000,100000,1000000,10000000] [--embedded 10000,100000,1000000]
                        [--api-seconds 5]

On the bundled data: statements per answer on Neo4j (`bench.answers`), API requests per second
on both backends (`bench.api`, driven by wrk) and the processor time of `chiptrail --help`. Then
`bench.scale` at every scale: load throughput against neo4j-admin import, answer latencies, routes
growth and memory. Prints one table for the bundled data and one per scale, each figure beside its
goal, and writes the whole run to bench/results/bench-<time>.json. The machine is shared: read the
ratios of one run.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import answers, api, scale, write_results
from bench.servers import neo4j_store

CLI = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "chiptrail"
STATEMENT_GOALS = {"routes": "1 after the look-ups"}


def help_seconds(runs: int = 5) -> float:
    """Median processor time (user + system) of `chiptrail --help`, in seconds."""
    program = str(CLI) if CLI.exists() else shutil.which("chiptrail") or "chiptrail"
    spent = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([program, "--help"], capture_output=True, check=True)  # noqa: S603 - the project's own CLI
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(spent)


def statements(console: Console) -> dict[str, Any]:
    """Statements each answer sends on Neo4j, on the bundled data (with latencies, as bench.answers)."""
    with neo4j_store(console) as neo4j:
        found = answers.run_scale(neo4j, 0, repeat=2, routes=10, console=console)
        neo4j.clear()
    return found


def bundled_table(results: dict[str, Any]) -> Table:
    table = Table(title="bundled data (one run; ratios matter, the machine is shared)")
    for column in ("figure", "embedded", "Neo4j", "goal"):
        table.add_column(column, justify="right" if column != "figure" else "left")
    for name, m in results["statements"].items():
        table.add_row(
            f"statements per answer: {name} (name look-ups included)",
            "—",
            str(m["statements_after"]),
            STATEMENT_GOALS.get(name, "≤ 3"),
        )
    served = results["api"]
    for endpoint in ("routes", f"routes {api.FRESH}"):
        table.add_row(
            f"API req/s: {endpoint} (best of workers × connections)",
            f"{api.best(served, 'memory', endpoint):,.0f}",
            f"{api.best(served, 'neo4j', endpoint):,.0f}",
            "≥ 1,000 / ≥ 300" if endpoint == "routes" else "—",
        )
    table.add_row(
        "API req/s: /healthz (the framework's ceiling)",
        f"{api.best(served, 'memory', 'healthz'):,.0f}",
        f"{api.best(served, 'neo4j', 'healthz'):,.0f}",
        "—",
    )
    table.add_row("chiptrail --help, processor s", f"{results['help_s']:.2f}", "", "≤ 0.3")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--neo4j", default="10000,100000,1000000,10000000")
    parser.add_argument("--embedded", default="10000,100000,1000000")
    parser.add_argument("--api-seconds", type=int, default=5)
    args = parser.parse_args()
    console = Console(stderr=True)
    api.wrk_path()  # before anything runs: the API rows need wrk
    results: dict[str, Any] = {"help_s": help_seconds()}
    with console.status("statements per answer on Neo4j"):
        results["statements"] = statements(console)
    with console.status("API under wrk"):
        wrk_args = argparse.Namespace(seconds=args.api_seconds, connections=(8, 64))
        results["api"] = api.on_each_backend(
            lambda base, _pid: api.drive_all(base, wrk_args), workers=(1, 2), access_log=False
        )
    scale_args = scale.parser().parse_args(["--neo4j", args.neo4j, "--embedded", args.embedded])
    results["scale"] = scale.measure(scale_args, console)
    out = Console(width=160)
    out.print(bundled_table(results))
    scale.report(results["scale"], save=False)
    out.print(f"written {write_results('bench', results)}")


if __name__ == "__main__":
    main()
