"""In-process twins of the policy and region queries (designations, owners, region_chips,
countries): the same rows as their `.cypher` files."""

from __future__ import annotations

import datetime as dt

from graph.memory import MemoryStore
from ontology.records import Edge, Props, valid_on
from ontology.vocab import Label, Prop, Rel
from queries.named.memory import sites_in
from queries.named.rows import Row, edge_map, twin


def _is_org(store: MemoryStore, node_id: str) -> bool:
    node = store.node(node_id)
    return node is not None and Label.ORGANIZATION in node.labels


def positive_links(store: MemoryStore, node_id: str) -> list[tuple[Edge, str]]:
    """Positive SAME_AS edges touching a record, each with the record at its other end."""
    out = [(e, e.target) for e in store.edges(Rel.SAME_AS, source=node_id)]
    out += [(e, e.source) for e in store.edges(Rel.SAME_AS, target=node_id)]
    return [(e, other) for e, other in out if e.props.get(Prop.JUDGEMENT) == "positive"]


def cluster_paths(store: MemoryStore, start: str, max_hops: int) -> dict[str, tuple[Edge, ...]]:
    """Each record reachable over positive SAME_AS edges -> the node-simple path to it of fewest edges,
    ties broken by the list of edge ids (as designations.cypher orders them)."""
    best: dict[str, tuple[Edge, ...]] = {start: ()}

    def walk(here: str, path: tuple[Edge, ...], seen: frozenset[str]) -> None:
        if len(path) >= max_hops:
            return
        for edge, other in positive_links(store, here):
            if other in seen:
                continue
            step = (*path, edge)
            known = best.get(other)
            if known is None or (len(step), [e.id for e in step]) < (len(known), [e.id for e in known]):
                best[other] = step
            walk(other, step, seen | {other})

    walk(start, (), frozenset({start}))
    return best


@twin("designations")
def designations(store: MemoryStore, *, org_ids: list[str] | None, max_hops: int) -> list[Row]:
    """`max_hops` is the bound of the SAME_AS quantifier in designations.cypher, passed in by the runner."""
    wanted = None if org_ids is None else set(org_ids)
    rows = []
    for edge in store.edges(Rel.DESIGNATED_BY):
        listing = store.node(edge.target)
        if not _is_org(store, edge.source) or listing is None or Label.LISTING_ACTION not in listing.labels:
            continue
        lists = sorted(
            e.target
            for e in store.edges(Rel.AMENDS, source=listing.id)
            if (n := store.node(e.target)) is not None and Label.SANCTIONS_LIST in n.labels
        )
        for party, path in cluster_paths(store, edge.source, max_hops).items():
            if (wanted is not None and party not in wanted) or not _is_org(store, party):
                continue
            row: Row = {
                "party": party,
                "member": edge.source,
                "edge": {**edge.props, Prop.ID: edge.id},
                "listing": {**listing.props, Prop.ID: listing.id},
                "lists": lists,
                "merges": [edge_map(e) for e in path],
            }
            rows.append(row)
    return sorted(rows, key=lambda r: (r["party"], r["edge"][Prop.ID]))


def _owning_steps(store: MemoryStore, here: str, as_of: dt.date | None) -> list[tuple[Edge, str]]:
    """Edges a chain can take upwards from a record: OWNS into it valid on the day, positive SAME_AS either way."""
    owns = [(e, e.source) for e in store.edges(Rel.OWNS, target=here) if valid_on(e.props, as_of)]
    return owns + positive_links(store, here)


@twin("owners")
def owners(store: MemoryStore, *, org_id: str, as_of: dt.date | None, max_hops: int) -> list[Row]:
    """`max_hops` is the bound of the quantifier in owners.cypher, passed in by the runner."""
    if not _is_org(store, org_id):
        return []
    chains: list[tuple[Edge, ...]] = []

    def walk(here: str, chain: tuple[Edge, ...], seen: frozenset[str]) -> None:
        if len(chain) >= max_hops:
            return
        for edge, upper in _owning_steps(store, here, as_of):
            if upper in seen:
                continue
            step = (edge, *chain)
            if edge.type == Rel.OWNS and _is_org(store, upper):
                chains.append(step)
            walk(upper, step, seen | {upper})

    walk(org_id, (), frozenset({org_id}))
    return [{"edges": [edge_map(e) for e in chain]} for chain in chains]


@twin("region_chips")
def region_chips(store: MemoryStore, *, region_id: str, as_of: dt.date | None) -> list[Row]:
    chips = store.memo(("region_chips", region_id, as_of), lambda: _region_chips(store, region_id, as_of))
    return [{"id": chip} for chip in chips]


def _region_chips(store: MemoryStore, region_id: str, as_of: dt.date | None) -> tuple[str, ...]:
    found: set[str] = set()
    for site in sites_in(store, region_id):
        for edge in store.edges(Rel.SUPPLIES, target=site):
            if valid_on(edge.props, as_of) and isinstance(chips := edge.props.get(Prop.CHIPS), list):
                found.update(chips)
        for edge in store.edges(Rel.DEPLOYS, source=site):
            model = store.node(edge.target)
            if valid_on(edge.props, as_of) and model is not None and Label.CHIP_MODEL in model.labels:
                found.add(edge.target)
    return tuple(sorted(found))


def _country(store: MemoryStore, node_id: str) -> str | None:
    located = [e.target for e in store.edges(Rel.LOCATED_IN, source=node_id)]
    places = [s for s in located if (n := store.node(s)) is not None and Label.PLACE in n.labels]
    starts = places if located else [node_id]
    found: set[str] = set()
    todo, seen = list(starts), set(starts)
    while todo:
        place = store.node(here := todo.pop())
        if (
            place is not None
            and Label.COUNTRY in place.labels
            and isinstance(code := place.props.get(Prop.ISO3166), str)
        ):
            found.add(code)
        for edge in store.edges(Rel.PART_OF, source=here):
            if edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return min(found) if found else None


@twin("countries")
def countries(store: MemoryStore, *, node_ids: list[str]) -> list[Row]:
    known = [i for i in dict.fromkeys(node_ids) if (n := store.node(i)) is not None and Label.ENTITY in n.labels]
    return [{"id": i, "country": _country_once(store, i)} for i in sorted(known)]


def _country_once(store: MemoryStore, node_id: str) -> str | None:
    return store.memo(("country", node_id), lambda: _country(store, node_id))


def _changed_after(props: Props, since: dt.date | None) -> bool:
    if since is None:
        return True
    stamps = (props.get(Prop.FIRST_SEEN), props.get(Prop.CHANGED_IN), props.get(Prop.ENDED_IN))
    return any(isinstance(day, dt.date) and day > since for day in stamps)


@twin("dataset_changes")
def dataset_changes(store: MemoryStore, *, dataset: str, since: dt.date | None) -> list[Row]:
    rows: list[Row] = [
        {"id": n.id, "labels": sorted(n.labels), "type": None, "source": None, "target": None, "props": dict(n.props)}
        for n in store.all_nodes()
        if n.props.get(Prop.DATASET) == dataset and Label.SOURCE not in n.labels and _changed_after(n.props, since)
    ]
    rows += [
        {"id": e.id, "labels": [], "type": e.type, "source": e.source, "target": e.target, "props": dict(e.props)}
        for e in store.all_edges()
        if e.props.get(Prop.DATASET) == dataset and _changed_after(e.props, since)
    ]
    return sorted(rows, key=lambda row: str(row["id"]))
