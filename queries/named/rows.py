"""The row shapes both backends return for a named query, and the table of in-process twins.

A twin is registered with `@twin("name")` beside the rows it builds; `queries.named.registry()`
pairs every `.cypher` file with exactly one twin when it is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ontology.records import Edge, Node
from ontology.vocab import Prop

Row = dict[str, Any]
Twin = Callable[..., list[Row]]
TWINS: dict[str, Twin] = {}
F = TypeVar("F", bound=Twin)


def twin(name: str) -> Callable[[F], F]:
    """Register the in-process twin of the query `name`.cypher (a second twin for one name is an error)."""

    def register(function: F) -> F:
        if name in TWINS:
            raise RuntimeError(f"two in-process twins for the named query '{name}'")
        TWINS[name] = function
        return function

    return register


def edge_map(edge: Edge) -> Row:
    """An edge as the Cypher queries return it: {type, source, target, props (with id)}."""
    return {"type": edge.type, "source": edge.source, "target": edge.target, "props": {**edge.props, Prop.ID: edge.id}}


def node_map(node: Node) -> Row:
    """A node as the Cypher queries return it: {id, labels (sorted), props (with id)}."""
    return {"id": node.id, "labels": sorted(node.labels), "props": {**node.props, Prop.ID: node.id}}


def to_edge(row: Row) -> Edge:
    """An edge map from a query row -> an Edge record."""
    props = {k: v for k, v in row["props"].items() if k != Prop.ID}
    return Edge(row["props"][Prop.ID], row["type"], row["source"], row["target"], props)
