"""A new snapshot against what the graph holds: added, changed, unchanged, ended — never deleted.

What a record says is compared without its stamps (`STAMPS`). A record the new snapshot no longer
contains ends: it keeps everything it said, gets `ended_in` (the snapshot that no longer had it),
cites that snapshot too, and a relationship also gets a `valid_to` (the day before, unless the
source had already given an earlier end), so a question about an earlier date answers as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from loaders.sources.stamped import STAMPS
from ontology.recordjson import Record, digest
from ontology.records import Edge, Node, Props
from ontology.vocab import Prop


class Op(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ENDED = "ended"


@dataclass(frozen=True)
class Settled:
    op: Op
    record: Record | None  # what to write (None: nothing to write)


def _with(record: Record, props: Props) -> Record:
    if isinstance(record, Node):
        return Node(record.id, record.labels, props)
    return Edge(record.id, record.type, record.source, record.target, props)


def _changed_fields(new: Record, old: Record) -> list[str]:
    keys = (set(new.props) | set(old.props)) - STAMPS
    fields = sorted(k for k in keys if new.props.get(k) != old.props.get(k))
    if isinstance(new, Node) and isinstance(old, Node) and set(new.labels) != set(old.labels):
        fields.append("labels")
    if isinstance(new, Edge) and isinstance(old, Edge) and (new.source, new.target) != (old.source, old.target):
        fields.append("ends")
    return fields


def settle(new: Record, fingerprint: str, old: Record | None, day: dt.date) -> Settled:
    """What the staged record `new` (with its digest) does to the stored `old`, in snapshot `day`."""
    if old is None:
        return Settled(Op.ADDED, _with(new, {**new.props, Prop.FIRST_SEEN: day, Prop.LAST_SEEN: day}))
    said = old.props.get(Prop.DIGEST) or digest(old, STAMPS)
    if Prop.ENDED_IN not in old.props and said == fingerprint:
        return Settled(Op.UNCHANGED, None)
    first = old.props.get(Prop.FIRST_SEEN, day)
    fields = _changed_fields(new, old) or [Prop.ENDED_IN]  # same values again after an end
    props: Props = {
        **new.props,
        Prop.FIRST_SEEN: first,
        Prop.LAST_SEEN: day,
        Prop.CHANGED_IN: day,
        Prop.CHANGED_FIELDS: fields,
    }
    return Settled(Op.CHANGED, _with(new, props))


def end(old: Record, day: dt.date, source_id: str) -> Record:
    """The stored record `old`, ended by the snapshot `day` that no longer contains it."""
    cited = old.props.get(Prop.SOURCES)
    sources = [*cited, source_id] if isinstance(cited, list) and source_id not in cited else cited or [source_id]
    props: Props = {**old.props, Prop.ENDED_IN: day, Prop.SOURCES: sources}
    if isinstance(old, Edge):
        last = day - dt.timedelta(days=1)
        start, stop = old.props.get(Prop.VALID_FROM), old.props.get(Prop.VALID_TO)
        if isinstance(start, dt.date) and start > last:
            last = start
        if not isinstance(stop, dt.date) or stop > last:
            props[Prop.VALID_TO] = last
    return _with(old, props)
