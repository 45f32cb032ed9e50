"""Plants near sites, on both backends, with distances known in advance: plants placed at a computed
great-circle distance and bearing from a site, either side of the radius."""

from __future__ import annotations

import datetime as dt
import json
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.spatial import EARTH_RADIUS_KM
from graph.store import GraphStore
from loaders import load_paths
from ontology.errors import InvalidParameter
from ontology.vocab import Prop
from queries.power import NO_COORDINATES, Owner, Plant, by_owner, power_near
from queries.power_point import power_at_point
from queries.power_view import point_view, power_view
from queries.views import Viewer
from tests.conftest import PREAMBLE, GraphFrom, YamlWriter

SITE = (43.0, 94.0)  # invented
DAY = dt.date(2026, 1, 1)


def destination(start: tuple[float, float], km: float, bearing: float) -> tuple[float, float]:
    """The point `km` along a great circle from `start` on the mean-radius sphere (bearing in degrees)."""
    lat1, lon1, theta, delta = (
        math.radians(start[0]),
        math.radians(start[1]),
        math.radians(bearing),
        km / EARTH_RADIUS_KM,
    )
    lat2 = math.asin(math.sin(lat1) * math.cos(delta) + math.cos(lat1) * math.sin(delta) * math.cos(theta))
    lon2 = lon1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(lat1), math.cos(delta) - math.sin(lat1) * math.sin(lat2)
    )
    return round(math.degrees(lat2), 9), round(math.degrees(lon2), 9)


def plant(plant_id: str, km: float, bearing: float, extra: str) -> str:
    lat, lon = destination(SITE, km, bearing)
    return f"- {{id: {plant_id}, labels: [PowerPlant], name: {plant_id}, latitude: {lat}, longitude: {lon}, {extra}}}\n"


def site(site_id: str, label: str, km: float, bearing: float, extra: str) -> str:
    lat, lon = destination(SITE, km, bearing)
    return f"- {{id: {site_id}, labels: [{label}], name: {site_id}, latitude: {lat}, longitude: {lon}, {extra}}}\n"


NODES = (
    """\
- {id: pl-zz, labels: [Country], name: Zedland, iso3166: ZZ}
- {id: pl-zz-dr, labels: [Province], name: Dunerock Province, iso3166: ZZ-DR}
- {id: pl-zz-dr-sandy, labels: [County], name: Sandy County, latitude: 43.0, longitude: 94.0,
   coord_precision: county_centroid}
- {id: pl-zz-dr-bare, labels: [County], name: Bare County}
- {id: dc-exact, labels: [DataCenter], name: Exact Site, latitude: 43.0, longitude: 94.0, coord_precision: exact}
- {id: dc-centroid, labels: [DataCenter], name: Centroid Site}
- {id: agg-nowhere, labels: [ProjectAggregate], name: Nowhere Projects}
"""
    + site("dc-far", "DataCenter", 50.1, 270, "coord_precision: exact")
    + site("agg-south", "ProjectAggregate", 25.0, 180, "coord_precision: approximate")
    + """\
- {id: org-amber, labels: [Organization], name: Amber Power Co}
- {id: org-birch, labels: [Organization], name: Birch Energy Co}
"""
    + plant("pp-inside", 49.9, 0, "capacity_mw: 100, fuel: [coal], status: operating, coord_precision: exact")
    + plant("pp-outside", 50.1, 90, "capacity_mw: 400, fuel: [solar], coord_precision: exact")
    + plant("pp-near", 10.0, 200, "capacity_mw: 50, fuel: [coal, solar]")
    + plant("pp-retired", 30.0, 300, "capacity_mw: 70, fuel: [wind], valid_to: 2024-12-31")
    + plant("pp-unbuilt", 20.0, 45, "fuel: [wind], valid_from: 2027-01-01")
    + plant("pp-unknown-mw", 40.0, 135, "fuel: [hydro]")
)
EDGES = """\
- {type: PART_OF, from: pl-zz-dr, to: pl-zz}
- {type: PART_OF, from: pl-zz-dr-sandy, to: pl-zz-dr}
- {type: PART_OF, from: pl-zz-dr-bare, to: pl-zz-dr}
- {type: LOCATED_IN, from: dc-exact, to: pl-zz-dr}
- {type: LOCATED_IN, from: dc-centroid, to: pl-zz-dr-sandy}
- {type: LOCATED_IN, from: agg-nowhere, to: pl-zz-dr-bare}
- {type: OWNS, from: org-amber, to: pp-inside, percentage: 60}
- {type: OWNS, from: org-birch, to: pp-inside, percentage: 40}
- {type: OWNS, from: org-amber, to: pp-near}
- {type: OWNS, from: org-birch, to: pp-near, percentage: 10, valid_to: 2020-01-01}
"""


@pytest.fixture
def store(graph_from: GraphFrom) -> GraphStore:
    """The invented graph on each backend in turn."""
    return graph_from(NODES, EDGES)


def answer(store: GraphStore, **options: Any) -> dict[str, Any]:
    found = power_near(store, **{"region": "Dunerock Province", "within_km": 50.0, "as_of": DAY, **options})
    payload = power_view(Viewer(store), found).model_dump(mode="json")
    return {site["site"]["id"]: site for site in payload["sites"]}


def test_plants_either_side_of_the_radius_nearest_first(store: GraphStore) -> None:
    site = answer(store)["dc-exact"]
    assert [(p["plant"]["id"], p["distance_km"]) for p in site["plants"]] == [
        ("pp-near", 10.0),
        ("pp-unknown-mw", 40.0),
        ("pp-inside", 49.9),
    ]
    assert answer(store, within_km=50.2)["dc-exact"]["plants"][-1]["distance_km"] == 50.1


def test_each_plant_with_capacity_fuel_owners_and_precision(store: GraphStore) -> None:
    inside = answer(store)["dc-exact"]["plants"][-1]
    assert inside["capacity_mw"] == 100.0
    assert inside["fuel"] == ["coal"]
    assert inside["status"] == "operating"
    assert inside["precision"] == "exact"
    assert [(o["owner"]["name"], o["percentage"]) for o in inside["owners"]] == [
        ("Amber Power Co", 60.0),
        ("Birch Energy Co", 40.0),
    ]


def test_totals_by_fuel_and_owner(store: GraphStore) -> None:
    totals = answer(store)["dc-exact"]["totals"]
    assert (totals["plants"], totals["capacity_mw"], totals["unknown_capacity"]) == (3, 150.0, 1)
    assert [(f["fuel"], f["plants"], f["capacity_mw"]) for f in totals["by_fuel"]] == [
        ("coal", 1, 100.0),
        ("coal+solar", 1, 50.0),
        ("hydro", 1, 0.0),
    ]
    owners = [(o["owner"]["id"], o["plants"], o["capacity_mw"], o["attributable_mw"]) for o in totals["by_owner"]]
    # Amber's share of pp-near is unknown; Birch's stake in it ended in 2020.
    assert owners == [("org-amber", 2, 150.0, None), ("org-birch", 1, 100.0, 40.0)]


def test_as_of_drops_plants_and_stakes_not_valid_then(store: GraphStore) -> None:
    def ids(day: dt.date) -> list[str]:
        return [p["plant"]["id"] for p in answer(store, as_of=day)["dc-exact"]["plants"]]

    assert ids(dt.date(2024, 6, 1)) == ["pp-near", "pp-retired", "pp-unknown-mw", "pp-inside"]
    assert ids(dt.date(2027, 6, 1)) == ["pp-near", "pp-unbuilt", "pp-unknown-mw", "pp-inside"]
    near_2019 = answer(store, as_of=dt.date(2019, 1, 1))["dc-exact"]["plants"][0]
    assert [o["owner"]["id"] for o in near_2019["owners"]] == ["org-amber", "org-birch"]


def test_a_site_without_coordinates_is_measured_from_its_places_centroid(store: GraphStore) -> None:
    site = answer(store)["dc-centroid"]
    assert site["coordinates"] == {
        "latitude": 43.0,
        "longitude": 94.0,
        "precision": "county_centroid",
        "origin": "place",
        "place": {"id": "pl-zz-dr-sandy", "name": "Sandy County", "role": "place"},
    }
    assert site["note"] == "no coordinates of its own: measured from those of Sandy County (county_centroid)"
    assert [p["plant"]["id"] for p in site["plants"]] == ["pp-near", "pp-unknown-mw", "pp-inside"]


def test_a_site_with_no_coordinates_at_all_has_unknown_distances_not_zero(store: GraphStore) -> None:
    site = answer(store)["agg-nowhere"]
    assert site["coordinates"] is None
    assert site["note"] == NO_COORDINATES
    assert site["plants"] == []
    assert site["totals"]["plants"] == 0


def test_one_site_instead_of_a_region(store: GraphStore) -> None:
    found = power_near(store, site="dc-exact", within_km=15.0, as_of=DAY)
    assert [s.site for s in found.sites] == ["dc-exact"]
    assert [p.id for p in found.sites[0].plants] == ["pp-near"]


def at_point(store: GraphStore, point: tuple[float, float] = SITE, **options: Any) -> dict[str, Any]:
    found = power_at_point(store, *point, **{"within_km": 50.0, "as_of": DAY, **options})
    return point_view(Viewer(store), found).model_dump(mode="json")


def test_sites_near_a_point_either_side_of_the_radius_with_precision(store: GraphStore) -> None:
    found = at_point(store)
    assert [(s["site"]["id"], s["distance_km"], s["coordinates"]["precision"]) for s in found["sites"]] == [
        ("dc-exact", 0.0, "exact"),
        ("agg-south", 25.0, "approximate"),
    ]
    assert found["sites"][1]["coordinates"]["origin"] == "own"
    assert [s["site"]["id"] for s in at_point(store, within_km=50.2)["sites"]][-1] == "dc-far"
    # dc-centroid and agg-nowhere have no coordinates of their own: not listed, but counted.
    assert found["sites_without_coordinates"] == 2


def test_plants_near_a_point_with_totals_by_fuel_and_owner(store: GraphStore) -> None:
    found = at_point(store)
    assert [(p["plant"]["id"], p["distance_km"]) for p in found["plants"]] == [
        ("pp-near", 10.0),
        ("pp-unknown-mw", 40.0),
        ("pp-inside", 49.9),
    ]
    assert [(o["owner"]["id"], o["percentage"]) for o in found["plants"][-1]["owners"]] == [
        ("org-amber", 60.0),
        ("org-birch", 40.0),
    ]
    totals = found["totals"]
    assert (totals["plants"], totals["capacity_mw"], totals["unknown_capacity"]) == (3, 150.0, 1)
    assert [(f["fuel"], f["capacity_mw"]) for f in totals["by_fuel"]] == [
        ("coal", 100.0),
        ("coal+solar", 50.0),
        ("hydro", 0.0),
    ]
    owners = [(o["owner"]["id"], o["plants"], o["capacity_mw"], o["attributable_mw"]) for o in totals["by_owner"]]
    assert owners == [("org-amber", 2, 150.0, None), ("org-birch", 1, 100.0, 40.0)]
    assert found["query"] == {
        "latitude": 43.0,
        "longitude": 94.0,
        "within_km": 50.0,
        "as_of": "2026-01-01",
        "distance": found["query"]["distance"],
    }


def test_a_point_away_from_the_site_measures_from_the_point(store: GraphStore) -> None:
    point = destination(SITE, 10.0, 200)  # pp-near's own coordinates
    found = at_point(store, point, within_km=5.0)
    assert [(p["plant"]["id"], p["distance_km"]) for p in found["plants"]] == [("pp-near", 0.0)]
    assert found["sites"] == []
    assert [s["site"]["id"] for s in at_point(store, point, within_km=20.0)["sites"]] == ["dc-exact", "agg-south"]


@pytest.mark.parametrize(("lat", "lon"), [(90.5, 0.0), (-91.0, 0.0), (0.0, 180.5), (0.0, -181.0)])
def test_a_point_out_of_range_is_refused(store: GraphStore, lat: float, lon: float) -> None:
    with pytest.raises(InvalidParameter, match="must be from"):
        power_at_point(store, lat, lon)


def graph_file(write_yaml: YamlWriter) -> Path:
    """The same graph as a YAML file (for the command line, and to load both backends from one file)."""
    return write_yaml(PREAMBLE + textwrap.indent(NODES, "  ") + "edges:\n" + textwrap.indent(EDGES, "  "), "power.yaml")


@pytest.mark.neo4j
def test_both_backends_give_identical_json(write_yaml: YamlWriter, neo4j_settings: Neo4jSettings) -> None:
    data = load_paths([graph_file(write_yaml)])
    memory, neo4j = MemoryStore(), Neo4jStore.connect(neo4j_settings)
    try:
        memory.load(data)
        neo4j.clear()
        neo4j.load(data)
        for options in ({}, {"within_km": 50.2}, {"as_of": dt.date(2024, 6, 1)}, {"within_km": 0.5}):
            assert json.dumps(answer(neo4j, **options)) == json.dumps(answer(memory, **options))
            assert json.dumps(at_point(neo4j, **options)) == json.dumps(at_point(memory, **options))
        assert answer(neo4j)["dc-exact"]["plants"]
    finally:
        neo4j.close()


def test_an_owner_that_is_also_the_ultimate_parent_counts_a_plant_once_by_its_direct_stake() -> None:
    both = (Owner("org-a", 60.0), Owner("org-a", 100.0, parent=True), Owner("org-p", 40.0, parent=True))
    plants = (
        Plant("pp-1", {Prop.CAPACITY_MW: 200}, 1.0, both),
        Plant("pp-2", {Prop.CAPACITY_MW: 100}, 2.0, (Owner("org-p", None, parent=True),)),
    )
    assert by_owner(plants) == {"org-a": (1, 200.0, 120.0), "org-p": (2, 300.0, None)}
