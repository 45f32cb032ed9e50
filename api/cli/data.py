"""Data and service commands: validate, load, serve."""

from __future__ import annotations

from contextlib import ExitStack, closing
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn, Progress

from api.cli.console import data_paths, err, out, user_errors
from api.cli.options import Backend, BackendOpt, HomeOpt, PathsArg
from loaders import load_paths
from ontology import load_schema
from ontology.errors import DataError
from ontology.records import Dataset

app = typer.Typer()


@app.command()
def validate(
    paths: PathsArg = None,
    reference_shacl: Annotated[
        bool,
        typer.Option("--reference-shacl", help="Check the shapes with pySHACL instead (slow; the reference)."),
    ] = False,
) -> None:
    """Check data files against the ontology and the SHACL shapes; exit 1 on any problem."""
    from loaders.shapes_check import shape_problems  # rdflib loads only for this command

    with user_errors():
        data = load_paths(data_paths(paths))
        if reference_shacl:
            from loaders.shacl import reference_problems  # and pySHACL only for the reference

            problems = reference_problems(data)
        else:
            problems = shape_problems(data)
        if problems:
            raise DataError(problems)
        out.print(
            f"[green]valid[/]: {len(data.nodes):,} nodes, {len(data.edges):,} relationships; "
            "ontology, references and SHACL shapes all pass."
        )


@app.command()
def load(
    paths: PathsArg = None,
    backend: BackendOpt = Backend.neo4j,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Delete everything in the database first (with --bulk: import in its place)."),
    ] = False,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="First load into an empty database with neo4j-admin import (the server in --home is stopped, "
            "imported into and started again). Refused on a database that holds data, unless --replace.",
        ),
    ] = False,
    home: HomeOpt = Path(".chiptrail/neo4j"),
    csv_dir: Annotated[
        Path | None,
        typer.Option(
            "--csv-dir",
            help="Only write the import CSVs here and print the neo4j-admin command (for a Docker server).",
        ),
    ] = None,
) -> None:
    """Validate data and write it into the store (idempotent: loading twice changes nothing)."""
    from api.cli.render import routes as render
    from graph import open_store

    with user_errors(), ExitStack() as stack:
        data = load_paths(data_paths(paths))
        if csv_dir is not None or bulk:
            _bulk(data, home, csv_dir, replace=replace)
            return
        store = stack.enter_context(closing(open_store(backend.value)))
        if replace:
            store.clear()
        with Progress(*Progress.get_default_columns(), MofNCompleteColumn(), console=err) as progress:
            task = progress.add_task(f"loading into {backend.value}", total=len(data.nodes) + len(data.edges))
            report = store.load(data, progress=lambda n: progress.advance(task, n))
        out.print(f"loaded {report.nodes:,} nodes and {report.edges:,} relationships into {backend.value}")
        render.print_counts(out, store.counts(), set(load_schema().classes))


def _bulk(data: Dataset, home: Path, csv_dir: Path | None, *, replace: bool) -> None:
    from graph import neo4j_bulk, neo4j_server
    from graph.neo4j_csv_writers import write_csvs
    from graph.settings import Neo4jSettings

    if csv_dir is not None:
        csvs = write_csvs(data, csv_dir)
        out.print(
            f"wrote {csvs.node_count:,} nodes and {csvs.edge_count:,} relationships as import CSVs in {csv_dir}\n"
            f"{neo4j_bulk.docker_steps(csvs, csv_dir, Neo4jSettings().database)}\n"
            "start it again, and run `chiptrail load` once to build the constraints and indexes.",
            soft_wrap=True,
            highlight=False,
        )
        return
    config = neo4j_server.ServerConfig.saved(home.resolve())
    with out.status("bulk load") as status:
        report = neo4j_bulk.bulk_load(data, config, Neo4jSettings(), status=lambda s: status.update(s), replace=replace)
    out.print(f"imported {report.nodes:,} nodes and {report.edges:,} relationships into neo4j ({config.bolt_uri})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    backend: BackendOpt = Backend.memory,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes. Each answers on its own core; on the memory backend each holds its own copy "
            "of the graph (memory × workers).",
        ),
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (one line each).")] = True,
) -> None:
    """Serve the HTTP API (docs at /docs). Other settings: CHIPTRAIL_* and NEO4J_* variables."""
    import os

    import uvicorn

    # The one place the command line reaches into the HTTP face (declared in the import contract).
    from api.http.app import create_app
    from api.http.serving import run_workers
    from api.http.settings import ApiSettings

    with user_errors():
        settings = ApiSettings(backend=backend.value)
        if workers == 1:
            uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=access_log)
            return
        # Worker processes build the app from the environment: pass the backend chosen here on to them.
        os.environ["CHIPTRAIL_BACKEND"] = backend.value
        run_workers("api.http.app:create_app", host=host, port=port, workers=workers, access_log=access_log)
