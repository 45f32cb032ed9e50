"""Restriction decisions for every chip in the facts table, either side of each rule's date.

Expected outcomes are worked by hand from the published specs and thresholds:
  * 2022-10-07 rule (87 FR 62186): 3A090 needs TPP >= 4,800 AND interconnect >= 600 GB/s;
  * 2023-11-17 rule (88 FR 73458): 3A090.a is TPP >= 4,800, or TPP >= 1,600 and PD >= 5.92;
  * 2025-04-09: the H20 needs a licence for CN by a product-specific requirement;
  * 2026-01-15 (91 FR 1684): H200 review policy becomes case-by-case for CN.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.memory import MemoryStore
from ontology.records import Node
from queries.decide import decide
from queries.lookup import restrictions_for
from queries.restrictions import CriteriaLine, chip_metrics, computed_tpp, load_rules

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
    "chip-nvidia-h100-pcie": (FREE, UNKNOWN, REQ),  # interconnect not in the sources
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


def status(store: MemoryStore, chip: str, day: dt.date, destination: str = "CN") -> tuple[str, bool]:
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
