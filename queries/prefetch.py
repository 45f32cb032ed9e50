"""The dispatch point between the backends for whole answers: on Neo4j, one statement fetches the
sub-graph an answer reads (graph/neo4j_read.py) and the answer's code runs over it in memory; on the
embedded store the answer reads the store itself. Both backends decide with the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from graph.neo4j_read import Parts, Reader, fetch
from graph.store import GraphStore
from ontology.records import Node

_ENABLED = [True]


def on_neo4j(store: GraphStore) -> bool:
    """Whether answers on this store fetch their sub-graph in one statement (every Neo4j store)."""
    return _ENABLED[0] and store.backend == "neo4j"


@contextmanager
def per_call_reads() -> Iterator[None]:
    """Within the block, answers on Neo4j read the store call by call, as they did before the one-statement
    fetch (bench/answers.py measures the two against each other; not thread-safe, not for serving)."""
    _ENABLED[0] = False
    try:
        yield
    finally:
        _ENABLED[0] = True


def routes_view(
    store: GraphStore, chips: list[Node], region: Node, max_hops: int, day: dt.date, *, screen: bool, designations: bool
) -> GraphStore:
    """What a routes answer (after name resolution) reads: its paths, rules, places, deployments, sources,
    and with `screen` the designations and the parties' ownership chains."""
    if not on_neo4j(store):
        return store
    parts = Parts(
        region_id=region.id,
        chip_ids=tuple(c.id for c in chips),
        max_hops=max_hops,
        as_of=day,
        designations=screen and designations,
        owners_on_routes=screen,
    )
    return fetch(cast(Reader, store), parts)


def region_view(store: GraphStore, region: Node, day: dt.date, max_hops: int, *, screen: bool) -> GraphStore:
    """What exposure, what-if and chokepoints read of a region: every reaching chip model's routes and
    deployments, and with `screen` the designations and the parties' ownership chains."""
    if not on_neo4j(store):
        return store
    parts = Parts(region_id=region.id, max_hops=max_hops, as_of=day, designations=screen, owners_on_routes=screen)
    return fetch(cast(Reader, store), parts)


def party_view(store: GraphStore, party: Node) -> GraphStore:
    """What screening a party reads: the rules, every designation and the party's ownership chains."""
    if not on_neo4j(store):
        return store
    return fetch(cast(Reader, store), Parts(designations=True, parties=(party.id,)))
