"""Entity resolution without a backend: the identifier rule and its guards, candidates, the judgements file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from loaders.judgements import Anchor, Judgement, append_judgements, latest, read_judgements
from ontology.errors import DataError, NotFound, Refused
from ontology.records import Node
from queries.candidates import candidates
from queries.judge import decide, undo
from queries.names import similarity, sub_unit
from queries.resolution import RULE, cluster_of, resolve
from queries.same_as import apply_resolution, organizations, review
from tests.resolution_graph import NODES, dataset, org

ORGS = {n.id: n for n in NODES if "Organization" in n.labels}


def test_a_csl_row_and_its_opensanctions_twin_merge_on_the_csl_id() -> None:
    j = resolve(ORGS, []).in_force[("csl-abc", "os-abc")]
    assert (j.judgement, j.user, j.reason, j.score) == ("positive", RULE, "shared identifier csl:abc", 1.0)


def test_a_chinese_name_joins_an_english_one_only_through_the_uscc() -> None:
    assert similarity("中科寒武纪科技股份有限公司", "Cambricon Technologies Corporation Limited") == 0.0
    j = resolve(ORGS, []).in_force[("csl-en", "os-zh")]
    assert j.reason == "shared identifier uscc:91110108MA0000000X"
    without = {k: v for k, v in ORGS.items() if k != "csl-en"} | {
        "csl-en": org("csl-en", "Cambricon Technologies Corporation Limited", "CN", [], "trade_gov_csl")
    }
    assert ("csl-en", "os-zh") not in resolve(without, []).in_force


def test_the_near_miss_stays_apart_and_is_a_candidate_with_its_features() -> None:
    resolution = resolve(ORGS, [])
    assert not any("csl-near" in pair for pair in resolution.in_force)
    found = {(c.left, c.right): c for c in candidates(ORGS, resolution.in_force, cluster_of(resolution.in_force))}
    near = found[("csl-abc", "csl-near")]
    assert near.score == 0.7894 and near.features == {"name_similarity": 0.7394, "country": 0.05}
    assert near.algorithm == "chiptrail-names-v1" and near.suggestion is None
    assert ("csl-abc", "os-abc") not in found  # already one cluster


def test_a_parent_and_its_research_institute_are_never_merged_even_sharing_an_identifier() -> None:
    assert sub_unit("Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd., Beijing Research Institute") == (
        "research institute"
    )
    resolution = resolve(ORGS, [])
    assert ("csl-parent", "csl-unit") not in resolution.in_force
    [refused] = [r for r in resolution.refusals if r.identifier == "ofac:7001"]
    assert "org-unit suffix 'research institute'" in refused.reason
    found = {(c.left, c.right): c for c in candidates(ORGS, resolution.in_force, {})}
    pair = found[("csl-parent", "csl-unit")]
    assert pair.score == 0.9 and pair.suggestion == "different"
    assert pair.features["org_unit_suffix"] == "research institute"


def test_two_different_leis_are_never_merged_and_the_refusal_is_reported() -> None:
    resolution = resolve(ORGS, [])
    assert ("os-lei1", "os-lei2") not in resolution.in_force
    [refused] = [r for r in resolution.refusals if r.identifier == "csl:twin"]
    assert refused.reason == (
        "the cluster would hold 2 different lei values: AAAA00000000000000A1, BBBB00000000000000B2"
    )


def test_a_transitive_cluster_with_two_usccs_is_refused() -> None:
    nodes = {
        "a": org("a", "A", "CN", ["uscc:1", "csl:x"], "trade_gov_csl"),
        "b": org("b", "B", "CN", ["csl:x", "isin:Q"], "opensanctions"),
        "c": org("c", "C", "CN", ["isin:Q", "uscc:2"], "opensanctions"),
    }
    resolution = resolve(nodes, [])
    assert [p for p, j in resolution.in_force.items() if j.judgement == "positive"] == [("a", "b")]
    assert [(r.left, r.right) for r in resolution.refusals] == [("b", "c")]


def _line(left: str, right: str, verdict: str, **kw: object) -> Judgement:
    fields: dict[str, object] = {"user": "ana", "at": "2026-11-29T10:00:00Z", "reason": "checked the FR notice"}
    fields.update(kw)
    return Judgement(left, right, verdict, **fields)  # type: ignore[arg-type]


def test_a_negative_judgement_blocks_the_rule_and_the_pair_is_no_longer_suggested() -> None:
    resolution = resolve(ORGS, [_line("os-abc", "csl-abc", "negative")])
    assert resolution.in_force[("csl-abc", "os-abc")].judgement == "negative"
    assert resolution.in_force[("csl-abc", "os-abc")].user == "ana"
    found = {(c.left, c.right) for c in candidates(ORGS, resolution.in_force, cluster_of(resolution.in_force))}
    assert ("csl-abc", "os-abc") not in found and ("csl-abc", "csl-near") in found


def test_judgements_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    lines = [
        _line("csl-abc", "csl-near", "unsure", score=0.79, anchors={"left": Anchor(("csl:abc",), "X", "HK")}),
        _line("csl-abc", "csl-near", "negative", at="2026-11-29T11:00:00Z", supersedes="csl-abc|csl-near@x"),
    ]
    append_judgements(path, lines[:1])
    append_judgements(path, lines[1:])
    back = read_judgements(path)
    assert back == lines and back[0].anchors == lines[0].anchors
    assert latest(back)[("csl-abc", "csl-near")].judgement == "negative"
    assert json.loads(path.read_text().splitlines()[0])["anchors"]["left"]["identifiers"] == ["csl:abc"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"left": "a"', "j.jsonl:2: not JSON"),
        ('{"left": "a", "right": "b", "judgement": "maybe", "user": "u", "at": "t", "reason": "r"}', "'judgement'"),
        ('{"left": "a", "right": "b", "judgement": "positive", "at": "t", "reason": "r"}', "field 'user'"),
        ('{"left": "a", "right": "b", "judgement": "positive", "user": "u", "at": "t", "reason": " "}', "'reason'"),
    ],
)
def test_a_bad_line_names_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(_line("a", "b", "positive").to_line() + "\n" + text + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_judgements(path)
    assert expected in str(caught.value) and ":2" in str(caught.value)


def test_a_judgement_survives_a_re_key_through_its_anchors() -> None:
    store = MemoryStore()
    store.load(dataset())
    old = {**organizations(store)}
    person = decide(store, [], "csl-near", "csl-abc", "negative", reason="different addresses", user="ana").judgement
    # the CSL re-keys the near-miss row (its _id changes with an FR citation): same name, same country
    renamed = {k: v for k, v in old.items() if k != "csl-near"}
    renamed["csl-near2"] = Node("csl-near2", old["csl-near"].labels, dict(old["csl-near"].props))
    resolution = resolve(renamed, [person])
    [moved] = resolution.rekeyed
    assert (moved.left, moved.right, moved.judgement, moved.user) == ("csl-near2", "csl-abc", "negative", "rule:rekey")
    assert moved.supersedes == person.key and "csl-near -> csl-near2" in moved.reason
    assert resolution.in_force[("csl-abc", "csl-near2")].judgement == "negative"
    assert resolve(renamed, [person, moved]).rekeyed == []  # appended once, not every run


def test_judge_refuses_unknown_ids_with_suggestions_and_a_cluster_with_two_leis() -> None:
    store = MemoryStore()
    store.load(dataset())
    with pytest.raises(NotFound) as caught:
        decide(store, [], "csl-abcd", "os-abc", "positive", reason="r", user="ana")
    assert "csl-abc" in caught.value.suggestions
    with pytest.raises(Refused, match="2 different lei values"):
        decide(store, [], "os-lei1", "os-lei2", "positive", reason="same address", user="ana")
    forced = decide(store, [], "os-lei1", "os-lei2", "positive", reason="same address", user="ana", force=True)
    assert forced.cluster == ["os-lei1", "os-lei2"] and forced.conflict is not None


def test_undo_appends_a_negative_that_supersedes_the_merge(tmp_path: Path) -> None:
    store = MemoryStore()
    store.load(dataset())
    path = tmp_path / "judgements.jsonl"
    line = undo(store, [path], "os-abc", "csl-abc", reason="two companies at one address", user="ana")
    assert (line.judgement, line.supersedes) == ("negative", "csl-abc|os-abc@")
    append_judgements(path, [line])
    report = apply_resolution(store, [path])
    same_as = {e.id: e.props["judgement"] for e in store.edges("SAME_AS")}
    assert same_as["csl-abc|SAME_AS|os-abc"] == "negative" and report.removed == 0
    found, _ = review(store, [path])
    assert ("csl-abc", "os-abc") not in {(c.left, c.right) for c in found}


def test_different_leis_lower_a_candidate_sharing_a_csl_id() -> None:
    resolution = resolve(ORGS, [])
    found = {(c.left, c.right): c for c in candidates(ORGS, resolution.in_force, cluster_of(resolution.in_force))}
    pair = found[("os-lei1", "os-lei2")]
    assert (
        pair.score == 0.6 and pair.features["conflicting"] == "lei" and pair.features["shared_identifier"] == "csl:twin"
    )


def test_a_re_key_never_overrides_a_later_decision_about_the_new_pair() -> None:
    person = _line(
        "csl-near",
        "csl-abc",
        "negative",
        anchors={"left": Anchor(("csl:near",), "Example Computer Trading Limited", "HK", "trade_gov_csl")},
    )
    renamed = {k: v for k, v in ORGS.items() if k != "csl-near"}
    renamed["csl-near2"] = Node("csl-near2", ORGS["csl-near"].labels, dict(ORGS["csl-near"].props))
    later = _line("csl-abc", "csl-near2", "unsure", at="2026-11-30T08:00:00Z")
    resolution = resolve(renamed, [person, later])
    assert resolution.rekeyed == [] and resolution.in_force[("csl-abc", "csl-near2")].judgement == "unsure"
    assert [j.left for j in resolve(renamed, [person]).rekeyed] == ["csl-near2"]
