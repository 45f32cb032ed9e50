"""Where an ingest writes: the embedded store's ledger or a Neo4j database, with one meaning.

A target holds each dataset's records with their stamps and the snapshot Source nodes that say
which downloads were applied. The ingest reads what a target holds for the records of the new
download, then writes what changed; the target makes the whole snapshot visible at once (the
ledger in one transaction) or converges when the same snapshot is written again (Neo4j).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple, Protocol

from ontology.records import Edge, Node

Record = Node | Edge
Ref = tuple[str, str | None]  # a record's id and, for a relationship, its type


class Fingerprint(NamedTuple):
    """What an ingest needs to know of a stored record without reading it whole."""

    dataset: str | None
    digest: str | None
    ended: bool


def ref(record: Record) -> Ref:
    return (record.id, record.type) if isinstance(record, Edge) else (record.id, None)


class IngestTarget(Protocol):
    backend: str

    def snapshots(self, dataset: str) -> list[Node]:
        """The dataset's snapshot Source nodes, oldest first."""
        ...

    def known(self, ids: set[str]) -> set[str]:
        """Which of these node ids the graph holds (outside the download being ingested)."""
        ...

    def fingerprints(self, refs: list[Ref]) -> dict[str, Fingerprint]:
        """The dataset, digest and end of the records the target holds under these ids, by id."""
        ...

    def stored(self, refs: list[Ref]) -> dict[str, Record]:
        """What the target holds under these ids (nodes, or relationships of the type), by id."""
        ...

    def live(self, dataset: str) -> Iterator[Ref]:
        """The dataset's records that have not ended (its snapshot Source nodes excepted)."""
        ...

    def write(self, records: Iterable[Record]) -> None:
        """Upsert records whole (properties replaced)."""
        ...

    def stamp_seen(self, dataset: str, day: dt.date, kept: list[Ref]) -> None:
        """Set `last_seen` on every record of the dataset that has not ended. `kept`: those of them
        that were live before this snapshot and are still (the others it wrote, stamped)."""
        ...

    def commit(self) -> None:
        """Make everything written visible (a no-op where every batch already is)."""
        ...

    def abort(self) -> None:
        """Forget everything written since the last commit, where the target can."""
        ...
