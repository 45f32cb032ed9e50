"""The embedded route search prunes (reach from the chip's origins, hops to the region) and still
answers exactly what a plain depth-first enumeration of the route rules answers, in route order,
on seeded synthetic supply chains with cycles (and parallel relationships)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from graph.memory import MemoryStore
from loaders.synthetic import generate
from ontology.records import Dataset, Edge, Node, valid_on
from ontology.vocab import ORIGIN_RELS, Label, Prop, Rel
from queries import named
from queries.evidence import route_order
from queries.named import memory
from queries.named.memory import sites_in


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    found = MemoryStore()
    found.load(generate(6_000, seed=3))
    return found


def plain(store: MemoryStore, chip: str, region: str, max_hops: int, day: dt.date | None) -> list[tuple[Edge, ...]]:
    """Every node-simple path of usable SUPPLIES edges from an origin, recorded where it reaches a site
    of the region (no pruning at all), in route order."""
    sites = sites_in(store, region)
    origins = sorted({e.source for e in store.in_edges(chip) if e.type in ORIGIN_RELS})
    found: list[tuple[Edge, ...]] = []

    def walk(here: str, path: tuple[Edge, ...]) -> None:
        if len(path) == max_hops:
            return
        for edge in store.out_edges(here):
            carried = edge.props.get(Prop.CHIPS)
            usable = edge.type == Rel.SUPPLIES and isinstance(carried, list) and chip in carried
            if not usable or not valid_on(edge.props, day) or edge.target in {here, *(e.source for e in path)}:
                continue
            if edge.target in sites:
                found.append((*path, edge))
            walk(edge.target, (*path, edge))

    for origin in origins:
        walk(origin, ())
    return sorted(found, key=route_order)


REGIONS = ("syn-place-p0", "syn-place-p2", "syn-place-p1-f3", "syn-place-p0-f1-c2", "syn-place-cn")


@pytest.mark.parametrize("chip", [f"syn-chip-{i}" for i in range(5)])
def test_pruned_search_answers_as_the_plain_enumeration(store: MemoryStore, chip: str) -> None:
    compared = 0
    for region, max_hops, day in itertools.product(REGIONS, (1, 4, 6, 7), (None, dt.date(2024, 3, 1))):
        expected = plain(store, chip, region, max_hops, day)
        assert named.route_paths(store, chip, region, max_hops, day) == expected, (region, max_hops, day)
        compared += len(expected)
    assert compared >= 10  # the graph holds routes to compare, not only empty answers


def test_parallel_relationships_keep_route_order() -> None:
    """Two relationships from one supplier into one customer, of different confidence and ids, make
    routes that share their nodes: the order falls back to the edge ids and the confidence."""
    chip, region = "syn-chip-0", "syn-place-p0"
    fresh = MemoryStore()
    fresh.load(generate(6_000, seed=3))
    paths = plain(fresh, chip, region, 6, None)
    doubled = {
        f"{edge.id}-again": Edge(
            f"{edge.id}-again", edge.type, edge.source, edge.target, {**edge.props, Prop.CONFIDENCE: level}
        )
        for path, level in zip(paths[:40], itertools.cycle(["alleged", "confirmed", "reported"]), strict=False)
        for edge in path[-2:]
    }
    fresh.load(Dataset(edges=doubled))
    expected = plain(fresh, chip, region, 6, None)
    assert len(expected) > len(paths)
    assert named.route_paths(fresh, chip, region, 6, None) == expected
    shared = [(a, b) for a, b in itertools.pairwise(expected) if route_order(a)[2] == route_order(b)[2]]
    assert shared  # routes through the same nodes, ordered by their edges


def test_a_path_back_into_a_chain_is_no_route() -> None:
    """O → X → B → S, and B → Y → X back into the chain: X and Y have one step ahead each, so the
    search takes O → X → B and B → Y → X → B as runs; the second comes back to B and is no route."""
    org = (Label.ENTITY, Label.ORGANIZATION)
    nodes = [
        Node("chip", (Label.CHIP_MODEL,), {}),
        Node("o", (*org, Label.CHIP_DESIGNER), {}),
        *(Node(i, org, {}) for i in ("x", "b", "y")),
        Node("s", (Label.ENTITY, Label.DATA_CENTER), {}),
        Node("region", (Label.PLACE, Label.PROVINCE), {}),
    ]
    hops = [("o", "x"), ("x", "b"), ("b", "s"), ("b", "y"), ("y", "x")]
    edges = [
        Edge("designs", Rel.DESIGNS, "o", "chip", {}),
        Edge("located", Rel.LOCATED_IN, "s", "region", {}),
        *(Edge(f"{a}-{b}", Rel.SUPPLIES, a, b, {Prop.CHIPS: ["chip"], Prop.CONFIDENCE: "reported"}) for a, b in hops),
    ]
    tiny = MemoryStore()
    tiny.load(Dataset(nodes={n.id: n for n in nodes}, edges={e.id: e for e in edges}))
    found = named.route_paths(tiny, "chip", "region", 6, None)
    assert [[e.id for e in path] for path in found] == [["o-x", "x-b", "b-s"]]
    assert found == plain(tiny, "chip", "region", 6, None)


def test_a_write_is_seen_by_the_next_search() -> None:
    """The reach and region indexes are kept per data version: a new shortcut is found at once."""
    chip, region = "syn-chip-0", "syn-place-p0"
    fresh = MemoryStore()
    fresh.load(generate(6_000, seed=3))
    before = named.route_paths(fresh, chip, region, 6, None)
    site = sorted(sites_in(fresh, region))[0]
    shortcut = Edge("e-direct", Rel.SUPPLIES, "syn-designer-0", site, {Prop.CHIPS: [chip]})
    fresh.load(Dataset(edges={shortcut.id: shortcut}))
    after = named.route_paths(fresh, chip, region, 6, None)
    assert [p for p in after if p not in before] == [(shortcut,)]


@pytest.mark.parametrize("kept", [0, 1_000_000])
def test_a_walk_too_large_to_keep_is_walked_per_answer_and_answers_the_same(
    kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backward walk of a (chip model, region, bound) is kept per data version only up to
    `TOWARDS_KEPT` steps (a country's may hold most of the graph); above, each answer walks it."""
    monkeypatch.setattr(memory, "TOWARDS_KEPT", kept)
    fresh = MemoryStore()
    fresh.load(generate(6_000, seed=3))
    chip, region = "syn-chip-0", "syn-place-p0"
    compared = 0
    for day in (None, dt.date(2024, 3, 1), None):
        expected = plain(fresh, chip, region, 6, day)
        assert named.route_paths(fresh, chip, region, 6, day) == expected
        compared += len(expected)
    assert compared  # routes to compare, not only empty answers
    held = fresh.memo(("towards", chip, region, 6), lambda: None)
    assert (held is not None) == (kept > 0)
