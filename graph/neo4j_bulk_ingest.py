"""A first ingest into an empty Neo4j database through the import: the ingest writes import CSVs.

`BulkTarget` is the ingest target of a database that will hold the curated data and the download,
and holds nothing yet. The ingest runs unchanged against it — it compares the download with the
curated records (an id of theirs is refused as on the batched path), finds nothing stored, so
every record is added with the stamps the batched path writes (`first_seen`, `last_seen`, the
digest, the snapshot cited in `sources`), and the snapshot's Source node comes last — but its
writes stream into the import CSVs instead of transactions. At `commit` the curated records
follow (those the ingest rewrote, in their new form). The database then holds what `chiptrail
load` followed by a batched `chiptrail ingest` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from graph.neo4j_csv_writers import PipedWriters
from graph.target import Fingerprint, Ref
from ontology.records import Dataset, Edge, Node
from ontology.vocab import Label, Prop

Record = Node | Edge


def _live(record: Record, dataset: str) -> bool:
    """A record of `dataset` that has not ended (a snapshot Source node is none)."""
    if isinstance(record, Node) and Label.SOURCE in record.labels:
        return False
    return record.props.get(Prop.DATASET) == dataset and record.props.get(Prop.ENDED_IN) is None


def _fingerprint(record: Record) -> Fingerprint:
    dataset, digest = record.props.get(Prop.DATASET), record.props.get(Prop.DIGEST)
    return Fingerprint(
        str(dataset) if dataset else None, str(digest) if digest else None, record.props.get(Prop.ENDED_IN) is not None
    )


class BulkTarget:
    """The ingest target of an empty database the import fills with `curated` and the download."""

    backend = "neo4j"

    def __init__(self, writer: PipedWriters, curated: Dataset) -> None:
        self.writer = writer
        self.curated = curated
        self.rewritten: set[str] = set()  # curated ids the ingest wrote anew (ended, changed)
        self.seen: list[tuple[str, dt.date]] = []

    def _curated(self, ref: Ref) -> Record | None:
        record_id, rel_type = ref
        if rel_type is None:
            return self.curated.nodes.get(record_id)
        edge = self.curated.edges.get(record_id)
        return edge if edge is not None and edge.type == rel_type else None

    def snapshots(self, dataset: str) -> list[Node]:
        found = [
            n
            for n in self.curated.nodes.values()
            if Label.SOURCE in n.labels and n.props.get(Prop.DATASET) == dataset and n.props.get(Prop.SNAPSHOT)
        ]
        return sorted(found, key=lambda n: str(n.props[Prop.SNAPSHOT]))

    def known(self, ids: set[str]) -> set[str]:
        return ids & self.curated.nodes.keys()

    def fingerprints(self, refs: list[Ref]) -> dict[str, Fingerprint]:
        return {record.id: _fingerprint(record) for ref in refs if (record := self._curated(ref)) is not None}

    def stored(self, refs: list[Ref]) -> dict[str, Record]:
        return {record.id: record for ref in refs if (record := self._curated(ref)) is not None}

    def live(self, dataset: str) -> Iterator[Ref]:
        """The dataset's records in the curated data (there are none unless it carries ingest stamps)."""
        yield from ((node.id, None) for node in self.curated.nodes.values() if _live(node, dataset))
        yield from ((edge.id, edge.type) for edge in self.curated.edges.values() if _live(edge, dataset))

    def write(self, records: Iterable[Record]) -> None:
        for record in records:
            if record.id in self.curated.nodes or record.id in self.curated.edges:
                self.rewritten.add(record.id)
            self.writer.write([record])

    def stamp_seen(self, dataset: str, day: dt.date, kept: list[Ref]) -> None:
        """Every record written is new in this snapshot (its `last_seen` is `day` already); the
        curated records of the dataset get theirs as they are written at `commit`."""
        self.seen.append((dataset, day))

    def commit(self) -> None:
        """Write the curated records the ingest left as they were."""
        records: list[Record] = [*self.curated.nodes.values(), *self.curated.edges.values()]
        for record in records:
            if record.id not in self.rewritten:
                self.writer.write([self._stamped(record)])

    def _stamped(self, record: Record) -> Record:
        days = [day for dataset, day in self.seen if _live(record, dataset)]
        if not days:
            return record
        props = {**record.props, Prop.LAST_SEEN: days[-1]}
        if isinstance(record, Node):
            return Node(record.id, record.labels, props, record.origin)
        return Edge(record.id, record.type, record.source, record.target, props, record.origin)

    def abort(self) -> None:
        """The CSVs are thrown away whole: nothing reaches the database."""
