"""The affiliates rule and its one-year suspension, each its own dated record (facts.md section 2).

FR Doc. 2025-19001 is in force from 2025-09-29; a BIS final rule published 2025-11-12 (FR Vol. 90
No. 216) suspends it from 2025-11-10 to 2026-11-09, and it applies again from 2026-11-10. The
illustrative affiliate Jadeport Trading (fictional) is held 54% by Entity-List parties.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.memory import MemoryStore
from queries.policies import screen_party
from queries.restrictions import load_rules
from queries.scope import operative, suspension
from tests.conftest import GraphFrom

D = dt.date
JADEPORT = "Jadeport Trading (fictional)"
SUSPENSION = "rule-2025-11-10-affiliates-suspension"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 9, 28), "clear"),  # the affiliates rule is not yet in force
        (D(2025, 11, 9), "affiliate"),  # last day before the suspension
        (D(2025, 11, 10), "clear"),  # first day of the suspension
        (D(2026, 11, 9), "clear"),  # last day of the suspension
        (D(2026, 11, 10), "affiliate"),  # reimposed
    ],
)
def test_jadeport_either_side_of_the_suspension(store: MemoryStore, day: dt.date, expected: str) -> None:
    answer = screen_party(store, JADEPORT, day)
    assert answer.status == expected
    if expected == "affiliate":
        [finding] = answer.affiliates
        assert finding.known_total == 54.0 and finding.rule.citation == "FR Doc. 2025-19001"
    else:
        assert answer.affiliates == []


@pytest.mark.parametrize("day", [D(2025, 11, 10), D(2026, 11, 9)])
def test_the_explanation_names_the_suspension_and_its_citation(store: MemoryStore, day: dt.date) -> None:
    explanation = screen_party(store, JADEPORT, day).explanation
    assert explanation == (
        f"Jadeport Trading (fictional): no designation in force on {day}; ownership not counted: Affiliates rule "
        "(Entity List 50% ownership) (FR Doc. 2025-19001, in force from 2025-09-29) is suspended on "
        f"{day} by One-year suspension of the Affiliates rule (FR Vol. 90 No. 216 (BIS final rule published "
        "2025-11-12), from 2025-11-10 to 2026-11-09)."
    )


def test_the_suspension_is_a_record_and_the_rule_keeps_its_dates(store: MemoryStore) -> None:
    rules = {r.id: r for r in load_rules(store)}
    affiliates, held = rules["rule-2025-09-29-affiliates"], rules[SUSPENSION]
    assert (affiliates.valid_from, affiliates.valid_to) == (D(2025, 9, 29), None)
    assert (held.effect, held.valid_from, held.valid_to) == ("suspension", D(2025, 11, 10), D(2026, 11, 9))
    assert held.suspends == frozenset({"rule-2025-09-29-affiliates"})
    every = list(rules.values())
    assert [operative(affiliates, every, d) for d in (D(2025, 11, 9), D(2025, 11, 10), D(2026, 11, 10))] == [
        True,
        False,
        True,
    ]
    assert suspension(affiliates, every, D(2026, 1, 1)) == held


def test_route_hops_are_screened_on_their_own_dates(store: MemoryStore) -> None:
    """A hop on 2025-10-15 (before the suspension) still flags the affiliate, whatever date is asked."""
    screened = screen_party(store, JADEPORT, D(2025, 10, 15))
    assert screened.status == "affiliate"


NODES = """\
- {id: rule-aff, labels: [ExportControlRule], name: Affiliates, citation: 2 FR 2, valid_from: 2025-01-01,
   effect: affiliates, ownership_threshold: 50}
- {id: rule-pause, labels: [ExportControlRule], name: Pause, citation: 3 FR 3, valid_from: 2025-06-01,
   valid_to: 2025-06-30, effect: suspension}
- {id: list-el, labels: [SanctionsList], name: Entity List}
- {id: listing-1, labels: [ListingAction], name: Listing of Parent, valid_from: 2024-06-01}
- {id: org-parent, labels: [Distributor], name: Parent}
- {id: org-sub, labels: [Distributor], name: Sub}
"""
EDGES = """\
- {type: EXTENDS, from: rule-aff, to: list-el}
- {type: SUSPENDS, from: rule-pause, to: rule-aff}
- {type: AMENDS, from: listing-1, to: list-el}
- {type: DESIGNATED_BY, from: org-parent, to: listing-1, valid_from: 2024-06-01}
- {type: OWNS, from: org-parent, to: org-sub, percentage: 75}
"""


def test_any_suspension_record_pauses_the_rule_it_suspends(graph_from: GraphFrom) -> None:
    store = graph_from(NODES, EDGES)
    got = [screen_party(store, "Sub", d).status for d in (D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 30), D(2025, 7, 1))]
    assert got == ["affiliate", "clear", "clear", "affiliate"]
    assert "suspended on 2025-06-01 by Pause (3 FR 3, from 2025-06-01 to 2025-06-30)" in (
        screen_party(store, "Sub", D(2025, 6, 1)).explanation
    )
