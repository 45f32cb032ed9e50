"""Run a named query on either backend: its Cypher on Neo4j, its in-process twin otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from loaders.records import Edge
from ontology.errors import BackendUnavailable
from ontology.vocab import Prop
from queries.registry import DEPTH_QUANTIFIER, HOP_QUANTIFIER, MAX_DEPTH, MAX_HOPS, REGISTRY
from queries.twins import TWINS, Row
from queries.twins_policy import countries, designations, owners, region_chips

ALL_TWINS: dict[str, Callable[..., list[Row]]] = {
    **TWINS,
    "designations": designations,
    "owners": owners,
    "region_chips": region_chips,
    "countries": countries,
}


def run(store: GraphStore, name: str, **params: Any) -> list[Row]:
    """Rows of the named query. Raises KeyError for an unknown name, ValueError for wrong parameters."""
    query = REGISTRY[name]
    expected = {p.name for p in query.parameters}
    if set(params) != expected:
        raise ValueError(f"query '{name}' takes {sorted(expected)}, got {sorted(params)}")
    if isinstance(store, Neo4jStore):
        return store.run(bounded(query.text, params.get("max_hops"), params.get("depth")), **params)
    if isinstance(store, MemoryStore):
        return ALL_TWINS[name](store, **params)
    raise BackendUnavailable(f"no implementation of '{name}' for backend {store.backend}")


def bounded(text: str, max_hops: Any, depth: Any = None) -> str:
    """Tighten the path quantifiers to the hop limit and depth, so Neo4j never expands further than asked.

    Cypher 5 takes no parameter in a quantifier; each limit is a checked integer, never user text.
    """
    if depth is not None:
        if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be a whole number from 0 to {MAX_DEPTH}")
        # Cypher refuses {0,0}; depth 0 keeps {0,1} and the query's `length(p) <= $depth` ends it.
        text = text.replace(DEPTH_QUANTIFIER, f"{{0,{max(depth, 1)}}}")
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
