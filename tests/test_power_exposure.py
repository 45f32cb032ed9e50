"""The exposure answer's power check: the site's own capacity, else its POWERED_BY plants', else the
capacity of the plants near it — and it says which."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.store import GraphStore
from queries.answers import PowerEvidence
from queries.exposure import exposure
from queries.exposure_view import NEARBY_KM, exposure_view
from queries.views import Viewer
from tests.conftest import GraphFrom

# Invented places, sites and plants; 0.2° of latitude is 22.2 km, 0.5° is 55.6 km.
NODES = """\
- {id: pl-zz, labels: [Country], name: Zedland, iso3166: ZZ}
- {id: pl-zz-dr, labels: [Province], name: Dunerock Province, iso3166: ZZ-DR}
- {id: chip-hot, labels: [ChipModel], name: Hot Chip, vendor: V, tpp: 6000, tdp_w: 1000}
- {id: dc-typed, labels: [DataCenter], name: Typed Site, capacity_mw: 2, latitude: 40.0, longitude: 100.0}
- {id: dc-fed, labels: [DataCenter], name: Fed Site, latitude: 40.0, longitude: 100.0}
- {id: dc-near, labels: [DataCenter], name: Near Site, latitude: 40.0, longitude: 100.0}
- {id: dc-far, labels: [DataCenter], name: Far Site, latitude: 10.0, longitude: 100.0}
- {id: pp-feeder, labels: [PowerPlant], name: Feeder Plant, capacity_mw: 0.5}
- {id: pp-close, labels: [PowerPlant], name: Close Plant, capacity_mw: 300, latitude: 40.2, longitude: 100.0}
- {id: pp-distant, labels: [PowerPlant], name: Distant Plant, capacity_mw: 900, latitude: 40.5, longitude: 100.0}
"""
EDGES = """\
- {type: PART_OF, from: pl-zz-dr, to: pl-zz}
- {type: LOCATED_IN, from: dc-typed, to: pl-zz-dr}
- {type: LOCATED_IN, from: dc-fed, to: pl-zz-dr}
- {type: LOCATED_IN, from: dc-near, to: pl-zz-dr}
- {type: LOCATED_IN, from: dc-far, to: pl-zz-dr}
- {type: DEPLOYS, from: dc-typed, to: chip-hot, count: 1000, status: installed}
- {type: DEPLOYS, from: dc-fed, to: chip-hot, count: 1000, status: installed}
- {type: DEPLOYS, from: dc-near, to: chip-hot, count: 1000, status: installed}
- {type: DEPLOYS, from: dc-far, to: chip-hot, count: 1000, status: installed}
- {type: POWERED_BY, from: dc-fed, to: pp-feeder}
"""


@pytest.fixture
def store(graph_from: GraphFrom) -> GraphStore:
    return graph_from(NODES, EDGES)


def test_the_power_check_says_which_capacity_it_used(store: GraphStore) -> None:
    answer = exposure_view(Viewer(store), exposure(store, "Dunerock Province", as_of=dt.date(2026, 1, 1)))
    checks = {s.site.id: s.plausibility for s in answer.sites}
    found = {site: (c.evidence, c.capacity_mw, c.verdict.value, c.radius_km) for site, c in checks.items()}
    assert found == {
        "dc-typed": (PowerEvidence.site_capacity, 2.0, "plausible", None),
        "dc-fed": (PowerEvidence.powered_by, 0.5, "implausible", None),
        "dc-near": (PowerEvidence.nearby_plants, 300.0, "plausible", NEARBY_KM),
        "dc-far": (PowerEvidence.none, None, "unknown", None),
    }
    assert checks["dc-near"].note.startswith("capacity of the plants within 50 km")
    # The plants near a site are not listed as feeding it: POWERED_BY stays the only evidence of that.
    assert {s.site.id: [p.id for p in s.power_plants] for s in answer.sites}["dc-near"] == []
