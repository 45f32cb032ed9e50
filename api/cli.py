"""The `chiptrail` command line: routes, restrictions, validate, demo, load, export, serve, neo4j.

Bad input never shows a traceback: `api/cli_common.user_errors` translates domain errors once.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn, Progress

from api import export_cli, neo4j_cli, policy_cli, render, render_policy
from api.cli_common import (
    AsOfOpt,
    Backend,
    BackendOpt,
    DataOpt,
    Format,
    FormatOpt,
    emit,
    err,
    loaded,
    out,
    parse_date,
    user_errors,
)
from graph import open_store
from graph.neo4j_store import Neo4jStore
from loaders import default_data_dir, load_paths
from loaders.shacl import check_dataset
from ontology import load_schema
from ontology.errors import DataError
from ontology.vocab import Prop
from queries.chokepoints import chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
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
    screen: Annotated[
        bool,
        typer.Option("--screen", help="Screen each hop's parties (designations, ≥ 50% affiliates) and give a verdict."),
    ] = False,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Routes that carry a chip model into a region, each hop with its evidence, and leads."""
    with loaded(data, backend) as store:
        answer = find_routes(
            store,
            chip,
            region,
            as_of=parse_date(as_of),
            max_hops=max_hops,
            time_respecting_only=time_respecting,
            screen=screen,
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
    with loaded(data, backend) as store:
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
    """Load the curated and scenario data; show counts, restrictions, screened routes into Xinjiang, leads,
    the region's exposure and the top chokepoints."""
    with loaded(None) as store:
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
            answer = find_routes(store, decision.chip.id, region, as_of=day, screen=True)
            if answer.routes or answer.leads:
                out.rule(str(decision.chip.props.get(Prop.NAME, decision.chip.id)))
                render.print_routes(out, viewer.routes_answer(answer))
        out.rule("Exposure")
        render_policy.print_exposure(out, exposure_view(viewer, exposure(store, region, as_of=day)))
        out.rule("Chokepoints")
        render_policy.print_chokepoints(out, chokepoints(store, region, as_of=day, top=5))
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

app.command()(export_cli.export)
for command in policy_cli.COMMANDS:
    app.command()(command)


def main() -> None:
    """Console-script entry point."""
    app()
