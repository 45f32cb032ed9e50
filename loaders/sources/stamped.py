"""What each mapped row of a download becomes in the staging file: its records stamped with their
provenance, checked against the ontology and encoded as staging rows (`settle`), in this process
or in forked ones (`settled_rows`).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import NamedTuple

from loaders.sources import forked
from loaders.sources.base import Mapped, Pieces, ReadOptions, Row, Source, pieces
from loaders.sources.check import edge_problems, node_problems
from ontology.errors import Problem
from ontology.recordjson import Record, digest, dumps
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import Schema
from ontology.vocab import Prop

# Properties the ingest stamps: they say where and when a record was seen, not what it says.
STAMPS = frozenset(
    {
        Prop.SOURCES,
        Prop.DATASET,
        Prop.RECORD_KEY,
        Prop.ORIGIN,
        Prop.FIRST_SEEN,
        Prop.LAST_SEEN,
        Prop.CHANGED_IN,
        Prop.CHANGED_FIELDS,
        Prop.ENDED_IN,
        Prop.DIGEST,
    }
)


class Stamps(NamedTuple):
    """What stamping and checking a row's records reads (the same in every forked process)."""

    schema: Schema
    confidence: str
    dataset: str
    source_id: str


def stamp(record: Record, stamps: Stamps, key: str, origin: Origin) -> Record:
    props: Props = {
        Prop.CONFIDENCE: stamps.confidence,
        **record.props,
        Prop.DATASET: stamps.dataset,
        Prop.RECORD_KEY: key,
        Prop.ORIGIN: str(origin),
        Prop.SOURCES: [stamps.source_id],
    }
    if isinstance(record, Node):
        return Node(record.id, stamps.schema.closure(record.labels), props, origin)
    return Edge(record.id, record.type, record.source, record.target, props, origin)


StageRow = tuple[str, str, str, str, str, str | None, str | None]


def staging_row(record: Record, origin: str) -> StageRow:
    """A staging row: the record with its digest stamped in, and what the checks look up."""
    fingerprint = digest(record, STAMPS)
    props = {**record.props, Prop.DIGEST: fingerprint}
    if isinstance(record, Node):
        return (record.id, "node", fingerprint, dumps(Node(record.id, record.labels, props)), origin, None, None)
    stamped = Edge(record.id, record.type, record.source, record.target, props)
    return (record.id, "edge", fingerprint, dumps(stamped), origin, record.source, record.target)


class Settled(NamedTuple):
    """A mapped row's records as staging rows, or the problems that keep the row out."""

    rows: list[StageRow]
    problems: list[Problem]


def settled_rows(
    source: Source, path: Path, options: ReadOptions, stamps: Stamps
) -> Generator[tuple[Row, Settled | None], None, None]:
    """Every row of the download, each mapped row with its records stamped, checked and encoded.
    A download read piece by piece (`base.Pieces`) shares its pieces with forked processes
    (`forked.in_order`); any other is read in this process."""
    read = pieces(source, path, options)
    if read is None:
        for row in source.read(path, options):
            yield row, settle(row, stamps) if isinstance(row, Mapped) else None
        return
    for _, answer in forked.in_order(read.cut(), _settle_pieces, (read, stamps)):
        yield answer


def _settle_pieces(given: tuple[Pieces, Stamps], batch: list[object]) -> list[tuple[Row, Settled | None]]:
    """What each piece becomes, settled; a mapped row comes back without its records (its staging
    rows hold them), so only plain values cross between processes."""
    read, stamps = given
    answers: list[tuple[Row, Settled | None]] = []
    for piece in batch:
        row = read(piece)
        if isinstance(row, Mapped):
            slim = Mapped(row.key, row.origin, tallies=row.tallies, warnings=row.warnings)
            answers.append((slim, settle(row, stamps)))
        else:
            answers.append((row, None))
    return answers


def settle(row: Mapped, stamps: Stamps) -> Settled:
    """The row's records stamped, checked and encoded."""
    made: list[Record] = [*row.nodes, *row.edges]
    records = [stamp(r, stamps, row.key, row.origin) for r in made]
    found = [
        p
        for r in records
        for p in (
            node_problems(r, stamps.schema, row.origin)
            if isinstance(r, Node)
            else edge_problems(r, stamps.schema, row.origin)
        )
    ]
    if found:
        return Settled([], found)
    return Settled([staging_row(record, str(row.origin)) for record in records], [])
