"""Run a named query on either backend: its Cypher on Neo4j, its in-process twin otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from loaders.records import Edge
from ontology.errors import BackendUnavailable
from ontology.vocab import Prop
from queries.registry import HOP_QUANTIFIER, MAX_HOPS, REGISTRY
from queries.twins import TWINS, Row


def run(store: GraphStore, name: str, **params: Any) -> list[Row]:
    """Rows of the named query. Raises KeyError for an unknown name, ValueError for wrong parameters."""
    query = REGISTRY[name]
    expected = {p.name for p in query.parameters}
    if set(params) != expected:
        raise ValueError(f"query '{name}' takes {sorted(expected)}, got {sorted(params)}")
    if isinstance(store, Neo4jStore):
        return store.run(bounded(query.text, params.get("max_hops")), **params)
    if isinstance(store, MemoryStore):
        return TWINS[name](store, **params)
    raise BackendUnavailable(f"no implementation of '{name}' for backend {store.backend}")


def bounded(text: str, max_hops: Any) -> str:
    """Tighten the path quantifier to the hop limit, so Neo4j never expands further than asked.

    Cypher 5 takes no parameter in a quantifier; the limit is a checked integer, never user text.
    """
    if max_hops is None:
        return text
    if not isinstance(max_hops, int) or isinstance(max_hops, bool) or not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"max_hops must be a whole number from 1 to {MAX_HOPS}")
    return text.replace(HOP_QUANTIFIER, f"{{1,{max_hops}}}")


def to_edge(row: Row) -> Edge:
    """An edge map from a query row -> an Edge record."""
    props = {k: v for k, v in row["props"].items() if k != Prop.ID}
    return Edge(row["props"][Prop.ID], row["type"], row["source"], row["target"], props)


def supply_paths(
    store: GraphStore, chip_id: str, region_id: str, max_hops: int, as_of: dt.date | None
) -> list[tuple[Edge, ...]]:
    """Route candidates for one chip model (see supply_paths.cypher)."""
    rows = run(store, "supply_paths", chip_id=chip_id, region_id=region_id, max_hops=max_hops, as_of=as_of)
    return [tuple(to_edge(e) for e in row["edges"]) for row in rows]


def sites_within(store: GraphStore, region_id: str) -> set[str]:
    return {row["id"] for row in run(store, "sites_within", region_id=region_id)}


def deployments(store: GraphStore, chip_id: str, region_id: str, as_of: dt.date | None) -> list[Edge]:
    return [
        to_edge(row["edge"]) for row in run(store, "deployments", chip_id=chip_id, region_id=region_id, as_of=as_of)
    ]
