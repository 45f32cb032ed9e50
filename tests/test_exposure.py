"""Exposure details on a hand-built graph: power plants on the answer's date, the reference chip a setting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from graph.store import GraphStore
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.settings import query_settings
from queries.views import Viewer
from tests.conftest import GraphFrom

NODES = """\
- {id: place-cn, labels: [Country], name: China, iso3166: CN}
- {id: place-xj, labels: [Province], name: Xinjiang, iso3166: CN-XJ}
- {id: chip-big, labels: [ChipModel], name: Big, vendor: V, tpp: 6000, tdp_w: 700}
- {id: chip-ref, labels: [ChipModel], name: Reference, vendor: V, tpp: 3000}
- {id: chip-nvidia-h100-sxm, labels: [ChipModel], name: H100 SXM, vendor: V, tpp: 15832}
- {id: dc-1, labels: [DataCenter], name: DC One, capacity_mw: 5}
- {id: plant-old, labels: [PowerPlant], name: Old Plant, capacity_mw: 100}
- {id: plant-new, labels: [PowerPlant], name: New Plant, capacity_mw: 200}
"""
EDGES = """\
- {type: PART_OF, from: place-xj, to: place-cn}
- {type: LOCATED_IN, from: dc-1, to: place-xj}
- {type: DEPLOYS, from: dc-1, to: chip-big, count: 100, status: installed}
- {type: POWERED_BY, from: dc-1, to: plant-old, valid_to: 2023-12-31}
- {type: POWERED_BY, from: dc-1, to: plant-new, valid_from: 2024-06-01}
"""


@pytest.fixture
def store(graph_from: GraphFrom) -> GraphStore:
    """The hand-built graph on each backend in turn."""
    return graph_from(NODES, EDGES)


def plants(store: GraphStore, day: dt.date) -> list[str]:
    answer = exposure_view(Viewer(store), exposure(store, "Xinjiang", as_of=day))
    return [p.id or "" for site in answer.sites for p in site.power_plants]


def test_power_plants_are_those_feeding_the_site_on_the_answers_date(store: GraphStore) -> None:
    assert plants(store, dt.date(2023, 6, 1)) == ["plant-old"]
    assert plants(store, dt.date(2024, 3, 1)) == []
    assert plants(store, dt.date(2025, 1, 1)) == ["plant-new"]


@pytest.fixture
def reference_ref(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CHIPTRAIL_REFERENCE_CHIP", "chip-ref")
    query_settings.cache_clear()
    yield
    query_settings.cache_clear()


def test_h100_equivalents_follow_the_reference_chip_of_the_settings(store: GraphStore) -> None:
    day = dt.date(2025, 1, 1)
    default = exposure_view(Viewer(store), exposure(store, "Xinjiang", as_of=day))
    assert default.totals.h100_equivalents == round(100 * 6000 / 15832, 2)
    assert default.query.reference_chip is not None and default.query.reference_chip.id == "chip-nvidia-h100-sxm"


def test_another_reference_chip_is_a_setting(store: GraphStore, reference_ref: None) -> None:
    answer = exposure_view(Viewer(store), exposure(store, "Xinjiang", as_of=dt.date(2025, 1, 1)))
    assert answer.query.reference_chip is not None and answer.query.reference_chip.id == "chip-ref"
    assert answer.totals.h100_equivalents == 200.0
