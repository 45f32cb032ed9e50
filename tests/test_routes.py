"""Route rules on small hand-built graphs (the semantics in DESIGN.md), on both backends."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from graph.store import GraphStore
from ontology.errors import InvalidParameter, NotFound
from ontology.records import Edge
from ontology.vocab import CONFIDENCE_LEVELS, Prop, Rel
from queries.evidence import rank, weakest, weakest_rank
from queries.routes import find_routes
from tests.conftest import GraphFrom

NODES = """\
- {id: place-cn, labels: [Country], name: China, iso3166: CN}
- {id: place-xj, labels: [Province], name: Xinjiang, name_zh: 新疆, iso3166: CN-XJ}
- {id: place-hami, labels: [Prefecture], name: Hami}
- {id: place-yiwu, labels: [County], name: Yiwu County}
- {id: place-qh, labels: [Province], name: Qinghai, iso3166: CN-QH}
- {id: chip-a, labels: [ChipModel], name: Alpha A1, family: Alpha, vendor: V, tpp: 6000}
- {id: chip-a2, labels: [ChipModel], name: Alpha A2, family: Alpha, vendor: V, tpp: 6000}
- {id: chip-b, labels: [ChipModel], name: Beta, vendor: V, tpp: 100}
- {id: org-maker, labels: [ChipDesigner], name: Maker}
- {id: org-d1, labels: [Distributor], name: D1}
- {id: org-d2, labels: [Distributor], name: D2}
- {id: org-d3, labels: [Distributor], name: D3}
- {id: dc-yiwu, labels: [DataCenter], name: Yiwu DC}
- {id: dc-qh, labels: [DataCenter], name: Qinghai DC}
"""
PLACES = """\
- {type: PART_OF, from: place-xj, to: place-cn}
- {type: PART_OF, from: place-hami, to: place-xj}
- {type: PART_OF, from: place-yiwu, to: place-hami}
- {type: PART_OF, from: place-qh, to: place-cn}
- {type: LOCATED_IN, from: dc-yiwu, to: place-yiwu}
- {type: LOCATED_IN, from: dc-qh, to: place-qh}
- {type: DESIGNS, from: org-maker, to: chip-a}
- {type: DESIGNS, from: org-maker, to: chip-a2}
- {type: DESIGNS, from: org-maker, to: chip-b}
"""
DAY = dt.date(2025, 6, 1)


Build = Callable[[str], GraphStore]


@pytest.fixture
def build(graph_from: GraphFrom) -> Build:
    """The places, chips and organisations above plus the test's edges, on each backend in turn."""
    return lambda edges: graph_from(NODES, PLACES + edges)


def paths(store: GraphStore, chip: str = "chip-a", region: str = "Xinjiang", **kw: object) -> list[tuple[str, ...]]:
    answer = find_routes(store, chip, region, as_of=kw.pop("as_of", DAY), **kw)  # type: ignore[arg-type]
    return [r.nodes for r in answer.routes]


def test_region_contains_every_place_inside_it(build: Build) -> None:
    store = build("- {type: SUPPLIES, from: org-maker, to: dc-yiwu, chips: [chip-a]}\n")
    assert paths(store) == [("org-maker", "dc-yiwu")]
    assert paths(store, region="新疆") == [("org-maker", "dc-yiwu")]
    assert paths(store, region="place-hami") == [("org-maker", "dc-yiwu")]
    assert paths(store, region="CN") == [("org-maker", "dc-yiwu")]
    assert paths(store, region="Qinghai") == []


def test_only_edges_carrying_the_chip_count(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: org-d1, chips: [chip-a, chip-b]}
- {type: SUPPLIES, from: org-d1, to: dc-yiwu, chips: [chip-b]}
- {type: SUPPLIES, from: org-d1, to: org-d2, chips: [chip-a]}
- {type: SUPPLIES, from: org-d2, to: dc-yiwu, chips: [chip-a]}
""",
    )
    assert paths(store) == [("org-maker", "org-d1", "org-d2", "dc-yiwu")]
    assert paths(store, chip="chip-b") == [("org-maker", "org-d1", "dc-yiwu")]


def test_family_name_covers_variants(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: dc-yiwu, chips: [chip-a]}
- {type: SUPPLIES, from: org-maker, to: org-d1, chips: [chip-a2]}
- {type: SUPPLIES, from: org-d1, to: dc-yiwu, chips: [chip-a2]}
""",
    )
    answer = find_routes(store, "alpha", "Xinjiang", as_of=DAY)
    assert [(r.chip.id, r.nodes) for r in answer.routes] == [
        ("chip-a", ("org-maker", "dc-yiwu")),
        ("chip-a2", ("org-maker", "org-d1", "dc-yiwu")),
    ]


def test_cycles_never_repeat_a_node(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: org-d1, chips: [chip-a]}
- {type: SUPPLIES, from: org-d1, to: org-d2, chips: [chip-a]}
- {type: SUPPLIES, from: org-d2, to: org-d1, chips: [chip-a]}
- {type: SUPPLIES, from: org-d2, to: org-maker, chips: [chip-a]}
- {type: SUPPLIES, from: org-d2, to: dc-yiwu, chips: [chip-a]}
""",
    )
    assert paths(store) == [("org-maker", "org-d1", "org-d2", "dc-yiwu")]


def test_time_respecting_mode_drops_backwards_dates(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: org-d1, chips: [chip-a], valid_from: 2024-05-01}
- {type: SUPPLIES, from: org-d1, to: dc-yiwu, chips: [chip-a], valid_from: 2024-03-01}
- {type: SUPPLIES, from: org-maker, to: org-d2, chips: [chip-a], valid_from: 2024-01-01}
- {type: SUPPLIES, from: org-d2, to: org-d3, chips: [chip-a]}
- {type: SUPPLIES, from: org-d3, to: dc-yiwu, chips: [chip-a], valid_from: 2024-01-01}
""",
    )
    both = [("org-maker", "org-d1", "dc-yiwu"), ("org-maker", "org-d2", "org-d3", "dc-yiwu")]
    assert paths(store) == both
    assert paths(store, time_respecting_only=True) == [both[1]]


def test_as_of_ignores_edges_outside_their_validity(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: org-d1, chips: [chip-a], valid_from: 2024-01-01, valid_to: 2024-12-31}
- {type: SUPPLIES, from: org-d1, to: dc-yiwu, chips: [chip-a], valid_from: 2024-02-01}
""",
    )
    assert paths(store, as_of=dt.date(2024, 6, 1)) == [("org-maker", "org-d1", "dc-yiwu")]
    assert paths(store, as_of=dt.date(2025, 1, 1)) == []  # first hop ended
    assert paths(store, as_of=dt.date(2024, 1, 15)) == []  # second hop not yet begun


def test_max_hops_bounds_route_length(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: org-d1, chips: [chip-a]}
- {type: SUPPLIES, from: org-d1, to: org-d2, chips: [chip-a]}
- {type: SUPPLIES, from: org-d2, to: dc-yiwu, chips: [chip-a]}
""",
    )
    assert paths(store, max_hops=3) == [("org-maker", "org-d1", "org-d2", "dc-yiwu")]
    assert paths(store, max_hops=2) == []
    with pytest.raises(InvalidParameter, match="from 1 to 20"):
        paths(store, max_hops=0)
    with pytest.raises(InvalidParameter, match="from 1 to 20"):
        paths(store, max_hops=21)


def test_routes_sort_by_weakest_confidence_then_length_then_ids(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: dc-yiwu, chips: [chip-a], confidence: alleged}
- {type: SUPPLIES, from: org-maker, to: org-d2, chips: [chip-a], confidence: confirmed}
- {type: SUPPLIES, from: org-d2, to: dc-yiwu, chips: [chip-a]}
- {type: SUPPLIES, from: org-maker, to: org-d1, chips: [chip-a]}
- {type: SUPPLIES, from: org-d1, to: dc-yiwu, chips: [chip-a]}
""",
    )
    answer = find_routes(store, "chip-a", "Xinjiang", as_of=DAY)
    assert [(r.nodes, r.weakest) for r in answer.routes] == [
        (("org-maker", "org-d1", "dc-yiwu"), "reported"),
        (("org-maker", "org-d2", "dc-yiwu"), "reported"),
        (("org-maker", "dc-yiwu"), "alleged"),
    ]


def test_deployments_without_a_route_are_leads(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: dc-yiwu, chips: [chip-a]}
- {type: DEPLOYS, from: dc-yiwu, to: chip-a, count: 10, status: installed}
- {type: DEPLOYS, from: dc-yiwu, to: chip-a2, count: 2000, status: planned}
- {type: DEPLOYS, from: dc-qh, to: chip-a2, count: 5, status: planned}
""",
    )
    answer = find_routes(store, "Alpha", "Xinjiang", as_of=DAY)
    assert [(lead.site, lead.chip.id, lead.edge.props["count"]) for lead in answer.leads] == [
        ("dc-yiwu", "chip-a2", 2000)
    ]


def test_unknown_names_raise_with_suggestions(build: Build) -> None:
    store = build("")
    with pytest.raises(NotFound) as chip:
        find_routes(store, "Alpah", "Xinjiang")
    assert "Alpha" in chip.value.suggestions
    with pytest.raises(NotFound) as region:
        find_routes(store, "Alpha", "Xinjang")
    assert "Xinjiang" in region.value.suggestions


def test_the_weakest_rank_is_the_rank_of_the_weakest_confidence() -> None:
    """Routes sort by `weakest_rank`: it agrees with `rank(weakest(…))` on every level, on a value
    that is no level, on none and on a list."""
    values: list[Any] = [*CONFIDENCE_LEVELS, "unheard-of", None, ["confirmed"]]
    for first, second in itertools.product(values, repeat=2):
        edges = tuple(
            Edge(f"e{i}", Rel.SUPPLIES, "a", "b", {} if v is None else {Prop.CONFIDENCE: v})
            for i, v in enumerate((first, second))
        )
        assert weakest_rank(edges) == rank(weakest(edges)), (first, second)
    assert weakest_rank((Edge("e", Rel.SUPPLIES, "a", "b", {Prop.CONFIDENCE: "confirmed"}),)) == 0
    assert weakest_rank(()) == rank(weakest(())) == len(CONFIDENCE_LEVELS)
