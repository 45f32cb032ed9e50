"""Validated node and edge records: what every loader produces and every store accepts.

They live beside the schema, at the bottom layer, because every layer passes them around.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ontology.vocab import Prop

Scalar = str | int | float | bool | dt.date
Value = Scalar | list[str]
Props = dict[str, Value]


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages."""

    file: str
    line: int | None = None
    item: str | None = None  # where a line says nothing (one-line JSON): e.g. "results[12]"

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return f"{self.file}#{self.item}" if self.item else self.file


@dataclass(frozen=True, slots=True)
class Node:
    """A node: its id, its labels (the full class closure, most general first) and properties."""

    id: str
    labels: tuple[str, ...]
    props: Props
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Edge:
    """A relationship; `id` is stable (defaults to from|TYPE|to) so loading twice converges."""

    id: str
    type: str
    source: str
    target: str
    props: Props
    origin: Origin | None = field(default=None, compare=False)


@dataclass
class Dataset:
    """Nodes and edges keyed by id, ready for a store."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)


def default_edge_id(source: str, rel_type: str, target: str) -> str:
    """The id an edge gets when its record does not name one."""
    return f"{source}|{rel_type}|{target}"


def valid_on(props: Props, day: dt.date | None) -> bool:
    """Whether a record holds on `day` (open bounds where a date is missing; any day if None)."""
    if day is None:
        return True
    start, end = props.get(Prop.VALID_FROM), props.get(Prop.VALID_TO)
    if isinstance(start, dt.date) and day < start:
        return False
    return not (isinstance(end, dt.date) and day > end)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Records are many small acyclic objects: while they are built or written, the cyclic
    collector's passes over them (and over whatever else the process holds) are wasted work."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
