"""Restriction decisions for every chip in the facts table, either side of each rule's date.

Expected outcomes are worked by hand from the published specs and thresholds:
  * 2022-10-07 rule (87 FR 62186): 3A090 needs TPP >= 4,800 AND interconnect >= 600 GB/s;
  * 2023-11-17 rule (88 FR 73458): 3A090.a is TPP >= 4,800, or TPP >= 1,600 and PD >= 5.92;
    3A090.b is TPP 2,400-4,800 with PD 1.6-5.92, or TPP >= 1,600 with PD 3.2-5.92; License Exception
    NAC covers 3A090.b and non-data-centre 3A090.a items;
  * Hong Kong answers like China from 2020-12-23 (85 FR 83765); Macau joins the 2022 rule on
    2023-01-17 (88 FR 2821);
  * 2025-04-09: the H20 needs a licence for CN by a product-specific requirement;
  * 2026-01-15 (91 FR 1684): H200 review policy becomes case-by-case for CN.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.memory import MemoryStore
from graph.store import GraphStore
from ontology.records import Node
from queries.decide import decide
from queries.lookup import restrictions_for
from queries.restrictions import CriteriaLine, chip_metrics, computed_tpp, load_rules
from tests.conftest import GraphFrom

D = dt.date
BEFORE_2022 = D(2022, 10, 6)
AFTER_2022 = D(2023, 1, 1)
AFTER_2023 = D(2023, 12, 1)
REQ, FREE, UNKNOWN = "license_required", "not_restricted", "undetermined"

# chip: (status before 2022-10-07, between the rules, after 2023-11-17)
EXPECTED = {
    "chip-nvidia-a100": (FREE, REQ, REQ),  # TPP 4,992 and NVLink 600: caught by both
    "chip-nvidia-a800": (FREE, FREE, REQ),  # NVLink 400 < 600 escaped 2022; TPP caught 2023
    "chip-nvidia-h100-sxm": (FREE, REQ, REQ),
    "chip-nvidia-h100-pcie": (FREE, REQ, REQ),  # NVLink bridge 600 GB/s: caught on 2022-10-07
    "chip-nvidia-h800": (FREE, FREE, REQ),  # 400 GB/s (or 300) < 600
    "chip-nvidia-h20": (FREE, FREE, FREE),  # TPP 2,368, PD 2.91: under every threshold
    "chip-nvidia-h200": (FREE, UNKNOWN, REQ),  # sources give its compute, not its interconnect
    "chip-nvidia-l40s": (FREE, UNKNOWN, REQ),
    "chip-nvidia-b200": (FREE, UNKNOWN, REQ),
    "chip-amd-mi250x": (FREE, UNKNOWN, REQ),
    "chip-amd-mi300x": (FREE, UNKNOWN, REQ),
    "chip-huawei-ascend-910": (FREE, FREE, REQ),  # TPP 4,096 < 4,800 in 2022; PD 8.98 >= 5.92 from 2023
    "chip-huawei-ascend-910b": (FREE, UNKNOWN, REQ),
    "chip-huawei-ascend-910c": (FREE, UNKNOWN, REQ),
}


@pytest.mark.parametrize("chip_id", sorted(EXPECTED))
def test_every_chip_either_side_of_each_rule(store: MemoryStore, chip_id: str) -> None:
    chip = store.node(chip_id)
    assert chip is not None
    rules = load_rules(store)
    got = tuple(decide(chip, rules, "CN", day).status for day in (BEFORE_2022, AFTER_2022, AFTER_2023))
    assert got == EXPECTED[chip_id]


def status(store: GraphStore, chip: str, day: dt.date, destination: str = "CN") -> tuple[str, bool]:
    [decision] = restrictions_for(store, chip, destination, day)
    return decision.status, decision.restricted


def test_issue_examples(store: MemoryStore) -> None:
    assert status(store, "A800", D(2023, 1, 1)) == (FREE, False)
    assert status(store, "A800", D(2023, 12, 1)) == (REQ, True)
    assert status(store, "H20", D(2024, 6, 1)) == (FREE, False)
    assert status(store, "H20", D(2025, 5, 1)) == (REQ, True)
    assert status(store, "chip-nvidia-h100-sxm", D(2022, 10, 7)) == (REQ, True)
    assert status(store, "chip-nvidia-h100-sxm", D(2022, 10, 6)) == (FREE, False)


def test_h20_requirement_starts_on_2025_04_09(store: MemoryStore) -> None:
    assert status(store, "H20", D(2025, 4, 8))[0] == FREE
    assert status(store, "H20", D(2025, 4, 9))[0] == REQ
    assert status(store, "H20", D(2025, 4, 9), destination="HK")[0] == REQ


def test_explanation_names_rule_citation_and_numbers(store: MemoryStore) -> None:
    [decision] = restrictions_for(store, "chip-nvidia-h100-sxm", "CN", D(2024, 1, 1))
    assert "TPP 15,832 ≥ 4,800 → 3A090.a, 88 FR 73458, in force from 2023-11-17" in decision.explanation
    [a800] = restrictions_for(store, "A800", "CN", D(2023, 1, 1))
    assert "interconnect 400 GB/s < 600 GB/s" in a800.explanation
    [ascend] = restrictions_for(store, "chip-huawei-ascend-910", "China", D(2024, 1, 1))
    assert "TPP 4,096 ≥ 1,600 and performance density 8.98 ≥ 5.92 → 3A090.a" in ascend.explanation


def test_h200_review_policy_changes_in_2026(store: MemoryStore) -> None:
    [before] = restrictions_for(store, "H200", "CN", D(2025, 12, 31))
    [after] = restrictions_for(store, "H200", "CN", D(2026, 2, 1))
    assert before.restricted and after.restricted
    assert before.license_policy == "presumption of denial"
    assert after.license_policy is not None and "case-by-case" in after.license_policy
    assert "91 FR 1684" in after.explanation


def test_a_destination_no_rule_names_is_not_restricted(store: MemoryStore) -> None:
    [decision] = restrictions_for(store, "chip-nvidia-h100-sxm", "FR", D(2024, 1, 1))
    assert decision.status == FREE
    assert "no rule in force" in decision.explanation


def test_tpp_as_cited_agrees_with_the_peak_figures(store: MemoryStore) -> None:
    """A typo in a spec or a TPP shows up here: both must agree within 1%."""
    for chip in store.nodes("ChipModel"):
        cited, computed = chip.props.get("tpp"), computed_tpp(chip)
        if isinstance(cited, float) and computed is not None:
            assert abs(cited - computed) / cited < 0.01, chip.id


def test_metrics_and_criteria_parsing() -> None:
    chip = Node("c", ("ChipModel",), {"peak_tops_fp8": 296.0, "die_area_mm2": 814.0})
    assert chip_metrics(chip) == {"tpp": 2368.0, "pd": 2.91, "interconnect_gbps": None}
    test = CriteriaLine.parse("3A090.b: tpp >= 2400 and pd < 5.92", "r")
    assert test.check({"tpp": 2368.0, "pd": 2.91}) == (False, "TPP 2,368 < 2,400 and performance density 2.91 < 5.92")
    assert test.check({"tpp": 3000.0, "pd": None}) == (None, "TPP 3,000 ≥ 2,400 and performance density unknown")


# --- Hong Kong and Macau: destinations widened by dated scope records ------------------------------

H100 = "chip-nvidia-h100-sxm"


@pytest.mark.parametrize(
    ("destination", "day", "expected"),
    [
        ("HK", D(2022, 10, 6), FREE),  # the 2022 rule is not yet in force anywhere
        ("HK", D(2022, 10, 7), REQ),  # HK answers like China under 87 FR 62186
        ("Hong Kong", D(2023, 12, 1), REQ),  # a place name resolves to HK, then like China
        ("MO", D(2023, 1, 16), FREE),  # the 2022 rule did not cover Macau
        ("MO", D(2023, 1, 17), REQ),  # 88 FR 2821 adds Macau
        ("Macau", D(2023, 12, 1), REQ),  # the 2023 update names Macau itself
    ],
)
def test_hong_kong_and_macau_either_side_of_their_dates(
    store: MemoryStore, destination: str, day: dt.date, expected: str
) -> None:
    assert status(store, H100, day, destination)[0] == expected


def test_hong_kong_is_china_from_2020_12_23(graph_from: GraphFrom) -> None:
    """A rule naming only CN, in force before 2020-12-23: HK is outside it on the 22nd, inside on the 23rd."""
    store = graph_from(SCOPE_NODES, SCOPE_EDGES)
    assert status(store, "chip-big", D(2020, 12, 22), "HK") == (FREE, False)
    assert status(store, "chip-big", D(2020, 12, 22), "CN") == (REQ, True)
    [on] = restrictions_for(store, "chip-big", "HK", D(2020, 12, 23))
    assert (on.status, on.restricted) == (REQ, True)
    assert "applies to HK through Hong Kong treated as China under the EAR, 85 FR 83765" in on.explanation
    assert status(store, "chip-big", D(2025, 1, 1), "HK") == (REQ, True)


def test_macau_scope_record_names_its_citation(store: MemoryStore) -> None:
    [decision] = restrictions_for(store, H100, "MO", D(2023, 6, 1))
    assert decision.explanation == (
        "NVIDIA H100 SXM: US licence required for MO on 2023-06-01. TPP 15,832 ≥ 4,800 and interconnect "
        "900 GB/s ≥ 600 GB/s → 3A090, 87 FR 62186, in force from 2022-10-07 (applies to MO through Macau added "
        "to the advanced-computing controls (January 2023), 88 FR 2821, in force from 2023-01-17)."
    )


def test_the_whole_h100_family_met_the_2022_rule(store: MemoryStore) -> None:
    decisions = restrictions_for(store, "H100", "CN", D(2022, 10, 7))
    assert {d.chip.id: d.status for d in decisions} == {H100: REQ, "chip-nvidia-h100-pcie": REQ}
    [pcie] = restrictions_for(store, "chip-nvidia-h100-pcie", "CN", D(2022, 10, 7))
    assert "TPP 12,104 ≥ 4,800 and interconnect 600 GB/s ≥ 600 GB/s → 3A090, 87 FR 62186" in pcie.explanation
    assert status(store, "chip-nvidia-h100-pcie", D(2022, 10, 6))[0] == FREE


def test_chip_specs_follow_the_reference_table(store: MemoryStore) -> None:
    """Interconnect, die area and TDP as facts.md section 3 gives them (absent where it gives none)."""
    specs = {
        c.id: tuple(c.props.get(k) for k in ("interconnect_gbps", "die_area_mm2", "tdp_w"))
        for c in store.nodes("ChipModel")
    }
    assert specs["chip-nvidia-h100-pcie"] == (600.0, 814.0, 350.0)
    assert specs["chip-nvidia-h100-sxm"] == (900.0, 814.0, 700.0)
    assert specs["chip-nvidia-a100"] == (600.0, 826.0, None)
    assert specs["chip-nvidia-a800"] == (400.0, 826.0, None)
    assert specs["chip-nvidia-h800"] == (400.0, 814.0, None)  # ~300 or 400: conflict kept in the note
    assert specs["chip-nvidia-h20"] == (None, 814.0, 400.0)
    assert specs["chip-nvidia-h200"] == (None, 814.0, None)
    assert specs["chip-nvidia-l40s"] == (None, 609.0, None)
    assert specs["chip-nvidia-b200"] == (None, None, 1000.0)  # die area conflicts between sources
    assert specs["chip-huawei-ascend-910"] == (None, 456.25, None)
    assert specs["chip-huawei-ascend-910b"] == (None, 665.61, None)
    h800 = store.node("chip-nvidia-h800")
    assert h800 is not None and "300" in str(h800.props["note"]) and "400" in str(h800.props["note"])


# --- 3A090.b and License Exception NAC ------------------------------------------------------------


@pytest.mark.parametrize(
    ("chip", "expected", "classification"),
    [
        ("chip-b1", "license_exception", "3A090.b"),  # TPP 3,000, PD 2.0: first .b line
        ("chip-b2", "license_exception", "3A090.b"),  # TPP 2,000, PD 4.0: the second .b line
        ("chip-b3", FREE, None),  # TPP 2,000, PD 3.0: under both .b lines
        ("chip-a-consumer", "license_exception", "3A090.a"),  # .a, not for data centres
        ("chip-a-dc", REQ, "3A090.a"),  # .a, designed for data centres: no NAC
        ("chip-a-unknown", REQ, "3A090.a"),  # .a, data-centre use unknown: licence unless shown
    ],
)
def test_nac_either_side_of_the_2023_rule(
    graph_from: GraphFrom, chip: str, expected: str, classification: str | None
) -> None:
    store = graph_from(NAC_NODES, "")
    assert status(store, chip, D(2023, 11, 16))[0] == FREE  # neither the rule nor NAC in force yet
    [decision] = restrictions_for(store, chip, "CN", D(2023, 11, 17))
    assert decision.status == expected
    assert decision.restricted is (expected == REQ)
    assert [f.classification for f in decision.findings if f.outcome == "met"] == (
        [classification] if classification else []
    )
    if expected == "license_exception":
        assert decision.license_policy == "notify BIS (License Exception NAC)"
        assert "a licence exception covers it" in decision.explanation and "NAC: eligible" in decision.explanation


def test_nac_explains_why_not(graph_from: GraphFrom) -> None:
    store = graph_from(NAC_NODES, "")
    [dc] = restrictions_for(store, "chip-a-dc", "CN", D(2024, 1, 1))
    assert "NAC: not eligible — 3A090.a item designed or marketed for data centres cannot use it" in dc.explanation
    [unknown] = restrictions_for(store, "chip-a-unknown", "CN", D(2024, 1, 1))
    assert "NAC: eligibility unknown — 3A090.a items may use it only if not designed or marketed" in unknown.explanation
    assert unknown.license_policy == "presumption of denial"


@pytest.mark.parametrize(
    ("chip", "day", "expected"),
    [
        ("chip-nvidia-h100-sxm", D(2024, 6, 1), REQ),  # 3A090.a, marketed for data centres: no NAC
        ("chip-nvidia-h100-pcie", D(2024, 6, 1), REQ),
        ("chip-nvidia-l40s", D(2023, 11, 16), UNKNOWN),  # 2022 rule: interconnect not in the sources
        ("chip-nvidia-l40s", D(2023, 11, 17), REQ),  # TPP 5,864 → 3A090.a; data-centre use unknown
        ("chip-nvidia-h20", D(2023, 11, 17), FREE),  # TPP 2,368 < 2,400; PD 2.91 < 3.2: not 3A090.b
        ("chip-nvidia-h20", D(2025, 4, 9), REQ),  # named by the April 2025 requirement: NAC does not cover it
        ("chip-nvidia-rtx-4090d", D(2023, 11, 16), FREE),  # TPP 4,707 < 4,800 (2022 rule)
        ("chip-nvidia-rtx-4090d", D(2023, 11, 17), UNKNOWN),  # no die area: PD unknown, .a or .b undecidable
    ],
)
def test_bundled_chips_under_3a090_and_nac(store: MemoryStore, chip: str, day: dt.date, expected: str) -> None:
    assert status(store, chip, day)[0] == expected


def test_bundled_data_centre_chip_names_why_nac_is_closed(store: MemoryStore) -> None:
    [h100] = restrictions_for(store, "chip-nvidia-h100-sxm", "CN", D(2024, 6, 1))
    nac = next(f for f in h100.findings if f.rule.id == "rule-2023-11-17-license-exception-nac")
    assert nac.outcome == "not_eligible"
    [l40s] = restrictions_for(store, "chip-nvidia-l40s", "CN", D(2024, 6, 1))
    nac = next(f for f in l40s.findings if f.rule.id == "rule-2023-11-17-license-exception-nac")
    assert nac.outcome == "unknown" and "no source says whether this chip is" in nac.reason


SCOPE_NODES = """- {id: chip-big, labels: [ChipModel], name: Big, vendor: V, tpp: 6000}
- {id: rule-cn, labels: [ExportControlRule], name: CN rule, citation: 1 FR 1, valid_from: 2020-01-01,
   destinations: [CN], effect: license_required, criteria: ["3A090.a: tpp >= 4800"]}
- {id: rule-hk, labels: [ExportControlRule], name: Hong Kong treated as China under the EAR, citation: 85 FR 83765,
   valid_from: 2020-12-23, effect: destination_scope, destinations: [HK], treated_as: [CN]}
"""
SCOPE_EDGES = ""

NAC_NODES = """- {id: chip-b1, labels: [ChipModel], name: B1, vendor: V, tpp: 3000, die_area_mm2: 1500}
- {id: chip-b2, labels: [ChipModel], name: B2, vendor: V, tpp: 2000, die_area_mm2: 500}
- {id: chip-b3, labels: [ChipModel], name: B3, vendor: V, tpp: 2000, die_area_mm2: 666.67}
- {id: chip-a-consumer, labels: [ChipModel], name: A consumer, vendor: V, tpp: 5000, data_center: false}
- {id: chip-a-dc, labels: [ChipModel], name: A data centre, vendor: V, tpp: 5000, data_center: true}
- {id: chip-a-unknown, labels: [ChipModel], name: A unknown, vendor: V, tpp: 5000}
- {id: rule-2023, labels: [ExportControlRule], name: Update, citation: 88 FR 73458, valid_from: 2023-11-17,
   destinations: [CN], effect: license_required, license_policy: presumption of denial,
   criteria: ["3A090.a: tpp >= 4800", "3A090.a: tpp >= 1600 and pd >= 5.92",
              "3A090.b: tpp >= 2400 and tpp < 4800 and pd >= 1.6 and pd < 5.92",
              "3A090.b: tpp >= 1600 and pd >= 3.2 and pd < 5.92"]}
- {id: rule-nac, labels: [ExportControlRule], name: NAC, citation: 88 FR 73458, valid_from: 2023-11-17,
   destinations: [CN], effect: license_exception, eligibility: ["3A090.b", "3A090.a unless data_center"],
   license_policy: notify BIS (License Exception NAC)}
"""
