"""In-process twins of the policy queries (designations, owners); same rows as their `.cypher` files."""

from __future__ import annotations

import datetime as dt

from graph.memory import MemoryStore
from graph.store import valid_on
from loaders.records import Edge
from ontology.vocab import Label, Prop, Rel
from queries.twins import Row, edge_map

MAX_OWNERSHIP_HOPS = 6  # the {1,6} of owners.cypher


def _is_org(store: MemoryStore, node_id: str) -> bool:
    node = store.node(node_id)
    return node is not None and Label.ORGANIZATION in node.labels


def designations(store: MemoryStore, *, org_ids: list[str] | None) -> list[Row]:
    wanted = None if org_ids is None else set(org_ids)
    rows = []
    for edge in store.edges(Rel.DESIGNATED_BY):
        listing = store.node(edge.target)
        if (wanted is not None and edge.source not in wanted) or not _is_org(store, edge.source):
            continue
        if listing is None or Label.LISTING_ACTION not in listing.labels:
            continue
        lists = sorted(
            e.target
            for e in store.edges(Rel.AMENDS, source=listing.id)
            if (n := store.node(e.target)) is not None and Label.SANCTIONS_LIST in n.labels
        )
        rows.append(
            {
                "party": edge.source,
                "edge": {**edge.props, Prop.ID: edge.id},
                "listing": {**listing.props, Prop.ID: listing.id},
                "lists": lists,
            }
        )
    return sorted(rows, key=lambda r: (r["party"], r["edge"][Prop.ID]))


def owners(store: MemoryStore, *, org_id: str, as_of: dt.date | None) -> list[Row]:
    if not _is_org(store, org_id):
        return []
    chains: list[tuple[Edge, ...]] = []

    def walk(here: str, chain: tuple[Edge, ...], seen: frozenset[str]) -> None:
        if len(chain) >= MAX_OWNERSHIP_HOPS:
            return
        for edge in store.edges(Rel.OWNS, target=here):
            if edge.source in seen or not valid_on(edge.props, as_of):
                continue
            step = (edge, *chain)
            if _is_org(store, edge.source):
                chains.append(step)
            walk(edge.source, step, seen | {edge.source})

    walk(org_id, (), frozenset({org_id}))
    return [{"edges": [edge_map(e) for e in chain]} for chain in chains]
