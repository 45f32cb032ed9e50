"""The CSL and OpenSanctions fixtures (invented names, real layouts) ingested through the command
line as two snapshots each: the documented counts, the changes, screening before and after, and
the same answers from both backends."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from tests.helpers import checksum, cli_ok
from tests.helpers import cli_json as answer
from tests.helpers import cli_run as run

FIXTURES = Path(__file__).parent / "fixtures"
CSL1 = FIXTURES / "csl" / "consolidated-2026-11-01.json"
CSL2 = FIXTURES / "csl" / "consolidated-2026-11-28.json"
CSV1 = FIXTURES / "csl" / "consolidated-2026-11-01.csv"
OS1 = FIXTURES / "opensanctions" / "entities-2026-11-01.ftm.json"
OS2 = FIXTURES / "opensanctions" / "entities-2026-11-28.ftm.json"
SHENZHEN = "Example Compute (Shenzhen) Co., Ltd."


def ok(env: dict[str, str], *args: object) -> str:
    return cli_ok(env, *args).stdout


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CHIPTRAIL_HOME": str(tmp_path / "home"), "COLUMNS": "250"}


def _ingest_all(env: dict[str, str], *backend: str) -> list[str]:
    return [
        ok(env, "ingest", "csl", CSL1, *backend),
        ok(env, "ingest", "csl", CSL2, *backend),
        ok(env, "ingest", "opensanctions", OS1, "--snapshot", "2026-11-01", *backend),
        ok(env, "ingest", "opensanctions", OS2, "--snapshot", "2026-11-28", *backend),
    ]


def test_two_csl_snapshots_give_the_documented_counts_and_changes(env: dict[str, str]) -> None:
    first, second, *_ = _ingest_all(env)
    assert "7 rows → 22 added, 0 changed, 0 ended, 0 unchanged; skipped: 1 address-only entry, 1 individual" in first
    assert "7 rows → 4 added, 2 changed, 2 ended, 18 unchanged" in second
    delta = answer(env, "changes", "trade_gov_csl")
    assert (delta["since"], delta["latest"]) == ("2026-11-01", "2026-11-28")
    ended = {c["kind"]: c["name"] for c in delta["ended"] if c["kind"] == "Organization"}
    assert ended == {"Organization": "Example Photonics Devices Co., Ltd."}
    changed = {c["kind"]: c["fields"] for c in delta["changed"]}
    assert changed == {"Organization": ["aliases", "identifiers"], "DESIGNATED_BY": ["citation", "license_policy"]}
    verdicts = {v["party"]["name"]: (v["before"], v["after"]) for v in delta["verdicts"]}
    assert verdicts == {
        "Example Photonics Devices Co., Ltd.": ("listed", "clear"),
        "Example Cloud Computing (Shenzhen) Co., Ltd.": ("clear", "listed"),
    }
    # The delisting is an end of validity: an earlier date still answers as before.
    before = answer(env, "screen", "Example Photonics Devices Co., Ltd.", "--as-of", "2026-11-20")
    after = answer(env, "screen", "Example Photonics Devices Co., Ltd.", "--as-of", "2026-11-28")
    assert (before["status"], after["status"]) == ("listed", "clear")
    assert before["designations"][0]["lists"] == ["list-bis-entity-list"]


def test_the_same_file_again_changes_nothing_and_an_older_one_is_refused(env: dict[str, str]) -> None:
    ok(env, "ingest", "csl", CSL1)
    ok(env, "ingest", "csl", CSL2)
    listed = answer(env, "datasets")
    again = ok(env, "ingest", "csl", CSL2)
    assert "the snapshot of 2026-11-28 is this very file; nothing changed" in again
    assert answer(env, "datasets") == listed
    older = run(env, "ingest", "csl", CSL1)
    assert older.returncode == 2
    assert "already holds the snapshot of 2026-11-28; a snapshot of 2026-11-01 is older" in older.stderr


def test_the_csv_gives_the_same_records_as_the_json(env: dict[str, str], tmp_path: Path) -> None:
    ok(env, "ingest", "csl", CSL1)
    other = {**env, "CHIPTRAIL_HOME": str(tmp_path / "other")}
    ok(other, "ingest", "csl", CSV1, "--snapshot", "2026-11-01")
    json_side = answer(env, "changes", "trade_gov_csl", "--since", "2000-01-01")["added"]
    csv_side = answer(other, "changes", "trade_gov_csl", "--since", "2000-01-01")["added"]
    assert [(c["id"], c["name"], c["record_key"]) for c in json_side] == [
        (c["id"], c["name"], c["record_key"]) for c in csv_side
    ]
    # Filed under a dataset name of the user's, the same download gets ids of its own beside the first.
    ok(env, "ingest", "csl", CSV1, "--dataset", "csl_copy", "--snapshot", "2026-11-01")
    copy = answer(env, "changes", "csl_copy", "--since", "2000-01-01")["added"]
    assert sorted(c["id"] for c in copy) == sorted(f"csl-copy.{c['id']}" for c in csv_side)
    listed = answer(env, "screen", "csl-copy.csl-el-ad94839d515f", "--as-of", "2026-11-20")
    assert listed["designations"][0]["lists"] == ["list-bis-entity-list"]


def test_a_fixture_company_is_screened_through_an_opensanctions_ownership_chain(env: dict[str, str]) -> None:
    ok(env, "ingest", "opensanctions", OS1, "--snapshot", "2026-11-01")
    held = answer(env, "screen", SHENZHEN, "--as-of", "2026-11-20")
    assert held["status"] == "affiliate"
    (finding,) = held["affiliates"]
    assert (finding["known_total"], finding["stakes"][0]["holder"]) == (60.0, "os-nk-ex4mpleparentabc123-5084fc")
    suspended = answer(env, "screen", SHENZHEN, "--as-of", "2026-11-05")  # the rule was suspended then
    assert suspended["status"] == "clear" and "suspended" in suspended["explanation"]
    ok(env, "ingest", "opensanctions", OS2, "--snapshot", "2026-11-28")
    assert answer(env, "screen", SHENZHEN, "--as-of", "2026-11-20")["status"] == "affiliate"
    assert answer(env, "screen", SHENZHEN, "--as-of", "2026-11-28")["status"] == "clear"


def test_a_bad_row_writes_nothing_unless_skipped_and_counted(env: dict[str, str]) -> None:
    bad = FIXTURES / "opensanctions" / "bad" / "percentage-150.ftm.json"
    refused = run(env, "ingest", "opensanctions", bad)
    assert refused.returncode == 1
    assert f"{bad}:3, record own-ab, field 'percentage': share '150' is outside 0–100" in refused.stderr
    assert answer(env, "datasets") == []
    skipped = ok(env, "ingest", "opensanctions", bad, "--skip-invalid", "--snapshot", "2026-11-01")
    assert "3 rows → 2 added" in skipped and "1 invalid rows (--skip-invalid)" in skipped


@pytest.mark.neo4j
def test_both_backends_give_the_same_answers_and_a_repeat_changes_nothing(
    neo4j_settings: Neo4jSettings, env: dict[str, str]
) -> None:
    env = {**env, "NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()}
    ok(env, "load", "--backend", "neo4j", "--replace")
    on_neo4j = _ingest_all(env, "--backend", "neo4j")
    in_memory = _ingest_all(env)
    resolved = [line.split("\nresolution:")[0].replace("in neo4j", "") for line in on_neo4j]
    assert resolved == [line.rstrip("\n").replace("in memory", "") for line in in_memory]
    for dataset in ("trade_gov_csl", "opensanctions"):
        since = ("--since", "2026-10-01")
        assert answer(env, "changes", dataset, *since, "--backend", "neo4j") == answer(env, "changes", dataset, *since)
    screen = ("screen", SHENZHEN, "--as-of", "2026-11-20")
    assert answer(env, *screen, "--backend", "neo4j") == answer(env, *screen)
    store = Neo4jStore.connect(neo4j_settings)
    try:
        before = checksum(store)
        assert "nothing changed" in ok(env, "ingest", "csl", CSL2, "--backend", "neo4j")
        assert checksum(store) == before
    finally:
        store.clear()
        store.close()


BRIDGED = [  # an OpenSanctions record of a CSL Entity List row (its id names the CSL row) holding a stake
    {
        "id": "trade-csl-490382db4137ec7974bc86f9e68a07d68c60b858d297729067aa4aa1",
        "schema": "Organization",
        "properties": {"name": ["Example Intelligent Computing Institute"], "country": ["cn"]},
    },
    {"id": "co-example-cloud-hk", "schema": "Company", "properties": {"name": ["Example Cloud HK Limited"]}},
    {
        "id": "own-bridged-60",
        "schema": "Ownership",
        "properties": {
            "owner": ["trade-csl-490382db4137ec7974bc86f9e68a07d68c60b858d297729067aa4aa1"],
            "asset": ["co-example-cloud-hk"],
            "percentage": ["60"],
            "startDate": ["2025-01"],
        },
    },
]


def test_a_stake_held_by_the_opensanctions_record_of_a_listed_csl_row_counts_through_the_merge(
    env: dict[str, str], tmp_path: Path
) -> None:
    bridged = tmp_path / "bridged.ftm.json"
    bridged.write_text("".join(json.dumps(line) + "\n" for line in BRIDGED))
    ok(env, "ingest", "csl", CSL1)
    ok(env, "ingest", "opensanctions", bridged, "--snapshot", "2026-11-20")
    held = answer(env, "screen", "Example Cloud HK Limited", "--as-of", "2026-11-25")
    assert held["status"] == "affiliate"
    text = json.dumps(held)
    assert "rule:shared-identifier" in text and "csl:490382db4137ec7974bc86f9e68a07d68c60b858d297729067aa4aa1" in text
