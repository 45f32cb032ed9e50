"""Screening across SAME_AS merges, on each backend: designations and ownership follow positive
judgements, the answer names the record and the judgement crossed, and an undo takes it back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders.judgements import Judgement, append_judgements
from queries.judge import decide, undo
from queries.named import run
from queries.policies import screen_party
from queries.same_as import apply_resolution
from tests.conftest import Loader
from tests.helpers import normalised
from tests.resolution_graph import dataset

D = dt.date
IN_FORCE, SUSPENDED = D(2026, 11, 10), D(2026, 1, 15)


@pytest.fixture
def resolved(load_on_backend: Loader, tmp_path: Path) -> tuple[GraphStore, Path]:
    """The resolution graph with the rule merges and one person's merge of the holding company."""
    store = load_on_backend(dataset())
    path = tmp_path / "judgements.jsonl"
    person = Judgement(
        "org-holdco", "csl-listed", "positive", "ana", "2026-11-20T09:30:00Z", "same registered address and directors"
    )
    append_judgements(path, [person])
    apply_resolution(store, [path])
    return store, path


def test_the_opensanctions_twin_carries_the_csl_rows_designation(resolved: tuple[GraphStore, Path]) -> None:
    store, _ = resolved
    answer = screen_party(store, "os-abc", IN_FORCE)
    assert answer.status == "listed"
    [designation] = answer.designations
    assert designation.via is not None and designation.via.id == "csl-abc"
    [merge] = designation.merges or []
    assert (merge.decided_by, merge.by_rule, merge.reason) == (
        "rule:shared-identifier",
        True,
        "shared identifier csl:abc",
    )
    assert "[designation of Example Compute Trading Limited: " in answer.explanation
    assert screen_party(store, "csl-near", IN_FORCE).status == "clear"  # the near-miss stays apart
    assert screen_party(store, "csl-unit", IN_FORCE).status == "clear"  # the sub-unit is not its parent


def test_an_owner_judged_the_same_as_a_listed_record_makes_an_affiliate(resolved: tuple[GraphStore, Path]) -> None:
    store, _ = resolved
    answer = screen_party(store, "org-target", IN_FORCE)
    assert answer.status == "affiliate"
    [finding] = answer.affiliates
    [stake] = finding.stakes
    assert (finding.known_total, stake.holder, stake.share) == (60.0, "org-holdco", 60.0)
    [merge] = stake.merges or []
    assert (merge.decided_by, merge.by_rule, merge.decided_at) == ("ana", False, "2026-11-20T09:30:00Z")
    assert merge.reason == "same registered address and directors"
    assert stake.explanation == (
        "Redfield Semi Holdings → Bluewater Compute 60% [Redfield Semi Holdings listed as Redfield Semiconductor] "
        "[Redfield Semiconductor is the same as Redfield Semi Holdings (judged by ana on 2026-11-20T09:30:00Z: "
        "same registered address and directors)]"
    )
    suspended = screen_party(store, "org-target", SUSPENDED)
    assert (suspended.status, suspended.affiliates) == ("clear", [])


def test_a_stake_recorded_on_another_member_counts_for_the_cluster(resolved: tuple[GraphStore, Path]) -> None:
    store, _ = resolved
    answer = screen_party(store, "org-target-cur", IN_FORCE)
    assert answer.status == "affiliate"
    [stake] = answer.affiliates[0].stakes
    assert (stake.holder, stake.share, [c.edge for c in stake.chain]) == (
        "csl-listed",
        70.0,
        ["csl-listed|OWNS|org-target-os"],
    )
    [merge] = stake.merges or []
    assert (
        merge.edge == "org-target-cur|SAME_AS|org-target-os"
        and merge.reason == "shared identifier opensanctions:NK-blue"
    )


def test_undoing_a_merge_takes_the_members_designation_away(resolved: tuple[GraphStore, Path]) -> None:
    store, path = resolved
    append_judgements(path, [undo(store, [path], "csl-abc", "os-abc", reason="different addresses", user="ana")])
    report = apply_resolution(store, [path])
    assert report.removed == 0 and report.positive == 3
    assert screen_party(store, "os-abc", IN_FORCE).status == "clear"
    assert screen_party(store, "csl-abc", IN_FORCE).status == "listed"
    undone = {e.id: e.props for e in store.edges("SAME_AS")}["csl-abc|SAME_AS|os-abc"]
    assert (undone["judgement"], undone["decided_by"]) == ("negative", "ana")


def test_a_person_merge_of_a_chinese_name_is_followed(resolved: tuple[GraphStore, Path]) -> None:
    store, path = resolved
    decision = decide(store, [path], "os-zh", "csl-abc", "positive", reason="test merge", user="bo")
    assert decision.cluster == ["csl-abc", "csl-en", "os-abc", "os-zh"]
    append_judgements(path, [decision.judgement])
    apply_resolution(store, [path])
    answer = screen_party(store, "csl-en", IN_FORCE)
    assert answer.status == "listed"
    [designation] = answer.designations
    assert designation.via is not None and designation.via.id == "csl-abc"
    assert [(m.edge, m.decided_by) for m in designation.merges or []] == [
        ("csl-abc|SAME_AS|os-zh", "bo"),
        ("csl-en|SAME_AS|os-zh", "rule:shared-identifier"),
    ]


def test_applying_twice_converges(resolved: tuple[GraphStore, Path]) -> None:
    store, path = resolved
    before = sorted((e.id, sorted(e.props.items())) for e in store.edges("SAME_AS"))
    report = apply_resolution(store, [path])
    assert sorted((e.id, sorted(e.props.items())) for e in store.edges("SAME_AS")) == before
    assert (report.edges, report.positive, report.removed) == (len(before), 4, 0)
    rows = run(store, "designations", org_ids=["os-abc"])
    assert [(r["party"], r["member"], [m["props"]["id"] for m in r["merges"]]) for r in rows] == [
        ("os-abc", "csl-abc", ["csl-abc|SAME_AS|os-abc"])
    ]


@pytest.mark.neo4j
def test_both_backends_give_identical_rows_across_merges(neo4j_settings: Neo4jSettings, tmp_path: Path) -> None:
    path = tmp_path / "judgements.jsonl"
    append_judgements(path, [Judgement("org-holdco", "csl-listed", "positive", "ana", "2026-11-20T09:30:00Z", "same")])
    memory = MemoryStore()
    memory.load(dataset())
    neo4j = Neo4jStore.connect(neo4j_settings)
    try:
        neo4j.clear()
        neo4j.load(dataset())
        for store in (memory, neo4j):
            apply_resolution(store, [path])
        cases: list[tuple[str, dict[str, Any]]] = [
            ("designations", {"org_ids": None}),
            ("designations", {"org_ids": ["os-abc", "org-holdco"]}),
        ]
        cases += [("owners", {"org_id": o, "as_of": None}) for o in ("org-target", "org-target-cur", "org-target-os")]
        for name, params in cases:
            assert normalised(run(neo4j, name, **params)) == normalised(run(memory, name, **params)), (name, params)
        assert len(run(memory, "designations", org_ids=None)) == 4
    finally:
        neo4j.close()


def test_an_edge_no_judgement_supports_any_more_is_removed(resolved: tuple[GraphStore, Path]) -> None:
    store, _ = resolved
    report = apply_resolution(store, [])  # without the user's file: only the rule's merges remain
    assert (report.removed, report.edges, report.positive) == (1, 3, 3)
    assert "csl-listed|SAME_AS|org-holdco" not in {e.id for e in store.edges("SAME_AS")}
    assert screen_party(store, "org-target", IN_FORCE).status == "clear"
