"""Named queries on either backend: the `.cypher` file on Neo4j, its in-process twin on the embedded store.

`registry()` is built on first use, not at import: it parses every file in `cypher/`, checks each
against the ontology, and pairs it with exactly one twin (`queries/named/memory*.py`) whose
keyword parameters are the file's. A missing or extra twin, or parameters that disagree, is an
`OntologyError` at start, never a `KeyError` at the first call.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from graph.memory import MemoryStore
from graph.store import CypherStore, GraphStore
from ontology.errors import ConfigurationError, OntologyError
from ontology.records import Edge
from ontology.schema import load_schema
from queries.evidence import route_order
from queries.named import memory, memory_policy, memory_spatial
from queries.named.registry import CYPHER, NamedQuery, parse_folder
from queries.named.rows import TWINS, Row, Twin, to_edge

__all__ = ["NamedQuery", "Row", "deployment_edges", "hop_bound", "registry", "route_paths", "run", "to_edge"]
_TWIN_MODULES = (memory, memory_policy, memory_spatial)  # imported for their @twin registrations


def _twin_parameters(query: NamedQuery) -> set[str]:
    """What the twin takes: the declared parameters, plus `max_hops` where the file fixes the bound."""
    fixed = query.hops is not None and query.hops.parameter is None
    return {p.name for p in query.parameters} | ({"max_hops"} if fixed else set())


def pair(queries: dict[str, NamedQuery], twins: dict[str, Twin]) -> list[str]:
    """Every disagreement between the query files and the twins, as sentences."""
    problems = [f"{q}.cypher has no in-process twin" for q in sorted(queries.keys() - twins.keys())]
    problems += [f"twin '{t}' has no {t}.cypher" for t in sorted(twins.keys() - queries.keys())]
    for name in sorted(queries.keys() & twins.keys()):
        signature = inspect.signature(twins[name])
        taken = {p.name for p in signature.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}
        wanted = _twin_parameters(queries[name])
        if taken != wanted:
            problems.append(f"twin '{name}' takes {sorted(taken)}, {name}.cypher declares {sorted(wanted)}")
    return problems


@cache
def registry() -> dict[str, NamedQuery]:
    """Every named query by name, checked and paired with its twin (once per process)."""
    queries = parse_folder(CYPHER, load_schema())
    problems = pair(queries, TWINS)
    if problems:
        raise OntologyError("named queries and their twins disagree:\n  " + "\n  ".join(problems))
    return queries


def _on_neo4j(store: GraphStore, query: NamedQuery, params: dict[str, Any]) -> list[Row]:
    return cast(CypherStore, store).run(query.bounded(params), **params)


def _in_process(store: GraphStore, query: NamedQuery, params: dict[str, Any]) -> list[Row]:
    query.check(params)
    extra = {"max_hops": query.hops.upper} if query.hops is not None and query.hops.parameter is None else {}
    return TWINS[query.name](cast(MemoryStore, store), **params, **extra)


RUNNERS: dict[str, Callable[[GraphStore, NamedQuery, dict[str, Any]], list[Row]]] = {
    "neo4j": _on_neo4j,
    "memory": _in_process,
}


def run(store: GraphStore, name: str, **params: Any) -> list[Row]:
    """Rows of the named query on the store's backend. Raises `InvalidParameter` for wrong parameters."""
    query = registry()[name]
    runner = RUNNERS.get(store.backend)
    if runner is None:
        raise ConfigurationError(f"no runner for named queries on backend '{store.backend}'")
    return runner(store, query, params)


def route_paths(
    store: GraphStore, chip_id: str, region_id: str, max_hops: int, as_of: dt.date | None
) -> list[tuple[Edge, ...]]:
    """Route candidates for one chip model, as edge tuples (supply_paths.cypher), in route order
    (`evidence.route_order`). The embedded store's twin hands over its own edge records, in that
    order as it walks (the rows it would build for `run` skipped)."""
    params: dict[str, Any] = {"chip_id": chip_id, "region_id": region_id, "max_hops": max_hops, "as_of": as_of}
    if store.backend == "memory":
        registry()["supply_paths"].check(params)
        return memory.supply_edge_paths(cast(MemoryStore, store), **params)
    rows = run(store, "supply_paths", **params)
    return sorted((tuple(to_edge(e) for e in row["edges"]) for row in rows), key=route_order)


def deployment_edges(store: GraphStore, chip_id: str, region_id: str, as_of: dt.date | None) -> list[Edge]:
    """DEPLOYS edges of a chip model at sites in the region (deployments.cypher)."""
    rows = run(store, "deployments", chip_id=chip_id, region_id=region_id, as_of=as_of)
    return [to_edge(row["edge"]) for row in rows]


def hop_bound(name: str) -> int:
    """The upper hop bound written in a query file (the longest route `routes` can ask for)."""
    hops = registry()[name].hops
    if hops is None:
        raise OntologyError(f"{name}.cypher has no hop quantifier")
    return hops.upper
