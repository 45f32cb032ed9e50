"""A first ingest into an empty Neo4j database at import speed: `chiptrail ingest … --bulk`.

The download is staged and checked as on the batched path, then the ingest writes the curated
data and the download, stamped as the batched path stamps them, as `neo4j-admin database import
full` CSVs (`graph.neo4j_bulk_ingest.BulkTarget`); the import runs, the schema is built, and the
resolution is applied as after any ingest. The graph is the one `chiptrail load` followed by
`chiptrail ingest --backend neo4j` writes, so later snapshots go on top through the batched path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from api.ingest import IngestReport, IngestRequest, Progress, ingest
from graph import neo4j_bulk
from graph.neo4j_bulk_ingest import BulkTarget
from graph.neo4j_csv import CsvSet
from graph.neo4j_csv_writers import PipedWriters
from graph.neo4j_server import ServerConfig
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from ontology.records import Dataset
from queries.same_as import ApplyReport, apply_resolution

INSTEAD = "ingest without --bulk to apply the snapshot to what it holds"


@dataclass(frozen=True)
class BulkReport:
    ingest: IngestReport
    csvs: CsvSet
    resolution: ApplyReport | None = None  # None when only the CSVs were written


def write_import(
    request: IngestRequest, curated: Dataset, folder: Path, *, progress: Progress | None = None
) -> tuple[IngestReport, CsvSet]:
    """The import CSVs of a database holding `curated` and the download, written into `folder`.
    Raises what `ingest` raises (nothing is imported then)."""
    writer = PipedWriters(folder)
    try:
        report = ingest(request, BulkTarget(writer, curated), progress=progress)
    except BaseException:
        writer.abort()
        raise
    return report, writer.close()


def bulk_ingest(
    request: IngestRequest,
    curated: Dataset,
    config: ServerConfig,
    settings: Neo4jSettings,
    judgements: Sequence[Path],
    *,
    status: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> BulkReport:
    """Import the curated data and the download into the empty database of the server in
    `config.home`, build the schema and apply the resolution. Raises `WriteRefused` on a database
    that holds data, and what `ingest` raises on a bad download (the database is left as it was)."""
    reports: list[IngestReport] = []

    def write(folder: Path) -> CsvSet:
        report, csvs = write_import(request, curated, folder, progress=progress)
        reports.append(report)
        return csvs

    csvs = neo4j_bulk.bulk_import(config, settings, write, status=status, instead=INSTEAD)
    if status:
        status("applying the resolution")
    with closing(Neo4jStore.connect(settings)) as store:
        resolved = apply_resolution(store, judgements)
    return BulkReport(reports[0], csvs, resolved)
