"""Records as one line of JSON each, and back: how ingested records are staged and kept on disk.

Dates become ISO text; reading them back needs the names of the date-typed properties, which the
schema gives (`date_properties`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ontology.records import Edge, Node, Props
from ontology.schema import Schema

Record = Node | Edge


def date_properties(schema: Schema) -> frozenset[str]:
    """Properties whose values are dates."""
    return frozenset(name for name, spec in schema.properties.items() if spec.datatype == "date")


def _plain(props: Props) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in sorted(props.items())}


def as_object(record: Record) -> dict[str, Any]:
    """A JSON-ready dict of the record (keys sorted, dates as text)."""
    if isinstance(record, Node):
        return {"id": record.id, "labels": list(record.labels), "props": _plain(record.props)}
    return {
        "id": record.id,
        "type": record.type,
        "source": record.source,
        "target": record.target,
        "props": _plain(record.props),
    }


def _iso(value: object) -> str:
    """A date as ISO text: the one kind of value JSON has no type for (`json.dumps(default=…)`)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a record value")


def _shell(record: Record, props: dict[str, Any]) -> dict[str, Any]:
    """`as_object` with the properties given as they are (dates are written by `_iso`)."""
    if isinstance(record, Node):
        return {"id": record.id, "labels": list(record.labels), "props": props}
    return {"id": record.id, "type": record.type, "source": record.source, "target": record.target, "props": props}


# Built once: `json.dumps` with any option builds an encoder per call.
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_iso)
_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_iso)


def dumps(record: Record) -> str:
    """One line of JSON (the text of `as_object`, without building it value by value)."""
    props = dict(sorted(record.props.items()))
    return _LINE.encode(_shell(record, props))


def from_object(raw: dict[str, Any], dates: frozenset[str]) -> Record:
    """The record a dict made by `as_object` describes (the dict is taken over, not copied)."""
    props: Props = raw["props"]
    for key in dates.intersection(props):
        value = props[key]
        if isinstance(value, str):
            props[key] = dt.date.fromisoformat(value)
    if "labels" in raw:
        return Node(raw["id"], tuple(raw["labels"]), props)
    return Edge(raw["id"], raw["type"], raw["source"], raw["target"], props)


def loads(line: str, dates: frozenset[str]) -> Record:
    """The record one line made by `dumps` describes."""
    return from_object(json.loads(line), dates)


def digest(record: Record, ignore: frozenset[str]) -> str:
    """A fingerprint of what the record says, leaving out the properties in `ignore` (stamps)."""
    body = _shell(record, {k: v for k, v in record.props.items() if k not in ignore})
    text = _SORTED.encode(body)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
