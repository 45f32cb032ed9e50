"""Chokepoints: the intermediaries that the most licence-requiring routes into a region pass through.

Ranked by the number of such routes through them (routes whose screening verdict is item,
party or both), then by betweenness centrality on the chip-carrying subgraph (SUPPLIES edges
valid on the date that carry a chip model of those routes) — where one enforcement action
would cut the most routes.

On Neo4j an answer is three statements: the region's name, its sub-graph (queries/prefetch.py)
and the chip-carrying subgraph selected by the server (id pairs only, not every SUPPLIES
relationship with its properties).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import cast

import networkx as nx

from graph.neo4j_read import Reader, carrying_pairs
from graph.store import GraphStore
from ontology.records import valid_on
from ontology.vocab import Prop, Rel
from queries import prefetch
from queries.answers import Chokepoint, ChokepointsAnswer, ChokepointsQuery
from queries.policies import Policies
from queries.region import RegionFacts
from queries.resolve import resolve_place
from queries.route_screen import verdict_of
from queries.routes import DEFAULT_MAX_HOPS, Route
from queries.views import Viewer

DEFAULT_TOP = 10


def betweenness(store: GraphStore, chips: set[str], day: dt.date) -> dict[str, float]:
    """Normalised betweenness on SUPPLIES edges valid on `day` that carry any of `chips`.

    On Neo4j the server selects those edges (bare id pairs: graph/neo4j_read.py says why Brandes
    itself runs here); elsewhere they are read from the store. Same edges, same order, same numbers."""
    if prefetch.on_neo4j(store):
        pairs = carrying_pairs(cast(Reader, store), chips, day) if chips else []
    else:
        pairs = [
            (edge.source, edge.target)
            for edge in store.edges(Rel.SUPPLIES)
            if isinstance(carried := edge.props.get(Prop.CHIPS), list)
            and chips & set(carried)
            and valid_on(edge.props, day)
        ]
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_edges_from(pairs)
    return dict(nx.betweenness_centrality(graph, normalized=True)) if graph.number_of_nodes() > 2 else {}


def chokepoints(
    store: GraphStore,
    region: str,
    *,
    as_of: dt.date | None = None,
    top: int = DEFAULT_TOP,
    policies: Policies | None = None,
) -> ChokepointsAnswer:
    """The top intermediaries on licence-requiring routes into `region`."""
    day = as_of or dt.date.today()
    place = resolve_place(store, region)
    whole, store = store, prefetch.region_view(store, place, day, DEFAULT_MAX_HOPS, screen=True)
    routes = RegionFacts.gather(store, place, day).routes(store, policies or Policies.load(store))
    flagged = [r for r in routes if verdict_of(r.screening) != "neither"]
    through: dict[str, list[Route]] = defaultdict(list)
    for route in flagged:
        for node in route.nodes[1:-1]:
            through[node].append(route)
    central = betweenness(whole, {r.chip.id for r in flagged}, day)
    ranked = sorted(through, key=lambda n: (-len(through[n]), -central.get(n, 0.0), n))[:top]
    viewer = Viewer(store)
    viewer.prefetch(set(ranked))
    return ChokepointsAnswer(
        query=ChokepointsQuery(region=viewer.ref(place.id), as_of=day.isoformat(), top=top),
        licence_routes=len(flagged),
        routes=len(routes),
        chokepoints=[
            Chokepoint(
                node=viewer.ref(n),
                licence_routes=len(through[n]),
                share=round(len(through[n]) / len(flagged), 4),
                betweenness=round(central.get(n, 0.0), 4),
                chips=sorted({r.chip.id for r in through[n]}),
                sites=sorted({r.edges[-1].target for r in through[n]}),
                verdicts=dict(sorted(Counter(str(verdict_of(r.screening)) for r in through[n]).items())),
            )
            for n in ranked
        ],
    )
