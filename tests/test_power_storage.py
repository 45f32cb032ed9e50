"""Where coordinates are kept for radius queries: a point under a point index on Neo4j, a k-d tree on
the embedded store — both derived from latitude/longitude, never part of a record."""

from __future__ import annotations

import random

import pytest
from rdflib import Graph, Namespace

from graph.memory import MemoryStore
from graph.neo4j_ingest import Neo4jTarget
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.spatial import PointIndex, haversine_km, with_location
from ontology import load_schema
from ontology.records import Dataset, Node
from ontology.schema import ONTOLOGY_PATH
from ontology.vocab import Derived, Label
from queries.named import registry

SCHEMA = load_schema()
CT = Namespace("https://w3id.org/chiptrail/ontology#")


def plant(plant_id: str, **props: float) -> Node:
    return Node(plant_id, SCHEMA.closure((Label.POWER_PLANT,)), {"name": plant_id, **props})


def data_of(*nodes: Node) -> Dataset:
    data = Dataset()
    data.nodes.update((n.id, n) for n in nodes)
    return data


DERIVED_FROM = {
    Derived.LOCATION: {"latitude", "longitude"},
    Derived.NAME_KEYS: {"name", "nameZh", "aliases", "family", "iso3166"},
}


def test_every_derived_property_is_declared_in_the_ontology() -> None:
    graph = Graph().parse(ONTOLOGY_PATH)
    declared = {v for k, v in vars(Derived).items() if not k.startswith("_")}
    assert declared == set(DERIVED_FROM)
    for name, sources in DERIVED_FROM.items():
        term = CT[name.split("_")[0] + "".join(part.title() for part in name.split("_")[1:])]
        assert set(graph.objects(term, CT.derivedFrom)) == {CT[s] for s in sources}
        assert name not in SCHEMA.properties  # no loader may set it


def test_a_point_is_derived_only_from_both_coordinates() -> None:
    point = with_location({"latitude": 43.5, "longitude": 94.25, "location": "stale"})["location"]
    assert (point.latitude, point.longitude) == (43.5, 94.25)
    assert "location" not in with_location({"latitude": 43.5, "location": "stale"})


def test_the_kd_tree_finds_what_a_scan_finds_across_the_antimeridian_and_the_poles() -> None:
    rng = random.Random(3)
    index = PointIndex((f"p{i}", (rng.uniform(-90, 90), rng.uniform(-180, 180))) for i in range(50_000))
    for centre in [(43.0, 94.0), (90.0, 0.0), (-89.99, 45.0), (0.0, 180.0), (12.0, -179.99)]:
        for km in (30.0, 300.0, 3000.0):
            assert sorted(index.within(centre, km)) == sorted(index.scan(centre, km))
            assert all(
                haversine_km(centre, tuple(index.points[index.ids.index(i)])) <= km for i in index.within(centre, km)
            )


def test_known_distances() -> None:
    assert haversine_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.195, abs=1e-3)  # 1° on the equator
    assert haversine_km((0.0, 179.5), (0.0, -179.5)) == pytest.approx(111.195, abs=1e-3)  # across the antimeridian
    assert haversine_km((89.5, 0.0), (89.5, 180.0)) == pytest.approx(111.195, abs=1e-3)  # over the pole


def test_the_embedded_index_is_rebuilt_once_per_data_version() -> None:
    store = MemoryStore()
    store.load(data_of(plant("pp-a", latitude=10.0, longitude=10.0)))
    first = store.point_index(Label.POWER_PLANT)
    assert store.point_index(Label.POWER_PLANT) is first
    store.load(data_of(plant("pp-b", latitude=10.1, longitude=10.0), plant("pp-c")))
    assert sorted(store.point_index(Label.POWER_PLANT).within((10.0, 10.0), 20.0)) == ["pp-a", "pp-b"]


@pytest.mark.neo4j
def test_neo4j_keeps_a_point_under_a_point_index_written_by_load_and_ingest(neo4j_settings: Neo4jSettings) -> None:
    store = Neo4jStore.connect(neo4j_settings)
    try:
        store.clear()
        store.load(data_of(plant("pp-a", latitude=43.0, longitude=94.0), plant("pp-b")))
        Neo4jTarget(store).write([plant("pp-c", latitude=-12.5, longitude=-179.0)])

        def points() -> dict[str, list[float] | None]:
            rows = store.run(
                f"MATCH (p:PowerPlant) RETURN p.id AS id, [p.{Derived.LOCATION}.y, p.{Derived.LOCATION}.x] AS at"
            )
            return {r["id"]: (r["at"] if r["at"][0] is not None else None) for r in rows}

        assert points() == {"pp-a": [43.0, 94.0], "pp-b": None, "pp-c": [-12.5, -179.0]}
        store.load(data_of(plant("pp-a", latitude=44.0, longitude=94.0), plant("pp-c")))  # moved; coordinates gone
        assert points() == {"pp-a": [44.0, 94.0], "pp-b": None, "pp-c": None}
        assert store.node("pp-a") == plant("pp-a", latitude=44.0, longitude=94.0)  # the point is not read back
        indexes = store.run("SHOW INDEXES YIELD name, type, labelsOrTypes, properties WHERE type = 'POINT' RETURN *")
        assert {(i["labelsOrTypes"][0], i["properties"][0]) for i in indexes} == {
            (label, Derived.LOCATION) for label in ("DataCenter", "PowerPlant", "ProjectAggregate", "Place")
        }
        plan = str(
            store.driver.execute_query(
                "EXPLAIN " + registry()["power_near"].text, region_id="", site_id="x", radius_m=1.0
            ).summary.plan
        )
        assert "POINT INDEX" in plan and "PowerPlant(location)" in plan
    finally:
        store.close()
