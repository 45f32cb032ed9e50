"""What every source module is: a dataset's description and a reader from a download to records.

A source reads one downloaded file and yields, row by row, what each row of the file becomes:

- `Mapped`: the nodes and edges of one source record, under the source's own record key (stable
  across snapshots), with the file and line it came from;
- `Skipped`: a row deliberately not loaded (an individual when individuals were not asked for, a
  kind of entry chiptrail does not model), counted by reason;
- `Invalid`: a row that cannot be read, as a `Problem` naming the file, line and field. The
  ingest stops before writing anything unless `--skip-invalid` was given, in which case the row
  is counted and skipped.

A `Mapped` row may also carry `tallies` (what the summary counts it under, e.g. the level of place
a plant was put in) and `warnings` (a value that was read but could not be used, naming the file,
line and field: the row is loaded without it).

Sources never stamp provenance themselves: the ingest adds the dataset, record key, origin,
snapshot source, first and last seen dates to everything a source yields. Nodes an edge points at
may belong to the same download or to the bundled curated data (e.g. `list-bis-entity-list`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from ontology.errors import Problem
from ontology.records import Edge, Node, Origin


@dataclass(frozen=True)
class SourceInfo:
    """A publisher's dataset as chiptrail names and cites it."""

    name: str  # what a user types: `chiptrail ingest csl FILE`
    dataset: str  # the default dataset id stamped on every record (`--dataset` overrides it)
    title: str
    publisher: str
    licence: str
    home: str  # the page that describes the dataset and its downloads
    url: str  # the address of the file a user downloads (the document a snapshot cites)
    confidence: str  # the confidence of the dataset's own assertions
    formats: tuple[str, ...]  # file kinds it reads, e.g. ("json", "csv")


@dataclass(frozen=True)
class ReadOptions:
    """What the user asked of one ingest."""

    include_individuals: bool = False


@dataclass
class Mapped:
    """The records one row of a download becomes."""

    key: str
    origin: Origin
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    tallies: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A row deliberately not loaded, and why (the reason is what the summary counts by).

    `ids` names the node ids the row would have made: edges of other rows that point at them are
    dropped and counted too (an ownership whose owner is an individual not loaded)."""

    reason: str
    origin: Origin
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Invalid:
    """A row that cannot be read."""

    problem: Problem


Row = Mapped | Skipped | Invalid


class Source(Protocol):
    """A source module: `info`, the date a file states for itself, and the reader."""

    info: SourceInfo

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """The snapshot date the file itself states (e.g. the CSL's last import), if any."""
        ...

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        """Stream the rows of `path`. Raises `DataError` when the file as a whole is unreadable
        (wrong format, not UTF-8, truncated envelope); yields `Invalid` for a bad row."""
        ...


class Pieces(Protocol):
    """A download read in two steps: its pieces (a line of JSON, the statements of one entity), cut
    in the reading process, and what each piece becomes, mapped on its own (after whatever first
    pass the source makes). The staging shares the pieces between processes, so a piece and a row
    cross between them: plain values, cheap to pickle. A source offers it by defining
    `pieces(path, options) -> Pieces | None` (None for a file it reads whole)."""

    def cut(self) -> Iterator[object]:
        """Every piece, in the file's order. Raises `DataError` like `read`."""
        ...

    def __call__(self, piece: Any) -> Row:
        """What the piece becomes (never an exception for a bad piece: an `Invalid`)."""
        ...


def pieces(source: Source, path: Path, options: ReadOptions) -> Pieces | None:
    """The source's reading of `path` piece by piece, where it has one."""
    offer = getattr(source, "pieces", None)
    found = offer(path, options) if callable(offer) else None
    return cast(Pieces, found) if found is not None else None


def default_dataset(source: Source, path: Path) -> str:
    """The dataset a download is filed under unless the user names one: the source's, or, for a
    source that publishes several datasets in one layout (GEM's trackers), the one the file is —
    such a source defines `dataset_of(path)`."""
    pick = getattr(source, "dataset_of", None)
    found = pick(path) if callable(pick) else None
    return found if isinstance(found, str) and found else source.info.dataset
