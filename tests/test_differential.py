"""Property-based differential tests: on random supply graphs both backends find the same routes."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from ontology import load_schema
from ontology.records import Dataset, Edge, Node, Props
from queries.answers import RoutesAnswer
from queries.named import run
from queries.policies import screen_party
from queries.power import power_near
from queries.power_view import power_view
from queries.routes import find_routes
from queries.views import Viewer

SCHEMA = load_schema()
EXAMPLES = 200 if os.environ.get("CI") else 60
CHIPS = ("chip-a", "chip-b")
PLACES = {"place-c": None, "place-r": "place-c", "place-r1": "place-r", "place-o": "place-c"}
DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=30 * i) for i in range(12)]
LEVELS = ("confirmed", "reported", "alleged", "illustrative")
EVIDENCE: Props = {"sources": ["src"], "confidence": "reported"}
# Strategies built once (building them inside each draw dominated the generation time).
SOME_DAY = st.none() | st.sampled_from(DAYS)
END_AFTER = {
    start: st.none() | st.sampled_from([d for d in DAYS if start is None or d >= start]) for start in [None, *DAYS]
}
CHIP_SETS = st.sets(st.sampled_from(CHIPS), max_size=2)
LEVEL = st.sampled_from(LEVELS)
SHARE = st.none() | st.sampled_from([10, 25, 30, 40, 50, 60, 100])
# The generator checks need one witness, not a minimal one: no shrinking, the same search every run.
WITNESS = settings(phases=[Phase.generate], max_examples=5000, derandomize=True, database=None)


def node(node_id: str, label: str, **props: Any) -> Node:
    return Node(node_id, SCHEMA.closure((label,)), {"name": node_id, **EVIDENCE, **props})


def edge(rel: str, source: str, target: str, key: str = "", **props: Any) -> Edge:
    return Edge(f"{source}|{rel}|{target}{key}", rel, source, target, {**EVIDENCE, **props})


def base(orgs: int, sites: list[str]) -> Dataset:
    data = Dataset()
    records = [Node("src", ("Source",), {"title": "t", "publisher": "p"})]
    records += [node(c, "ChipModel", vendor="v") for c in CHIPS]
    records += [
        node(p, "Country" if parent is None else "Province", iso3166="CN" if parent is None else "CN-XJ")
        for p, parent in PLACES.items()
    ]
    records += [node(f"org-{i}", "Organization") for i in range(orgs)]
    records += [node(f"dc-{i}", "DataCenter") for i in range(len(sites))]
    data.nodes = {n.id: n for n in records}
    edges = [edge("PART_OF", p, parent) for p, parent in PLACES.items() if parent]
    edges += [edge("LOCATED_IN", f"dc-{i}", place) for i, place in enumerate(sites)]
    edges += [edge("DESIGNS", "org-0", c) for c in CHIPS] + [edge("MANUFACTURES", "org-1", "chip-a")]
    data.edges = {e.id: e for e in edges}
    return data


@st.composite
def supply_graphs(draw: st.DrawFn) -> Dataset:
    orgs = draw(st.integers(2, 7))
    sites = draw(st.lists(st.sampled_from(sorted(PLACES)), min_size=1, max_size=3))
    data = base(orgs, sites)
    ends = [f"org-{i}" for i in range(orgs)] + [f"dc-{i}" for i in range(len(sites))]
    for k in range(draw(st.integers(0, 18))):
        source = f"org-{draw(st.integers(0, orgs - 1))}"
        target = draw(st.sampled_from(ends))
        if source == target:
            continue
        start = draw(SOME_DAY)
        end = draw(END_AFTER[start])
        props: dict[str, Any] = {
            "chips": sorted(draw(CHIP_SETS)),
            "confidence": draw(LEVEL),
            **({"valid_from": start} if start else {}),
            **({"valid_to": end} if end else {}),
        }
        parallel = f"#{k}" if draw(st.booleans()) else ""
        e = edge("SUPPLIES", source, target, parallel, **props)
        data.edges[e.id] = e
    return data


@pytest.fixture(scope="module")
def neo4j(neo4j_settings: Neo4jSettings) -> Iterator[Neo4jStore]:
    """One driver for every example in the module (opening one per example would dominate the run);
    each example clears the database and loads its own graph."""
    store = Neo4jStore.connect(neo4j_settings)
    yield store
    store.close()


@pytest.mark.neo4j
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=supply_graphs(),
    chip=st.sampled_from(CHIPS),
    region=st.sampled_from(sorted(PLACES)),
    as_of=st.none() | st.sampled_from(DAYS),
    max_hops=st.integers(1, 5),
    timely=st.booleans(),
)
def test_random_graphs_give_identical_routes(
    neo4j: Neo4jStore, data: Dataset, chip: str, region: str, as_of: dt.date | None, max_hops: int, timely: bool
) -> None:
    memory = MemoryStore()
    memory.load(data)
    neo4j.clear()
    neo4j.load(data)
    params = {"chip_id": chip, "region_id": region, "max_hops": max_hops, "as_of": as_of}
    key = lambda row: [e["props"]["id"] for e in row["edges"]]  # noqa: E731
    assert sorted(map(key, run(neo4j, "supply_paths", **params))) == sorted(
        map(key, run(memory, "supply_paths", **params))
    )
    day = as_of or dt.date(2025, 1, 1)

    def answer(store: MemoryStore | Neo4jStore) -> RoutesAnswer:
        found = find_routes(store, chip, region, as_of=day, max_hops=max_hops, time_respecting_only=timely)
        return Viewer(store).routes_answer(found)

    assert answer(neo4j) == answer(memory)


@pytest.mark.neo4j
def test_a_site_located_in_the_country_itself_is_reached(neo4j: Neo4jStore) -> None:
    """A site whose place has nothing above it (the country asked about) keeps its LOCATED_IN on Neo4j."""
    data = base(2, ["place-c", "place-r1"])
    for site in ("dc-0", "dc-1"):
        supplies = edge("SUPPLIES", "org-0", site, chips=["chip-a"], confidence="confirmed")
        data.edges[supplies.id] = supplies
    memory = MemoryStore()
    memory.load(data)
    neo4j.clear()
    neo4j.load(data)
    for store in (neo4j, memory):
        found = Viewer(store).routes_answer(find_routes(store, "chip-a", "place-c", as_of=dt.date(2025, 1, 1)))
        assert sorted(list(r.path) for r in found.routes) == [["org-0", "dc-0"], ["org-0", "dc-1"]], store.backend


def test_the_generator_reaches_interesting_graphs() -> None:
    """The property above is not vacuous: generated graphs have several routes, some time-broken."""

    def routes(data: Dataset) -> list[tuple[str, ...]]:
        memory = MemoryStore()
        memory.load(data)
        answer = find_routes(memory, "chip-a", "place-r", as_of=None, max_hops=5)
        return [r.nodes for r in answer.routes]

    many = find(supply_graphs(), lambda d: len(routes(d)) >= 3, settings=WITNESS)
    assert len(routes(many)) >= 3


OWNERSHIP_EXAMPLES = 100 if os.environ.get("CI") else 30


@st.composite
def ownership_graphs(draw: st.DrawFn) -> tuple[Dataset, int]:
    """Organisations with random OWNS edges (cycles, unknown shares, dates), some of them listed."""
    orgs = draw(st.integers(3, 7))
    data = base(orgs, [])
    extra = [
        node("list-x", "SanctionsList"),
        node("listing-x", "ListingAction", valid_from=DAYS[0]),
        node(
            "rule-aff",
            "ExportControlRule",
            citation="c",
            valid_from=DAYS[2],
            effect="affiliates",
            ownership_threshold=50,
        ),
    ]
    data.nodes.update({n.id: n for n in extra})
    edges = [edge("AMENDS", "listing-x", "list-x"), edge("EXTENDS", "rule-aff", "list-x")]
    for i in sorted(draw(st.sets(st.integers(0, orgs - 1), min_size=1, max_size=2))):
        listed_from = draw(st.sampled_from(DAYS))
        edges.append(edge("DESIGNATED_BY", f"org-{i}", "listing-x", valid_from=listed_from))
    for _ in range(draw(st.integers(1, 12))):
        source, target = draw(st.integers(0, orgs - 1)), draw(st.integers(0, orgs - 1))
        if source == target:
            continue
        share = draw(SHARE)
        start = draw(SOME_DAY)
        props: dict[str, Any] = {
            **({"percentage": share} if share is not None else {}),
            **({"valid_from": start} if start else {}),
        }
        edges.append(edge("OWNS", f"org-{source}", f"org-{target}", **props))
    data.edges.update({e.id: e for e in edges})
    return data, orgs


@pytest.mark.neo4j
@settings(max_examples=OWNERSHIP_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=ownership_graphs(), day=st.sampled_from(DAYS))
def test_random_ownership_gives_identical_screening(
    neo4j: Neo4jStore, graph: tuple[Dataset, int], day: dt.date
) -> None:
    data, orgs = graph
    memory = MemoryStore()
    memory.load(data)
    neo4j.clear()
    neo4j.load(data)
    for i in range(orgs):
        params = {"org_id": f"org-{i}", "as_of": day}
        key = lambda row: [e["props"]["id"] for e in row["edges"]]  # noqa: E731
        assert sorted(map(key, run(neo4j, "owners", **params))) == sorted(map(key, run(memory, "owners", **params)))
        assert screen_party(neo4j, f"org-{i}", day) == screen_party(memory, f"org-{i}", day)


def test_the_ownership_generator_reaches_affiliates() -> None:
    """Not vacuous: some generated graphs make an unlisted organisation a ≥ 50% affiliate."""

    def statuses(graph: tuple[Dataset, int]) -> set[str]:
        memory = MemoryStore()
        memory.load(graph[0])
        return {screen_party(memory, f"org-{i}", DAYS[-1]).status for i in range(graph[1])}

    assert "affiliate" in statuses(find(ownership_graphs(), lambda g: "affiliate" in statuses(g), settings=WITNESS))
    assert "undetermined" in statuses(
        find(ownership_graphs(), lambda g: "undetermined" in statuses(g), settings=WITNESS)
    )


SPATIAL_EXAMPLES = 60 if os.environ.get("CI") else 20
# Sites where a naive planar index would break: the antimeridian, near both poles, and the equator.
SPOTS = [(0.0, 179.95), (-45.0, -179.98), (89.9, 20.0), (-89.95, -120.0), (0.0, 0.0)]


@st.composite
def plant_fields(draw: st.DrawFn) -> Dataset:
    """Sites at awkward spots, plants scattered within about 1° of them (dates and capacities random)."""
    spots = draw(st.lists(st.sampled_from(SPOTS), min_size=1, max_size=3, unique=True))
    data = base(2, [])
    sites = [node(f"site-{i}", "DataCenter", latitude=lat, longitude=lon) for i, (lat, lon) in enumerate(spots)]
    edges = [edge("LOCATED_IN", s.id, "place-r1") for s in sites]
    plants = []
    for i in range(draw(st.integers(1, 25))):
        lat0, lon0 = draw(st.sampled_from(spots))
        # Not exactly ±90: Neo4j 5.26's point index seek misses points on a pole (point.distance alone finds them).
        lat = max(-89.999, min(89.999, lat0 + draw(st.floats(-0.9, 0.9))))
        lon = (lon0 + draw(st.floats(-1.5, 1.5)) + 180.0) % 360.0 - 180.0
        extra: dict[str, Any] = {"capacity_mw": draw(st.sampled_from([10, 55.5, 300]))}
        extra.update({"valid_to": day} if (day := draw(SOME_DAY)) else {})
        plants.append(node(f"pp-{i}", "PowerPlant", latitude=round(lat, 6), longitude=round(lon, 6), **extra))
        if draw(st.booleans()):
            edges.append(edge("OWNS", "org-x", f"pp-{i}", percentage=draw(st.sampled_from([25, 50, 100]))))
    owner = [node("org-x", "Organization")]
    data.nodes.update({n.id: n for n in [*sites, *plants, *owner]})
    data.edges.update({e.id: e for e in edges})
    return data


@pytest.mark.neo4j
@settings(max_examples=SPATIAL_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=plant_fields(), km=st.sampled_from([5.0, 50.0, 120.0]), day=st.sampled_from(DAYS))
def test_random_plant_fields_give_identical_power_answers(
    neo4j: Neo4jStore, data: Dataset, km: float, day: dt.date
) -> None:
    memory = MemoryStore()
    memory.load(data)
    neo4j.clear()
    neo4j.load(data)
    expected = power_view(Viewer(memory), power_near(memory, region="place-r", within_km=km, as_of=day))
    assert power_view(Viewer(neo4j), power_near(neo4j, region="place-r", within_km=km, as_of=day)) == expected
