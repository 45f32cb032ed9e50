"""Check what a source made against the ontology: the same rules as the curated loader applies.

Labels and relationship types come from the ontology, every property is one the ontology allows
on that record with its datatype and range, names hold no control characters, ids are kebab text
and `valid_to` is not before `valid_from`. A source that builds a wrong record is caught here with
the file and line of the row, never later in a store.
"""

from __future__ import annotations

import datetime as dt
import re

from loaders.coerce import CoercionError, coerce
from ontology.errors import Problem
from ontology.records import Edge, Node, Origin, Props, Value
from ontology.schema import PropertySpec, Schema
from ontology.vocab import Prop

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _problem(message: str, origin: Origin, record: str, field: str | None = None) -> Problem:
    return Problem(message, file=origin.file, line=origin.line, record=record, field=field)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # a fast first look; `coerce` says what is wrong
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "anyURI": (str,),
    "date": (dt.date,),
    "decimal": (int, float),
    "integer": (int,),
    "boolean": (bool,),
}
_ALLOWED: dict[tuple[int, str | tuple[str, ...]], dict[str, PropertySpec]] = {}


def _fits(value: Value, spec: PropertySpec) -> bool:
    """True when the value is plainly right (the common case), so the full coercion is skipped."""
    values = value if spec.multi and isinstance(value, list) else None if spec.multi else [value]
    if values is None:
        return False
    kinds = _TYPES[spec.datatype]
    for item in values:
        if not isinstance(item, kinds) or (isinstance(item, bool) and bool not in kinds):
            return False
        if isinstance(item, str) and _CONTROL.search(item):
            return False
        if isinstance(item, int | float) and not isinstance(item, bool) and not _in_range(item, spec):
            return False
    return True


def _in_range(number: float, spec: PropertySpec) -> bool:
    return (spec.minimum is None or number >= spec.minimum) and (spec.maximum is None or number <= spec.maximum)


def _allowed_on_node(schema: Schema, labels: tuple[str, ...]) -> dict[str, PropertySpec]:
    key = (id(schema), labels)
    if key not in _ALLOWED:
        _ALLOWED[key] = schema.node_properties(labels)
    return _ALLOWED[key]


def _allowed_on_edge(schema: Schema, rel_type: str) -> dict[str, PropertySpec]:
    key = (id(schema), rel_type)
    if key not in _ALLOWED:
        _ALLOWED[key] = schema.edge_properties(rel_type)
    return _ALLOWED[key]


def _props(props: Props, allowed: dict[str, PropertySpec], origin: Origin, record: str) -> list[Problem]:
    found: list[Problem] = []
    for key, value in props.items():
        spec = allowed.get(key)
        if spec is None:
            found.append(_problem("property not allowed here by the ontology", origin, record, key))
            continue
        if _fits(value, spec):
            continue
        try:
            coerce(value, spec)
        except CoercionError as exc:
            found.append(_problem(str(exc), origin, record, key))
    start, end = props.get(Prop.VALID_FROM), props.get(Prop.VALID_TO)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        found.append(_problem(f"valid_to {end} is before valid_from {start}", origin, record, Prop.VALID_TO))
    return found


def node_problems(node: Node, schema: Schema, origin: Origin) -> list[Problem]:
    """What is wrong with a node a source built (empty when it is fine)."""
    if not ID_PATTERN.match(node.id):
        return [_problem(f"node id {node.id!r} is not lower-case kebab text", origin, node.id, "id")]
    unknown = [label for label in node.labels if label not in schema.classes]
    if unknown:
        return [_problem(f"labels not in the ontology: {', '.join(unknown)}", origin, node.id, "labels")]
    return _props(node.props, _allowed_on_node(schema, node.labels), origin, node.id)


def edge_problems(edge: Edge, schema: Schema, origin: Origin) -> list[Problem]:
    """What is wrong with an edge a source built (its ends are checked once every row is read)."""
    if edge.type not in schema.relationships:
        return [_problem(f"relationship type {edge.type!r} is not in the ontology", origin, edge.id, "type")]
    if not ID_PATTERN.match(edge.id):
        return [_problem(f"relationship id {edge.id!r} is not lower-case kebab text", origin, edge.id, "id")]
    return _props(edge.props, _allowed_on_edge(schema, edge.type), origin, edge.id)
