"""In-process twins of the route, place and lookup queries, over the embedded store.

Each function answers with exactly the rows its `.cypher` file returns on Neo4j (same keys, same
values; order is not part of the contract). The contract tests hold the two to that; the
registry pairs each file with its twin and checks their parameters agree.
"""

from __future__ import annotations

import datetime as dt
from operator import itemgetter

from graph.memory import MemoryStore
from graph.store import SITE_LABELS
from ontology.records import Edge, Node, valid_on
from ontology.vocab import ORIGIN_RELS, Label, Prop, Rel
from queries.evidence import edge_rank, route_order
from queries.named.rows import Row, edge_map, node_map, twin


def _within(store: MemoryStore, place_id: str) -> frozenset[str]:
    """The place and every place PART_OF it, transitively (once per data version)."""
    return store.memo(("within", place_id), lambda: _walk_within(store, place_id))


def _walk_within(store: MemoryStore, place_id: str) -> frozenset[str]:
    if (place := store.node(place_id)) is None or Label.PLACE not in place.labels:
        return frozenset()
    found, todo = {place_id}, [place_id]
    while todo:
        for edge in store.in_edges(todo.pop()):
            if edge.type == Rel.PART_OF and edge.source not in found:
                found.add(edge.source)
                todo.append(edge.source)
    return frozenset(found)


def sites_in(store: MemoryStore, region_id: str) -> frozenset[str]:
    """The sites located in the region or a place within it (once per data version)."""
    return store.memo(("sites_in", region_id), lambda: _find_sites(store, region_id))


def _find_sites(store: MemoryStore, region_id: str) -> frozenset[str]:
    return frozenset(
        e.source
        for place in _within(store, region_id)
        for e in store.in_edges(place)
        if e.type == Rel.LOCATED_IN
        and (site := store.node(e.source)) is not None
        and any(lab in site.labels for lab in SITE_LABELS)
    )


@twin("places_within")
def places_within(store: MemoryStore, *, place_id: str) -> list[Row]:
    return [{"id": p} for p in sorted(_within(store, place_id))]


@twin("sites_within")
def sites_within(store: MemoryStore, *, region_id: str) -> list[Row]:
    return [{"id": s} for s in sorted(sites_in(store, region_id))]


def _origins(store: MemoryStore, chip_id: str) -> tuple[str, ...]:
    """Organisations that design or manufacture the chip model, sorted (once per data version)."""
    found = {
        e.source
        for e in store.in_edges(chip_id)
        if e.type in ORIGIN_RELS and (o := store.node(e.source)) is not None and Label.ORGANIZATION in o.labels
    }
    return tuple(sorted(found))


def _carries(edge: Edge, chip_id: str) -> bool:
    """A SUPPLIES edge that carries the chip model, on any date."""
    if edge.type != Rel.SUPPLIES:
        return False
    carried = edge.props.get(Prop.CHIPS)
    return isinstance(carried, list) and chip_id in carried


# A carrying edge as the backward walk reads it: its source's fewest hops from the origins, its
# source, the first and last day it holds (None: open), the rank of its confidence and the edge.
Step = tuple[int, str, dt.date | None, dt.date | None, int, Edge]


class _Reach:
    """What the forward walk from a chip's origins finds: each node's fewest SUPPLIES hops carrying the
    chip (on any date), and the carrying edges by the node they enter, each with what the backward
    walk tests (so the walk from a region reads only these, not every relationship into each node,
    and no property of theirs)."""

    def __init__(self, origins: tuple[str, ...]) -> None:
        self.hops = dict.fromkeys(origins, 0)
        self.into: dict[str, list[Step]] = {}


def _dated(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _reach(store: MemoryStore, chip_id: str) -> _Reach:
    """Fewest SUPPLIES hops carrying the chip model (on any date) from its origins to every node they
    reach (once per data version). No route on a date is shorter, so a node whose fewest hops from
    the origins and to the region add up to more than the bound lies on no route."""
    found = _Reach(store.memo(("origins", chip_id), lambda: _origins(store, chip_id)))
    hops, into = found.hops, found.into
    frontier, level = list(hops), 0
    while frontier:
        level += 1
        step = []
        for here in frontier:
            for edge in store.out_edges(here):
                if not _carries(edge, chip_id):
                    continue
                start, end = _dated(edge.props.get(Prop.VALID_FROM)), _dated(edge.props.get(Prop.VALID_TO))
                into.setdefault(edge.target, []).append((level - 1, here, start, end, edge_rank(edge), edge))
                if edge.target not in hops:
                    hops[edge.target] = level
                    step.append(edge.target)
        frontier = step
    return found


# A step the forward search may take: the fewest hops from its target to a site of the region on
# any date (0: the target is one), the target, the first and last day the edge holds (None: open),
# the rank of its confidence and the edge.
Ahead = tuple[int, str, dt.date | None, dt.date | None, int, Edge]


def _by_target(ahead: Ahead) -> tuple[str, str]:
    return ahead[1], ahead[5].id


# Steps the forward search takes at once: from a node along nodes that are no site of the region
# and have one step ahead each, up to the first that is a site or has more (most of a supply chain's
# nodes have one). The fewest hops from its first target to a site of the region, its last node,
# whether that is a site of the region, the latest first day and the earliest last day of its edges
# (None: open), the weakest rank of theirs, its edges and the runs from its last node (None: none).
Run = tuple[int, str, bool, dt.date | None, dt.date | None, int, tuple[Edge, ...], "list[Run] | None"]


class _Towards:
    """What the backward walk finds: each node's fewest usable hops to a site of the region, and the
    runs from each node that can lie on a route, by the target of their first step and then its edge
    id; `parallel`: whether a node has two steps into the same target."""

    def __init__(self, sites: list[str]) -> None:
        self.hops = dict.fromkeys(sites, 0)
        self.runs: dict[str, list[Run]] = {}
        self.steps = 0  # how many steps (edges usable from a node) the walk found
        self.parallel = False


def _towards_sites(sites: list[str], reach: _Reach, max_hops: int) -> _Towards:
    """Fewest SUPPLIES hops carrying the chip (on any date) from each node to a site of the region,
    up to `max_hops`, walked backwards from the sites that the chip's origins reach within the bound,
    along the edges that carry the chip (`reach.into`), entering only nodes the origins reach in the
    hops left: the walk covers the nodes on some walk from an origin into the region, not the whole
    upstream cone of the region's sites. A node's fewest hops stay exact: every node on its shortest
    way to a site passes the same test. Every edge that passes it is kept as a step the forward
    search may take. No date enters (the search tests each step's), so it is kept per data version."""
    found = _Towards(sites)
    hops, frontier, none = found.hops, sites, list[Step]()
    out: dict[str, list[Ahead]] = {}  # each node's steps
    for level in range(1, max_hops + 1):
        step, left = [], max_hops - level  # a source must lie within `left` hops of an origin
        for here in frontier:
            for source_hops, source, start, end, rank, edge in reach.into.get(here, none):
                if source_hops > left:
                    continue
                if (kept := out.get(source)) is None:
                    out[source] = [(level - 1, here, start, end, rank, edge)]  # `here` is `level - 1` hops from a site
                else:
                    kept.append((level - 1, here, start, end, rank, edge))
                if source not in hops:
                    hops[source] = level
                    step.append(source)
        frontier = step
    for edges in out.values():
        found.steps += len(edges)
        if len(edges) > 1:
            edges.sort(key=_by_target)
            found.parallel = found.parallel or len({ahead[1] for ahead in edges}) < len(edges)
    runs: dict[str, list[Run]] = {node: [] for node in out}
    for node, steps in out.items():
        runs[node].extend(_run(out, runs, step) for step in steps)
    found.runs = runs
    return found


def _run(out: dict[str, list[Ahead]], runs: dict[str, list[Run]], step: Ahead) -> Run:
    """The run that begins with `step`: on through every node that is no site and has one step ahead
    (`runs`: each node's, filled in place, so a run can hold its last node's before they are made)."""
    first_hops, last, start, end, rank, edge = step
    hops, edges = first_hops, [edge]
    while hops and len(ahead := out[last]) == 1:  # a node 1 or more hops from a site has a step ahead
        hops, last, begins, ends, level, edge = ahead[0]
        edges.append(edge)
        start = begins if start is None or (begins is not None and begins > start) else start
        end = ends if end is None or (ends is not None and ends < end) else end
        rank = max(rank, level)
    return (first_hops, last, not hops, start, end, rank, tuple(edges), runs.get(last))


TOWARDS_KEPT = 20_000  # steps: a walk up to this size (about 7 MB, its runs included) is kept per data version


def _kept_towards(store: MemoryStore, reach: _Reach, chip_id: str, region_id: str, max_hops: int) -> _Towards:
    """The backward walk of a (chip model, region, bound), kept per data version when it holds at most
    `TOWARDS_KEPT` steps (a province's hundreds; a large country's may hold most of the graph)."""
    built: list[_Towards] = []  # the walk this call made, kept or not

    def walk() -> _Towards:
        built.append(_towards_sites(_reached_sites(store, reach, region_id, max_hops), reach, max_hops))
        return built[-1]

    def small() -> _Towards | None:
        return found if (found := walk()).steps <= TOWARDS_KEPT else None

    kept = store.memo(("towards", chip_id, region_id, max_hops), small)
    return kept if kept is not None else built[-1] if built else walk()


def _reached_sites(store: MemoryStore, reach: _Reach, region_id: str, max_hops: int) -> list[str]:
    return [s for s in sites_in(store, region_id) if reach.hops.get(s, max_hops + 1) <= max_hops]


@twin("supply_paths")
def supply_paths(
    store: MemoryStore, *, chip_id: str, region_id: str, max_hops: int, as_of: dt.date | None
) -> list[Row]:
    """Depth first from the chip's origins, stepping only where a site of the region lies within the
    hops left; in route order."""
    paths = supply_edge_paths(store, chip_id=chip_id, region_id=region_id, max_hops=max_hops, as_of=as_of)
    return [{"edges": [edge_map(e) for e in path]} for path in paths]


def supply_edge_paths(
    store: MemoryStore, *, chip_id: str, region_id: str, max_hops: int, as_of: dt.date | None
) -> list[tuple[Edge, ...]]:
    """`supply_paths` as the store's own edge records, in route order (`evidence.route_order`).

    The walk goes depth first from the origins in id order, each node's steps by target id, so the
    paths come out ordered by their node ids; each carries its weakest rank, and a stable sort by
    (weakest rank, length) puts them in route order without reading an edge again. Where a node has
    two steps into the same target (parallel relationships), the edge ids decide too: sorted by
    `route_order`. Where a node has one step ahead the walk takes it with the step before (a `Run`):
    its hops fall by one a step, so the first step's hops bound the run's, and every edge of the
    run holds on a date where the latest first day and the earliest last day allow it. The nodes
    inside a run need no test of their own to keep a path node-simple: each has one step ahead and
    is no site, so a path that comes back to one follows the same edges to the same last node, which
    it has passed already (only origins and the last nodes of runs are walked from)."""
    reach = store.memo(("reach", chip_id), lambda: _reach(store, chip_id))
    towards = _kept_towards(store, reach, chip_id, region_id, max_hops)
    found: list[tuple[int, tuple[Edge, ...]]] = []  # (weakest rank · 64 + length, path)
    seen: set[str] = set()  # the nodes on the path walked

    def walk(here: str, runs: list[Run], path: tuple[Edge, ...], worst: int, left: int) -> None:
        """`left`: the hops left after the next one."""
        seen.add(here)
        for first_hops, last, site, start, end, rank, edges, ahead in runs:
            if first_hops > left or last in seen:
                continue
            if as_of is not None and ((start is not None and as_of < start) or (end is not None and as_of > end)):
                continue
            step, weakest, rest = path + edges, rank if rank > worst else worst, left - len(edges)
            if site:
                found.append((weakest * _LONGEST + len(step), step))
            if rest >= 0 and ahead is not None:
                walk(last, ahead, step, weakest, rest)
        seen.discard(here)

    for origin in store.memo(("origins", chip_id), lambda: _origins(store, chip_id)):
        if (runs := towards.runs.get(origin)) is not None:
            walk(origin, runs, (), -1, max_hops - 1)
    if towards.parallel:
        return sorted((path for _, path in found), key=route_order)
    found.sort(key=itemgetter(0))
    return [path for _, path in found]


_LONGEST = 64  # more hops than any route has (supply_paths.cypher bounds them far below)


@twin("deployments")
def deployments(store: MemoryStore, *, chip_id: str, region_id: str, as_of: dt.date | None) -> list[Row]:
    sites = sites_in(store, region_id)
    return [
        {"edge": edge_map(e)}
        for e in store.edges(Rel.DEPLOYS, target=chip_id)
        if e.source in sites and valid_on(e.props, as_of)
    ]


@twin("rules")
def rules(store: MemoryStore) -> list[Row]:
    return [
        {
            "props": {**n.props, Prop.ID: n.id},
            "targets": sorted(e.target for e in store.edges(Rel.TARGETS, source=n.id)),
            "extends": sorted(e.target for e in store.edges(Rel.EXTENDS, source=n.id)),
            "suspends": sorted(e.target for e in store.edges(Rel.SUSPENDS, source=n.id)),
            "widens": sorted(e.target for e in store.edges(Rel.ADDS_DESTINATIONS_TO, source=n.id)),
        }
        for n in store.nodes(Label.EXPORT_CONTROL_RULE)
    ]


def _names(node: Node) -> set[str]:
    aliases = node.props.get(Prop.ALIASES)
    return set(aliases) if isinstance(aliases, list) else set()


@twin("entity")
def entity(store: MemoryStore, *, term: str) -> list[Row]:
    candidates = [*store.nodes(Label.ENTITY), *store.nodes(Label.SOURCE)]
    return sorted(
        (
            node_map(n)
            for n in candidates
            if n.id == term
            or str(n.props.get(Prop.NAME, "")).lower() == term.lower()
            or n.props.get(Prop.NAME_ZH) == term
            or term in _names(n)
        ),
        key=lambda row: row["id"],
    )


@twin("neighbours")
def neighbours(store: MemoryStore, *, id: str) -> list[Row]:
    rows = []
    for edge in store.all_edges_of(id):
        other = edge.target if edge.source == id else edge.source
        other_node = store.node(other)
        name = other_node.props.get(Prop.NAME) if other_node else None
        rows.append({**edge_map(edge), "other_id": other, "other_name": name})
    return rows


@twin("subgraph")
def subgraph(store: MemoryStore, *, seeds: list[str], depth: int, types: list[str], as_of: dt.date | None) -> list[Row]:
    """Breadth first: an edge lies on a trail of at most `depth` hops iff an end is nearer than `depth`."""
    frontier = {s for s in seeds if store.node(s) is not None}
    found, traversed = set(frontier), {}
    for _ in range(depth):
        step = {
            e.id: e
            for here in frontier
            for e in store.all_edges_of(here)
            if (not types or e.type in types) and valid_on(e.props, as_of)
        }
        traversed.update(step)
        frontier = {end for e in step.values() for end in (e.source, e.target)} - found
        found |= frontier
    nodes = sorted((n for n in map(store.node, found) if n is not None), key=lambda n: n.id)
    edges = sorted(traversed.values(), key=lambda e: e.id)
    return [{"nodes": [node_map(n) for n in nodes], "edges": [edge_map(e) for e in edges]}]
