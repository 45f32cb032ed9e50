"""`chiptrail resolve …` and GET /v1/resolution/*: candidates, judging, undo and apply through the faces."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from api.stores import open_loaded_store
from graph.memory import MemoryStore
from graph.settings import Neo4jSettings
from loaders import BUNDLED_JUDGEMENTS, load_paths
from loaders.judgements import read_judgements
from queries.policies import screen_party
from queries.same_as import apply_resolution, review
from tests.conftest import DATA
from tests.helpers import CLI, client_for

GRAPH = """\
defaults:
  confidence: reported
  sources: [src-test]
nodes:
  - {id: src-test, labels: [Source], name: Test source, title: A test source, publisher: Tests, sources: null}
  - {id: list-el, labels: [SanctionsList], name: Entity List}
  - {id: listing-1, labels: [ListingAction], name: Entity List addition, valid_from: 2024-01-01}
  - {id: csl-abc, labels: [Organization], name: Example Compute Trading Limited, country: HK,
     dataset: trade_gov_csl, record_key: abc, identifiers: ["csl:abc"]}
  - {id: os-abc, labels: [Organization], name: EXAMPLE COMPUTE TRADING LTD, country: HK,
     dataset: opensanctions, record_key: trade-csl-abc, identifiers: ["csl:abc", "opensanctions:trade-csl-abc"]}
  - {id: csl-near, labels: [Organization], name: Example Computer Trading Limited, country: HK,
     dataset: trade_gov_csl, record_key: near, identifiers: ["csl:near"]}
  - {id: os-lei1, labels: [Organization], name: Twin Foundry A, identifiers: ["lei:AAAA00000000000000A1"]}
  - {id: os-lei2, labels: [Organization], name: Twin Foundry B, identifiers: ["lei:BBBB00000000000000B2"]}
edges:
  - {type: AMENDS, from: listing-1, to: list-el}
  - {type: DESIGNATED_BY, from: csl-abc, to: listing-1, valid_from: 2024-01-01}
"""


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    path = tmp_path / "graph.yaml"
    path.write_text(textwrap.dedent(GRAPH), encoding="utf-8")
    return path


def run(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {}), "CHIPTRAIL_HOME": str(home)}
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300, env=environment, check=False)


def test_candidates_judge_and_undo_on_the_command_line(graph: Path, tmp_path: Path) -> None:
    home, data = tmp_path / "home", ("--data", str(graph))
    listed = run(home, "resolve", "candidates", "--format", "json", *data)
    assert listed.returncode == 0, listed.stderr
    pairs = {(c["left"]["id"], c["right"]["id"]): c for c in json.loads(listed.stdout)}
    assert pairs[("csl-abc", "csl-near")]["score"] == 0.7894
    assert pairs[("csl-abc", "csl-near")]["right"]["name"] == "Example Computer Trading Limited"

    unknown = run(home, "resolve", "judge", "csl-abc", "csl-nearr", "--different", "--reason", "x", *data)
    assert unknown.returncode == 2 and "Did you mean: csl-near" in unknown.stderr
    guarded = run(home, "resolve", "judge", "os-lei1", "os-lei2", "--same", "--reason", "one address", *data)
    assert guarded.returncode == 2 and "2 different lei values" in guarded.stderr
    assert not (home / "judgements.jsonl").exists()

    judged = run(
        home, "resolve", "judge", "csl-near", "csl-abc", "--unsure", "--reason", "address?", "--user", "ana", *data
    )
    assert judged.returncode == 0, judged.stderr
    assert json.loads(run(home, "resolve", "candidates", "--format", "json", *data).stdout) == []

    def screen() -> str:
        answer = run(home, "screen", "os-abc", "--as-of", "2026-11-10", "--format", "json", *data)
        return str(json.loads(answer.stdout)["status"])

    assert screen() == "listed"
    undone = run(home, "resolve", "undo", "csl-abc", "os-abc", "--reason", "two firms", "--user", "ana", *data)
    assert undone.returncode == 0, undone.stderr
    assert screen() == "clear"
    lines = [json.loads(line) for line in (home / "judgements.jsonl").read_text().splitlines()]
    assert [(x["judgement"], x["user"], x["supersedes"]) for x in lines] == [
        ("unsure", "ana", None),
        ("negative", "ana", "csl-abc|os-abc@"),
    ]


def test_the_http_face_lists_candidates_and_judgements(graph: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    line = {"left": "csl-abc", "right": "csl-near", "judgement": "negative", "score": 0.79, "user": "ana",
            "at": "2026-11-29T12:00:00Z", "reason": "different addresses", "supersedes": None}  # fmt: skip
    (home / "judgements.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    store = MemoryStore()
    store.load(load_paths([graph]))
    apply_resolution(store, [home / "judgements.jsonl"])
    with client_for(store, home=home) as client:
        candidates = client.get("/v1/resolution/candidates").json()
        judgements = client.get("/v1/resolution/judgements").json()
        assert client.get("/v1/resolution/candidates", params={"limit": 0}).status_code == 422
    assert [(c["left"]["id"], c["right"]["id"]) for c in candidates] == []  # csl-near judged against the cluster
    assert judgements[-1] == {**{k: v for k, v in line.items() if v is not None}, "file": "user"}
    assert {j["file"] for j in judgements[:-1]} == {"bundled"}


def test_the_bundled_judgements_settle_every_candidate_in_the_curated_data(tmp_path: Path) -> None:
    store = open_loaded_store("memory", [DATA], judgements=[BUNDLED_JUDGEMENTS, tmp_path / "none.jsonl"])
    lines = read_judgements(BUNDLED_JUDGEMENTS)
    assert {(j.judgement, j.user) for j in lines} == {
        ("negative", "chiptrail-curation"),
        ("unsure", "chiptrail-curation"),
    }
    assert review(store, [BUNDLED_JUDGEMENTS])[0] == []
    same_as = store.edges("SAME_AS")
    assert len(same_as) == len(lines) == 10 and not any(e.props["judgement"] == "positive" for e in same_as)
    for centre in ("org-nsc-jinan", "org-nsc-shenzhen", "org-nsc-wuxi", "org-nsc-zhengzhou"):
        assert all(d.via is None for d in screen_party(store, centre, dt.date(2026, 11, 10)).designations)


@pytest.mark.neo4j
def test_resolve_apply_on_neo4j_is_idempotent_and_answers_as_memory(
    graph: Path, tmp_path: Path, neo4j_settings: Neo4jSettings
) -> None:
    home = tmp_path / "home"
    env = {"NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()}
    assert run(home, "load", str(graph), "--backend", "neo4j", "--replace", env=env).returncode == 0
    first = run(home, "resolve", "apply", "--backend", "neo4j", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 SAME_AS edges (1 positive) on neo4j; 0 stale removed")
    assert run(home, "resolve", "apply", "--backend", "neo4j", env=env).stdout == first.stdout
    args = ("screen", "os-abc", "--as-of", "2026-11-10", "--format", "json")
    on_neo4j = run(home, *args, "--backend", "neo4j", env=env)
    assert on_neo4j.returncode == 0, on_neo4j.stderr
    assert on_neo4j.stdout == run(home, *args, "--data", str(graph)).stdout
    assert json.loads(on_neo4j.stdout)["designations"][0]["via"]["id"] == "csl-abc"
    undone = run(home, "resolve", "undo", "csl-abc", "os-abc", "--reason", "two firms", "--backend", "neo4j", env=env)
    assert undone.returncode == 0, undone.stderr
    second = run(home, "resolve", "apply", "--backend", "neo4j", env=env)
    assert second.stdout.startswith("1 SAME_AS edges (0 positive) on neo4j")
    assert json.loads(run(home, *args, "--backend", "neo4j", env=env).stdout)["status"] == "clear"
