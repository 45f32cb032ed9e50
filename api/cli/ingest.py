"""Dataset commands: ingest a download as a snapshot, list what was ingested, show what changed."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn, Progress

from api.cli.console import data_paths, emit, err, loaded, out, user_errors
from api.cli.options import Backend, BackendOpt, DataOpt, Format, FormatOpt, HomeOpt, check_date, parse_date
from api.cli.render import datasets as render
from api.ingest import IngestReport, IngestRequest, ingest, open_ledger, source_named
from api.settings import shared_settings
from graph.store import GraphStore
from graph.target import IngestTarget
from loaders import load_paths
from loaders.sources import registry
from loaders.sources.delta import Op
from ontology.errors import InvalidParameter
from queries.changes import changes as dataset_changes
from queries.changes import datasets as list_datasets
from queries.same_as import apply_resolution

app = typer.Typer()

SOURCES = ", ".join(sorted(registry()))


def _target(backend: Backend, stack: ExitStack) -> tuple[IngestTarget, GraphStore | None]:
    """Where the ingest writes, and the Neo4j store to resolve afterwards (the embedded store
    resolves as it loads)."""
    if backend is Backend.neo4j:
        from graph.neo4j_ingest import Neo4jTarget  # the driver loads only when asked for
        from graph.neo4j_store import Neo4jStore

        store = stack.enter_context(closing(Neo4jStore.connect()))
        return Neo4jTarget(store), store
    ledger = open_ledger(shared_settings().home, data_paths(None))
    stack.callback(ledger.close)
    return ledger, None


def summary(report: IngestReport, where: str) -> str:
    if report.already:
        return f"{report.dataset}: the snapshot of {report.snapshot} is this very file; nothing changed in {where}."
    c = report.counts
    text = (
        f"{report.dataset}, snapshot of {report.snapshot} ({report.source_id}) in {where}: {report.rows:,} rows → "
        f"{c[Op.ADDED]:,} added, {c[Op.CHANGED]:,} changed, {c[Op.ENDED]:,} ended, {c[Op.UNCHANGED]:,} unchanged"
    )
    skipped = [f"{n:,} {reason}" for reason, n in sorted(report.skipped.items())]
    if report.invalid_rows:
        skipped.append(f"{report.invalid_rows:,} invalid rows (--skip-invalid)")
    tallies = [f"{n:,} {what}" for what, n in sorted(report.tallies.items())]
    return (
        text
        + (f"; {', '.join(tallies)}" if tallies else "")
        + (f"; skipped: {', '.join(skipped)}" if skipped else "")
        + (
            f"; {report.warning_count:,} warning{'s' if report.warning_count != 1 else ''}"
            if report.warning_count
            else ""
        )
    )


def warn(report: IngestReport) -> None:
    """The values read but not used, each naming its file, first line and field, and how many rows."""
    for problem, rows in report.warnings.values():
        also = f" ({rows - 1:,} more rows like it)" if rows > 1 else ""
        err.print(f"warning: {problem}{also}", markup=False, highlight=False)
    more = report.warning_count - sum(rows for _, rows in report.warnings.values())
    if more > 0:
        err.print(f"warning: … and {more:,} more rows with other values (not shown)", markup=False, highlight=False)


@app.command(name="ingest")
def ingest_command(
    source: Annotated[str, typer.Argument(help=f"Which source the file is: {SOURCES}.")],
    path: Annotated[Path, typer.Argument(help="The downloaded file (for eto: the data folder of five CSVs).")],
    snapshot: Annotated[
        str | None,
        typer.Option(
            help="Date of the download YYYY-MM-DD (default: what the file states, else its date).", callback=check_date
        ),
    ] = None,
    dataset: Annotated[str | None, typer.Option(help="Dataset name to file it under (default: the source's).")] = None,
    backend: BackendOpt = Backend.memory,
    include_individuals: Annotated[bool, typer.Option(help="Load the individuals on the lists too.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option(help="Count and skip rows that cannot be read instead of stopping.")
    ] = False,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="With --backend neo4j, a first ingest into an empty database with neo4j-admin import, the curated "
            "data with it (the server in --home is stopped, imported into and started again). Refused on a "
            "database that holds data.",
        ),
    ] = False,
    home: HomeOpt = Path(".chiptrail/neo4j"),
    csv_dir: Annotated[
        Path | None,
        typer.Option(
            "--csv-dir",
            help="With --backend neo4j, only write the import CSVs of the curated data and the download here and "
            "print the neo4j-admin command (for a Docker server).",
        ),
    ] = None,
) -> None:
    """Load one download as a dated snapshot: adds what is new, updates what changed, ends what is gone.

    The whole file is checked before anything is written; an older snapshot than the latest is refused.

    Memory backend: what it ingests is kept in CHIPTRAIL_HOME and loaded by every later command."""
    with user_errors(), ExitStack() as stack:
        request = IngestRequest(
            source_named(source), path, dataset, parse_date(snapshot), include_individuals, skip_invalid
        )
        if bulk or csv_dir is not None:
            if backend is not Backend.neo4j:
                raise InvalidParameter("--bulk and --csv-dir write a Neo4j import: add --backend neo4j")
            _bulk(request, home, csv_dir)
            return
        target, resolve_on = _target(backend, stack)
        with Progress(*Progress.get_default_columns(), MofNCompleteColumn(), console=err, transient=True) as bar:
            reading = bar.add_task(f"reading {path.name} (rows)", total=None)
            writing = bar.add_task(f"comparing and writing {path.name} (records)", total=None, visible=False)

            def read(rows: int) -> None:
                bar.update(reading, completed=rows)

            def written(records: int) -> None:
                bar.update(reading, visible=False)
                bar.update(writing, visible=True, advance=records)

            report = ingest(request, target, progress=written, read=read)
        warn(report)
        out.print(summary(report, backend.value))
        if resolve_on is not None and not report.already:
            resolved = apply_resolution(resolve_on, shared_settings().judgement_files)
            out.print(f"resolution: {resolved.edges:,} SAME_AS edges ({resolved.positive:,} positive)")


def _bulk(request: IngestRequest, home: Path, csv_dir: Path | None) -> None:
    """The download and the curated data as import CSVs: imported into the server in `home`, or
    only written into `csv_dir`."""
    from api import ingest_bulk  # the driver and the import load only when asked for
    from graph import neo4j_bulk
    from graph.neo4j_server import ServerConfig
    from graph.settings import Neo4jSettings

    curated, settings = load_paths(data_paths(None)), Neo4jSettings()
    config = ServerConfig.saved(home.resolve())
    with out.status("writing import CSVs") as status:
        written = 0

        def progress(n: int) -> None:
            nonlocal written
            written += n
            status.update(f"writing import CSVs: {written:,} records")

        if csv_dir is not None:
            report, csvs = ingest_bulk.write_import(request, curated, csv_dir, progress=progress)
            resolved = None
        else:
            judgements = shared_settings().judgement_files
            done = ingest_bulk.bulk_ingest(
                request, curated, config, settings, judgements, status=status.update, progress=progress
            )
            report, csvs, resolved = done.ingest, done.csvs, done.resolution
    warn(report)
    out.print(summary(report, "neo4j" if csv_dir is None else f"the import CSVs in {csv_dir}"))
    counted = f"{csvs.node_count:,} nodes and {csvs.edge_count:,} relationships, the curated data with them"
    if resolved is not None:
        out.print(f"imported {counted}, into neo4j ({config.bolt_uri})", highlight=False)
        out.print(f"resolution: {resolved.edges:,} SAME_AS edges ({resolved.positive:,} positive)")
    elif csv_dir is not None:
        out.print(
            f"wrote {counted}\n{neo4j_bulk.docker_steps(csvs, csv_dir, settings.database)}\n"
            "start it again, run `chiptrail load` once to build the constraints and indexes, and "
            "`chiptrail resolve apply --backend neo4j` for the SAME_AS edges.",
            soft_wrap=True,
            highlight=False,
        )


@app.command()
def datasets(
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """The datasets ingested into the store, with each snapshot's file and counts."""
    with loaded(data, backend) as store:
        payload = list_datasets(store)
        emit(fmt, [d.model_dump(mode="json") for d in payload], lambda: render.print_datasets(out, payload))


@app.command()
def changes(
    dataset: Annotated[str, typer.Argument(help="The dataset, e.g. trade_gov_csl.")],
    since: Annotated[
        str | None,
        typer.Option(
            help="Changes after this date YYYY-MM-DD (default: the snapshot before the latest).", callback=check_date
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """What the dataset's latest snapshots added, changed and ended, and whose screening changes."""
    with loaded(data, backend) as store:
        day: dt.date | None = parse_date(since)
        payload = dataset_changes(store, dataset, day)
        emit(fmt, payload, lambda: render.print_changes(out, payload))
