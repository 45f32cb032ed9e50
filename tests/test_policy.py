"""Policy reasoning on both backends: ownership arithmetic, screening, exposure, what-if, chokepoints.

Most cases are small hand-built graphs; the rest read the bundled data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.store import GraphStore
from ontology.errors import DataError
from queries.chokepoints import chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.overlay import apply, parse_overlay, read_overlay
from queries.policies import Policies, screen_party
from queries.routes import find_routes
from queries.views import Viewer
from queries.whatif import whatif
from tests.conftest import GraphFrom
from tests.helpers import as_json

NODES = """\
- {id: place-cn, labels: [Country], name: China, iso3166: CN}
- {id: place-xj, labels: [Province], name: Xinjiang, iso3166: CN-XJ}
- {id: chip-big, labels: [ChipModel], name: Big, vendor: V, tpp: 6000, tdp_w: 700}
- {id: chip-small, labels: [ChipModel], name: Small, vendor: V, tpp: 2368, die_area_mm2: 814, tdp_w: 400}
- {id: chip-nvidia-h100-sxm, labels: [ChipModel], name: Reference, vendor: V, tpp: 15832}
- {id: rule-tpp, labels: [ExportControlRule], name: TPP rule, citation: 1 FR 1, valid_from: 2020-01-01,
   destinations: [CN], effect: license_required, criteria: ["3A090.a: tpp >= 4800"]}
- {id: rule-aff, labels: [ExportControlRule], name: Affiliates, citation: 2 FR 2, valid_from: 2025-01-01,
   effect: affiliates, ownership_threshold: 50}
- {id: list-el, labels: [SanctionsList], name: Entity List}
- {id: listing-1, labels: [ListingAction], name: Listing of Parent, valid_from: 2024-06-01, citation: 3 FR 3}
- {id: org-maker, labels: [ChipDesigner], name: Maker}
- {id: org-parent, labels: [Distributor], name: Parent}
- {id: org-other, labels: [Distributor], name: Other Listed}
- {id: org-mid, labels: [Distributor], name: Mid}
- {id: org-sub, labels: [Distributor], name: Sub}
- {id: org-free, labels: [Distributor], name: Free}
- {id: dc-1, labels: [DataCenter], name: DC One, capacity_mw: 0.5}
"""
BASE = """\
- {type: PART_OF, from: place-xj, to: place-cn}
- {type: LOCATED_IN, from: dc-1, to: place-xj}
- {type: DESIGNS, from: org-maker, to: chip-big}
- {type: DESIGNS, from: org-maker, to: chip-small}
- {type: EXTENDS, from: rule-aff, to: list-el}
- {type: AMENDS, from: listing-1, to: list-el}
- {type: DESIGNATED_BY, from: org-parent, to: listing-1, valid_from: 2024-06-01, license_policy: presumption of denial}
- {type: DESIGNATED_BY, from: org-other, to: listing-1, valid_from: 2024-06-01}
"""
LATER = dt.date(2025, 6, 1)


Build = Callable[[str], GraphStore]


@pytest.fixture
def build(graph_from: GraphFrom) -> Build:
    """The rules, listing, chips and organisations above plus the test's edges, on each backend in turn."""
    return lambda edges: graph_from(NODES, BASE + edges)


def affiliate(store: GraphStore, party: str, day: dt.date = LATER) -> dict[str, Any]:
    answer: dict[str, Any] = as_json(screen_party(store, party, day))
    return answer


# --- ownership arithmetic -------------------------------------------------------------------------


def test_direct_fifty_percent_is_an_affiliate(build: Build) -> None:
    store = build("- {type: OWNS, from: org-parent, to: org-sub, percentage: 50}\n")
    answer = affiliate(store, "org-sub")
    assert answer["status"] == "affiliate"
    [finding] = answer["affiliates"]
    assert finding["known_total"] == 50.0 and finding["rule"]["threshold"] == 50.0
    assert "≥ 50%" in finding["explanation"] and "2 FR 2" in finding["explanation"]


def test_two_thirty_percent_chains_sum_past_fifty(build: Build) -> None:
    store = build(
        """\
- {type: OWNS, from: org-parent, to: org-sub, percentage: 30}
- {type: OWNS, from: org-other, to: org-mid, percentage: 100}
- {type: OWNS, from: org-mid, to: org-sub, percentage: 30}
""",
    )
    answer = affiliate(store, "org-sub")
    assert answer["status"] == "affiliate"
    [finding] = answer["affiliates"]
    assert finding["known_total"] == 60.0
    assert sorted(s["share"] for s in finding["stakes"]) == [30.0, 30.0]


def test_sixty_times_sixty_is_thirty_six_and_below(build: Build) -> None:
    store = build(
        """\
- {type: OWNS, from: org-parent, to: org-mid, percentage: 60}
- {type: OWNS, from: org-mid, to: org-sub, percentage: 60}
""",
    )
    answer = affiliate(store, "org-sub")
    assert answer["status"] == "clear"
    [finding] = answer["affiliates"]
    assert (finding["status"], finding["known_total"]) == ("below", 36.0)
    assert "Parent → Mid 60% × Mid → Sub 60% = 36%" in finding["explanation"]


def test_a_stake_through_another_listed_party_is_counted_once(build: Build) -> None:
    store = build(
        """\
- {type: OWNS, from: org-parent, to: org-other, percentage: 100}
- {type: OWNS, from: org-other, to: org-sub, percentage: 40}
""",
    )
    [finding] = affiliate(store, "org-sub")["affiliates"]
    assert finding["known_total"] == 40.0
    assert [s["holder"] for s in finding["stakes"]] == ["org-other"]


def test_cycles_in_ownership_end(build: Build) -> None:
    store = build(
        """\
- {type: OWNS, from: org-parent, to: org-mid, percentage: 80}
- {type: OWNS, from: org-mid, to: org-sub, percentage: 70}
- {type: OWNS, from: org-sub, to: org-mid, percentage: 10}
""",
    )
    [finding] = affiliate(store, "org-sub")["affiliates"]
    assert finding["known_total"] == 56.0
    assert finding["status"] == "affiliate"


def test_unknown_percentage_is_neither_zero_nor_hundred(build: Build) -> None:
    store = build(
        """\
- {type: OWNS, from: org-parent, to: org-mid}
- {type: OWNS, from: org-mid, to: org-sub, percentage: 90}
- {type: OWNS, from: org-other, to: org-sub, percentage: 10}
""",
    )
    answer = affiliate(store, "org-sub")
    assert answer["status"] == "undetermined"
    [finding] = answer["affiliates"]
    assert (finding["known_total"], finding["unknown_chains"]) == (10.0, 1)
    assert "unknown" in finding["explanation"]


def test_dates_outside_validity_do_not_count(build: Build) -> None:
    store = build(
        "- {type: OWNS, from: org-parent, to: org-sub, percentage: 75, valid_from: 2025-03-01, valid_to: 2025-12-31}\n",
    )
    assert affiliate(store, "org-sub", dt.date(2025, 6, 1))["status"] == "affiliate"
    assert affiliate(store, "org-sub", dt.date(2026, 1, 1))["status"] == "clear"  # stake sold
    assert affiliate(store, "org-sub", dt.date(2025, 2, 1))["status"] == "clear"  # not yet bought
    assert affiliate(store, "org-sub", dt.date(2024, 12, 1))["affiliates"] == []  # rule not in force


def test_designation_has_its_dates_and_listing(build: Build) -> None:
    store = build("")
    assert affiliate(store, "Parent", dt.date(2024, 5, 31))["status"] == "clear"
    listed = affiliate(store, "Parent", dt.date(2024, 6, 1))
    assert listed["status"] == "listed"
    [designation] = listed["designations"]
    assert designation["listing"]["id"] == "listing-1" and designation["lists"] == ["list-el"]
    assert designation["citation"] == "3 FR 3" and designation["license_policy"] == "presumption of denial"


# --- screening on routes ------------------------------------------------------------------------------


ROUTE = """\
- {type: SUPPLIES, from: org-maker, to: org-free, chips: [chip-small], quantity: 100, valid_from: 2024-01-01}
- {type: SUPPLIES, from: org-free, to: org-parent, chips: [chip-small], quantity: 100, valid_from: HOP}
- {type: SUPPLIES, from: org-parent, to: dc-1, chips: [chip-small], quantity: 100, valid_from: HOP}
"""


@pytest.mark.parametrize(
    ("hop", "verdict", "flagged_hops"),
    [("2024-05-15", "neither", []), ("2024-07-01", "party", [2])],
)
def test_route_verdict_before_and_after_a_listing(
    build: Build, hop: str, verdict: str, flagged_hops: list[int]
) -> None:
    store = build(ROUTE.replace("HOP", hop))
    answer = Viewer(store).routes_answer(find_routes(store, "Small", "Xinjiang", as_of=LATER, screen=True))
    [route] = as_json(answer)["routes"]
    screening = route["screening"]
    assert (screening["verdict"], screening["item"]) == (verdict, False)
    recipients = [h["recipient"] for h in screening["hops"]]
    assert [n for n, r in enumerate(recipients, 1) if r and r["status"] == "listed"] == flagged_hops
    assert [h["date"] for h in screening["hops"]] == ["2024-01-01", hop, hop]


def test_route_verdict_both_when_the_item_is_restricted_too(build: Build) -> None:
    store = build(ROUTE.replace("chip-small", "chip-big").replace("HOP", "2024-07-01"))
    [route] = find_routes(store, "Big", "Xinjiang", as_of=LATER, screen=True).routes
    assert route.screening is not None and route.screening.verdict == "both"
    assert (
        "TPP 6,000 ≥ 4,800" in route.screening.explanation
        and "Parent listed on 2024-07-01" in route.screening.explanation
    )


def test_site_operators_are_screened_as_end_users(build: Build) -> None:
    edges = "- {type: SUPPLIES, from: org-maker, to: dc-1, chips: [chip-small], valid_from: 2024-08-01}\n"
    store = build(edges + "- {type: OPERATES, from: org-other, to: dc-1}\n")
    answer = Viewer(store).routes_answer(find_routes(store, "Small", "Xinjiang", as_of=LATER, screen=True))
    [route] = as_json(answer)["routes"]
    assert route["screening"]["verdict"] == "party"
    assert route["screening"]["hops"][0]["end_users"][0]["id"] == "org-other"


# --- exposure -------------------------------------------------------------------------------------------


def test_exposure_counts_deployments_over_deliveries_and_checks_power(build: Build) -> None:
    store = build(
        """\
- {type: SUPPLIES, from: org-maker, to: dc-1, chips: [chip-big], quantity: 300, valid_from: 2024-01-01}
- {id: small-to-dc, type: SUPPLIES, from: org-maker, to: dc-1, chips: [chip-small], quantity: 1000}
- {type: DEPLOYS, from: dc-1, to: chip-big, count: 500, status: installed}
""",
    )
    view = as_json(exposure_view(Viewer(store), exposure(store, "Xinjiang", as_of=LATER)))
    by_chip = {row["chip"]["id"]: row for row in view["by_chip"]}
    assert (by_chip["chip-big"]["chips"], by_chip["chip-small"]["chips"]) == (500, 1000)
    assert view["totals"]["tpp"] == 500 * 6000 + 1000 * 2368
    assert view["totals"]["h100_equivalents"] == round((500 * 6000 + 1000 * 2368) / 15832, 2)
    assert view["restricted"]["chips"] == 500  # only Big crosses the TPP line
    [site] = view["sites"]
    big = next(i for i in site["chips"] if i["chip"]["id"] == "chip-big")
    assert (big["basis"], big["delivered_by_routes"]) == ("deployment", 300)
    check = site["plausibility"]
    assert (check["chip_power_mw"], check["capacity_mw"], check["verdict"]) == (0.75, 0.5, "implausible")


def test_exposure_totals_equal_the_sums_of_their_parts(bundled_store: GraphStore) -> None:
    view = as_json(exposure_view(Viewer(bundled_store), exposure(bundled_store, "Xinjiang", as_of=dt.date(2026, 1, 1))))
    for split in ("by_chip", "by_confidence"):
        for key in ("chips", "items", "unknown_counts"):
            assert sum(row[key] for row in view[split]) == view["totals"][key], (split, key)
        assert sum(row["tpp"] for row in view[split]) == pytest.approx(view["totals"]["tpp"])
    assert sum(i["count"] or 0 for s in view["sites"] for i in s["chips"]) == view["totals"]["chips"]
    assert view["totals"]["chips"] > 0 and view["totals"]["unknown_counts"] >= 2  # the Bloomberg aggregate


# --- what-if ----------------------------------------------------------------------------------------------


def test_an_overlay_that_changes_nothing_gives_an_empty_diff(bundled_store: GraphStore) -> None:
    answer = as_json(whatif(bundled_store, parse_overlay({"name": "nothing"}), "Xinjiang", dt.date(2026, 1, 1)))
    assert answer["changed"] is False
    assert (answer["chips"], answer["routes"], answer["sites"]) == ([], [], [])


def test_lowering_tpp_below_the_h20_restricts_it_from_the_overlays_date(bundled_store: GraphStore) -> None:
    overlay = parse_overlay(
        {
            "name": "TPP 2,000",
            "rules": [
                {
                    "id": "whatif-tpp-2000",
                    "effect": "license_required",
                    "valid_from": "2024-01-01",
                    "destinations": ["CN"],
                    "criteria": ["3A090.a: tpp >= 2000"],
                }
            ],
        }
    )
    before_date = as_json(whatif(bundled_store, overlay, "Xinjiang", dt.date(2023, 12, 31)))
    assert "chip-nvidia-h20" not in [c["chip"]["id"] for c in before_date["chips"]]
    after = as_json(whatif(bundled_store, overlay, "Xinjiang", dt.date(2024, 12, 1)))
    h20 = next(c for c in after["chips"] if c["chip"]["id"] == "chip-nvidia-h20")
    assert (h20["before"], h20["after"]) == ("not_restricted", "license_required")
    assert "TPP 2,368 ≥ 2,000" in h20["explanation"]
    assert any(r["chip"]["id"] == "chip-nvidia-h20" and r["after"] == "item" for r in after["routes"])


def test_switching_the_affiliates_rule_off_clears_the_party_verdict(bundled_store: GraphStore) -> None:
    answer = as_json(whatif(bundled_store, parse_overlay({"affiliates": False}), "Xinjiang", dt.date(2026, 1, 1)))
    [route] = answer["routes"]
    assert "scn-jadeport" in route["path"] and (route["before"], route["after"]) == ("both", "item")


def test_an_added_listing_flags_the_party(build: Build) -> None:
    store = build(ROUTE.replace("HOP", "2024-07-01").replace("org-parent", "org-mid"))
    overlay = parse_overlay({"designations": [{"party": "org-mid", "valid_from": "2024-01-01", "list": "list-el"}]})
    [route] = as_json(whatif(store, overlay, "Xinjiang", LATER))["routes"]
    assert (route["before"], route["after"]) == ("neither", "party")


def test_bad_overlays_are_reported_with_their_field() -> None:
    with pytest.raises(DataError, match="ownership_threshhold"):
        parse_overlay({"rules": [{"id": "x", "ownership_threshhold": 40}]})
    overlay = parse_overlay({"remove_rules": ["no-such-rule"]})
    with pytest.raises(DataError, match="remove_rules"):
        apply(overlay, Policies((), ()))


# --- chokepoints ------------------------------------------------------------------------------------------


def test_chokepoints_rank_by_licence_routes(bundled_store: GraphStore) -> None:
    answer = as_json(chokepoints(bundled_store, "Xinjiang", as_of=dt.date(2026, 1, 1), top=3))
    ranked = [row["node"]["id"] for row in answer["chokepoints"]]
    assert ranked[0] == "scn-harbor-kite"
    counts = [row["licence_routes"] for row in answer["chokepoints"]]
    assert counts == sorted(counts, reverse=True) and counts[0] <= answer["licence_routes"]
    assert all(0 <= row["betweenness"] <= 1 for row in answer["chokepoints"])


@pytest.mark.parametrize("path", sorted((Path(__file__).parent.parent / "examples" / "whatif").glob("*.yaml")))
def test_example_overlays_change_something(bundled_store: GraphStore, path: Path) -> None:
    answer = as_json(whatif(bundled_store, read_overlay(path), "Xinjiang", dt.date(2026, 1, 1)))
    assert answer["changed"] is True, path.name
