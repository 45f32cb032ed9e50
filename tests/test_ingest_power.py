"""The GEM and WRI fixtures (invented plants, real layouts) ingested through the command line:
the summaries with plants by place level and the warning, two snapshots' changes, the GEM entity
merged across trackers, and the same answers from both backends."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from tests.helpers import cli_json as answer
from tests.helpers import cli_ok as ok
from tests.helpers import cli_run as run

FIXTURES = Path(__file__).parent / "fixtures"
COAL1 = FIXTURES / "gem" / "coal-2026-01.csv"
COAL2 = FIXTURES / "gem" / "coal-2026-02.csv"
SOLAR = FIXTURES / "gem" / "solar-2026-02.csv"
WIND = FIXTURES / "gem" / "wind-2026-02.csv"
WRI1 = FIXTURES / "wri" / "global_power_plant_database-v1.3.0.csv"
WRI2 = FIXTURES / "wri" / "global_power_plant_database-v1.3.1.csv"
XINJIANG_CO = "gem-coal-e100000990001"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CHIPTRAIL_HOME": str(tmp_path / "home"), "COLUMNS": "400"}


def _ingest_all(env: dict[str, str], *backend: str) -> list[subprocess.CompletedProcess[str]]:
    return [
        ok(env, "ingest", "gem", COAL1, "--snapshot", "2026-01-15", *backend),
        ok(env, "ingest", "gem", COAL2, "--snapshot", "2026-02-15", *backend),
        ok(env, "ingest", "gem", SOLAR, "--snapshot", "2026-02-15", *backend),
        ok(env, "ingest", "gem", WIND, "--snapshot", "2026-02-15", *backend),
        ok(env, "ingest", "wri", WRI1, "--snapshot", "2026-01-01", *backend),
        ok(env, "ingest", "wri", WRI2, "--snapshot", "2026-02-01", *backend),
    ]


def _sorted(export: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    def clean(item: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if k not in ("decided_at",)}

    nodes = sorted((clean(n) for n in export["nodes"]), key=lambda n: str(n["id"]))
    edges = sorted(
        (clean(e) for e in export["edges"]), key=lambda e: (str(e["source"]), str(e["target"]), str(e["type"]))
    )
    return nodes, edges


def test_gem_and_wri_snapshots_give_the_documented_counts_places_and_changes(env: dict[str, str]) -> None:
    coal1, coal2, solar, wind, wri1, wri2 = _ingest_all(env)
    assert (
        "10 rows → 24 added, 0 changed, 0 ended, 0 unchanged; 1 placed in a country, 1 placed in a county, "
        "2 placed in a prefecture, 6 unit/phase rows; 1 warning"
    ) in coal1.stdout
    assert f"warning: {COAL1}:7, field 'Subnational unit (province, state)': 'Atlantis Province'" in coal1.stderr
    assert "8 rows → 0 added, 1 changed, 4 ended, 19 unchanged" in coal2.stdout
    assert "1 placed in a county, 2 placed in a prefecture, 4 unit/phase rows" in solar.stdout
    assert "1 placed in a province, 5 unit/phase rows; 1 warning" in wind.stdout
    assert "'Inner Mongolia' is not a province of China the graph holds" in wind.stderr
    assert "4 placed in a country" in wri1.stdout and "1 changed, 1 ended" in wri2.stdout
    delta = answer(env, "changes", "gem_coal")
    changed = {c["id"]: c["fields"] for c in delta["changed"]}
    assert changed == {"gem-coal-l100000990001": ["capacity_by_status"]}
    ended = {c["id"] for c in delta["ended"] if c["kind"] in ("PowerPlant", "Organization")}
    assert ended == {"gem-coal-l100000990004", "gem-coal-org-" + ended_org(delta)}
    datasets = {d["dataset"] for d in answer(env, "datasets")}
    assert datasets == {"gem_coal", "gem_solar", "gem_wind", "wri_gppd"}
    wri = answer(env, "changes", "wri_gppd")
    assert [c["fields"] for c in wri["changed"]] == [["capacity_mw"]]


def ended_org(delta: dict[str, Any]) -> str:
    (org,) = [c["id"] for c in delta["ended"] if c["kind"] == "Organization"]
    assert isinstance(org, str)
    return org.removeprefix("gem-coal-org-")


def test_one_gem_entity_in_two_trackers_is_merged_on_its_identifier(env: dict[str, str]) -> None:
    ok(env, "ingest", "gem", COAL1, "--snapshot", "2026-01-15")
    ok(env, "ingest", "gem", WIND, "--snapshot", "2026-02-15")
    export = answer(env, "export", "--seed", XINJIANG_CO, "--depth", "1")
    same = [e for e in export["edges"] if e["type"] == "SAME_AS"]
    assert [(e["source"], e["target"], e["reason"]) for e in same] == [
        (XINJIANG_CO, "gem-wind-e100000990001", "shared identifier gem:E100000990001")
    ]
    shares = sorted((e["target"], e.get("percentage")) for e in export["edges"] if e["type"] == "OWNS")
    assert shares == [("gem-coal-l100000990001", 100.0), ("gem-coal-l100000990003", 20.0)]


def test_a_bad_share_writes_nothing_unless_skipped_and_counted(env: dict[str, str]) -> None:
    bad = FIXTURES / "gem" / "bad" / "share-150.csv"
    refused = run(env, "ingest", "gem", bad)
    assert refused.returncode == 1
    assert f"{bad}:3, field 'Owner': share '150%' is outside 0–100" in refused.stderr
    assert answer(env, "datasets") == []
    skipped = ok(env, "ingest", "gem", bad, "--skip-invalid", "--snapshot", "2026-01-15")
    assert "1 invalid rows (--skip-invalid)" in skipped.stdout and "1 unit/phase rows" in skipped.stdout


@pytest.mark.neo4j
def test_both_backends_give_the_same_answers(neo4j_settings: Neo4jSettings, env: dict[str, str]) -> None:
    env = {**env, "NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()}
    ok(env, "load", "--backend", "neo4j", "--replace")
    try:
        on_neo4j = [
            r.stdout.split("\nresolution:")[0].replace("in neo4j", "") for r in _ingest_all(env, "--backend", "neo4j")
        ]
        in_memory = [r.stdout.rstrip("\n").replace("in memory", "") for r in _ingest_all(env)]
        assert on_neo4j == in_memory
        for dataset in ("gem_coal", "gem_wind", "wri_gppd"):
            since = ("--since", "2025-12-01")
            assert answer(env, "changes", dataset, *since, "--backend", "neo4j") == answer(
                env, "changes", dataset, *since
            )
        seeds = ("export", "--seed", XINJIANG_CO, "--seed", "wri-wri1099901", "--depth", "2")
        assert _sorted(answer(env, *seeds, "--backend", "neo4j")) == _sorted(answer(env, *seeds))
    finally:
        store = Neo4jStore.connect(neo4j_settings)
        store.clear()
        store.close()
