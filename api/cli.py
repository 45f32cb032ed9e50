"""The `chiptrail` command line: routes, restrictions, validate, demo.

Bad input never shows a traceback: domain errors are translated here, once, into a message and
an exit code (2 for an unknown chip, region or bad option; 1 for invalid data).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress

from api import neo4j_cli, render
from graph import GraphStore, open_store
from graph.neo4j_store import Neo4jStore
from loaders import default_data_dir, load_paths
from loaders.shacl import check_dataset
from ontology import load_schema
from ontology.errors import ChiptrailError, DataError, NotFound
from ontology.vocab import Prop
from queries.lookup import all_decisions, restrictions_for, restrictions_view
from queries.registry import MAX_HOPS
from queries.routes import DEFAULT_MAX_HOPS, find_routes
from queries.views import Viewer

app = typer.Typer(
    help="chiptrail: a knowledge graph of the AI compute supply chain and the export controls on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"


class Backend(StrEnum):
    memory = "memory"
    neo4j = "neo4j"


def parse_date(value: str | None) -> dt.date | None:
    """--as-of YYYY-MM-DD (None means today)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got '{value}'") from None


def check_date(value: str | None) -> str | None:
    """Option callback: reject a bad date while parsing, so the usage error names the option."""
    parse_date(value)
    return value


DataOpt = Annotated[
    list[Path] | None, typer.Option("--data", help="YAML files or folders to load (default: the bundled data/).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Date YYYY-MM-DD the answer holds for (default: today).", callback=check_date),
]
BackendOpt = Annotated[
    Backend,
    typer.Option("--backend", help="memory: load data/ in process (default); neo4j: query the database at NEO4J_URI."),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="table for people, json for programs.")]


def fail(message: str, code: int) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Translate domain errors into a message and an exit code."""
    try:
        yield
    except NotFound as exc:
        fail(str(exc), 2)
    except DataError as exc:
        fail(f"invalid data ({len(exc.problems)} problems):\n" + "\n".join(f"  {p}" for p in exc.problems), 1)
    except ValueError as exc:
        fail(str(exc), 2)
    except ChiptrailError as exc:
        fail(str(exc), 1)


def open_loaded(data: list[Path] | None, backend: Backend = Backend.memory) -> GraphStore:
    """The Neo4j store as loaded, or an embedded store holding the given data (default: data/)."""
    if backend is Backend.neo4j:
        if data:
            raise typer.BadParameter("--data is for the memory backend; put data into Neo4j with `chiptrail load`")
        return open_store("neo4j")
    store = open_store("memory")
    store.load(load_paths(data or [default_data_dir()]))
    return store


def emit(fmt: Format, payload: Any, table: Callable[[], None]) -> None:
    if fmt is Format.json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        table()


@app.command()
def routes(
    chip: Annotated[str, typer.Option(help="Chip model id, name, alias or family (H100 covers every variant).")],
    region: Annotated[str, typer.Option(help="Region id, name, Chinese name or ISO code; places inside it count.")],
    as_of: AsOfOpt = None,
    max_hops: Annotated[
        int, typer.Option("--max-hops", min=1, max=MAX_HOPS, help="Longest route, in SUPPLIES hops.")
    ] = DEFAULT_MAX_HOPS,
    time_respecting: Annotated[
        bool, typer.Option("--time-respecting", help="Only routes whose hop dates never decrease.")
    ] = False,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Routes that carry a chip model into a region, each hop with its evidence, and leads."""
    with user_errors(), ExitStack() as stack:
        store = stack.enter_context(closing(open_loaded(data, backend)))
        answer = find_routes(
            store, chip, region, as_of=parse_date(as_of), max_hops=max_hops, time_respecting_only=time_respecting
        )
        payload = Viewer(store).routes_answer(answer)
        emit(fmt, payload, lambda: render.print_routes(out, payload))


@app.command()
def restrictions(
    chip: Annotated[str, typer.Option(help="Chip model id, name, alias or family.")],
    destination: Annotated[str, typer.Option(help="ISO 3166-1 code (CN) or a place name.")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Whether a chip model needs a US licence for a destination on a date, and why."""
    with user_errors(), ExitStack() as stack:
        store = stack.enter_context(closing(open_loaded(data, backend)))
        decisions = restrictions_for(store, chip, destination, parse_date(as_of))
        payload = restrictions_view(chip, decisions)

        def table() -> None:
            out.print(f"[bold]US licence requirement for {payload['destination']} on {payload['as_of']}[/]")
            render.print_decisions(out, [d.as_dict() for d in decisions])

        emit(fmt, payload, table)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="YAML files or folders (default: the bundled data/).")
    ] = None,
) -> None:
    """Check data files against the ontology and the SHACL shapes; exit 1 on any problem."""
    with user_errors():
        data = load_paths(paths or [default_data_dir()])
        problems = check_dataset(data)
        if problems:
            raise DataError(problems)
        out.print(
            f"[green]valid[/]: {len(data.nodes):,} nodes, {len(data.edges):,} relationships; "
            "ontology, references and SHACL shapes all pass."
        )


@app.command()
def demo(
    region: Annotated[str, typer.Option(help="Region to trace into.")] = "Xinjiang",
    destination: Annotated[str, typer.Option(help="Destination country for the restriction check.")] = "CN",
    as_of: AsOfOpt = None,
) -> None:
    """Load the curated and scenario data; show counts, restrictions, routes into Xinjiang, leads."""
    with user_errors():
        store = open_loaded(None)
        day = parse_date(as_of) or dt.date.today()
        out.print("[bold]What the graph holds[/] (curated facts with sources, plus the illustrative scenario)")
        render.print_counts(out, store.counts(), set(load_schema().classes))
        decisions = all_decisions(store, destination, day)
        out.print(
            f"\n[bold]Which chip models need a US licence for {destination} on {day}[/] (derived from specs and rules)"
        )
        render.print_decisions(out, [d.as_dict() for d in decisions])
        viewer = Viewer(store)
        for decision in (d for d in decisions if d.restricted):
            answer = find_routes(store, decision.chip.id, region, as_of=day)
            if answer.routes or answer.leads:
                out.rule(str(decision.chip.props.get(Prop.NAME, decision.chip.id)))
                render.print_routes(out, viewer.routes_answer(answer))
        out.print(f"\n✱ = {render.FICTIONAL}: an invented network from data/scenarios, not evidence.")


@app.command()
def load(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="YAML files or folders (default: the bundled data/).")
    ] = None,
    backend: BackendOpt = Backend.neo4j,
    replace: Annotated[bool, typer.Option("--replace", help="Delete everything in the database first.")] = False,
) -> None:
    """Validate data and MERGE it into the store (idempotent: loading twice changes nothing)."""
    with user_errors(), ExitStack() as stack:
        data = load_paths(paths or [default_data_dir()])
        store = stack.enter_context(closing(open_store(backend.value)))
        if replace and isinstance(store, Neo4jStore):
            store.clear()
        with Progress(*Progress.get_default_columns(), MofNCompleteColumn(), console=err) as progress:
            task = progress.add_task(f"loading into {backend.value}", total=len(data.nodes) + len(data.edges))
            report = store.load(data, progress=lambda n: progress.advance(task, n))
        out.print(f"loaded {report.nodes:,} nodes and {report.edges:,} relationships into {backend.value}")
        render.print_counts(out, store.counts(), set(load_schema().classes))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Serve the HTTP API (docs at /docs). Other settings: CHIPTRAIL_* and NEO4J_* variables."""
    import uvicorn

    from api.app import create_app
    from api.settings import ApiSettings

    with user_errors():
        settings = ApiSettings(backend=backend.value)
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


app.add_typer(neo4j_cli.app, name="neo4j")


def main() -> None:
    """Console-script entry point."""
    app()
