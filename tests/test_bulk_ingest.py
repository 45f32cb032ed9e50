"""`chiptrail ingest … --bulk`: a first ingest through the import writes the graph the batched path
writes (the curated data loaded, then the download ingested), and the next snapshot goes on top
of it as on top of the batched graph.

The Neo4j test starts a server of its own (an import stops the server): the batched graph is built
in it first, measured, and cleared; the bulk one is imported into the emptied database.
"""

from __future__ import annotations

import csv
import os
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from graph.settings import Neo4jSettings
from tests.helpers import CLI, checksum, cli_json, cli_ok, cli_run
from tests.neo4j_server import connect, own_server

FIXTURES = Path(__file__).parent / "fixtures"
CSL1 = FIXTURES / "csl" / "consolidated-2026-11-01.json"
CSL2 = FIXTURES / "csl" / "consolidated-2026-11-28.json"
BAD = FIXTURES / "csl" / "bad" / "bad-date.json"
IMPORT_WITHIN_S = 1200  # stop, import and start again on a machine shared by many


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CHIPTRAIL_HOME": str(tmp_path / "home"), "COLUMNS": "250"}


def bulk(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    """`chiptrail ingest … --bulk`, given the time a server restart takes on a busy machine."""
    command = [CLI, "ingest", *map(str, args), "--backend", "neo4j", "--bulk"]
    return subprocess.run(command, capture_output=True, text=True, timeout=IMPORT_WITHIN_S, env=env, check=False)


def graph(settings: Neo4jSettings) -> tuple[dict[str, int], str]:
    with closing(connect(settings)) as store:
        return store.counts(), checksum(store)


@pytest.mark.neo4j
def test_a_bulk_first_ingest_writes_the_batched_graph_and_takes_the_next_snapshot(
    env: dict[str, str], tmp_path: Path
) -> None:
    with own_server(tmp_path / "neo4j") as (config, settings):
        env = {**env, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password.get_secret_value()}
        neo4j = ("--backend", "neo4j")
        cli_ok(env, "load", *neo4j)
        batched = cli_ok(env, "ingest", "csl", CSL1, *neo4j).stdout
        first = graph(settings)
        cli_ok(env, "ingest", "csl", CSL2, *neo4j)
        changes = cli_json(env, "changes", "trade_gov_csl", *neo4j)
        second = graph(settings)
        with closing(connect(settings)) as store:
            store.clear()

        refused = bulk(env, "csl", BAD, "--home", config.home)  # a bad row: nothing imported, server untouched
        assert refused.returncode == 1 and "invalid data" in refused.stderr and str(BAD) in refused.stderr
        assert graph(settings)[0] == {}

        done = bulk(env, "csl", CSL1, "--home", config.home)
        assert done.returncode == 0, done.stderr
        summary, imported, resolution = done.stdout.strip().split("\n")
        assert summary + "\n" + resolution + "\n" == batched
        assert "7 rows → 22 added, 0 changed, 0 ended, 0 unchanged" in summary
        assert graph(settings) == first
        with closing(connect(settings)) as store:
            nodes = store.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
            edges = store.run("MATCH ()-[r]->() WHERE NOT r:SAME_AS RETURN count(r) AS n")[0]["n"]
        assert imported.startswith(f"imported {nodes:,} nodes and {edges:,} relationships, the curated data with them")

        cli_ok(env, "ingest", "csl", CSL2, *neo4j)
        assert cli_json(env, "changes", "trade_gov_csl", *neo4j) == changes
        assert graph(settings) == second

        again = bulk(env, "csl", CSL1, "--home", config.home)
        assert again.returncode == 1
        assert "holds data: a bulk load writes only into an empty database (ingest without --bulk" in again.stderr
        assert graph(settings) == second


def test_the_import_csvs_of_a_first_ingest_hold_the_curated_data_and_the_stamped_download(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "import"
    done = cli_ok(env, "ingest", "csl", CSL1, "--backend", "neo4j", "--csv-dir", folder).stdout
    assert "7 rows → 22 added" in done and "docker compose run --rm -v" in done
    assert "chiptrail resolve apply --backend neo4j" in done
    rows = {}
    for path in folder.glob("nodes-*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows[row["id:ID"]] = {k.split(":")[0]: v for k, v in row.items()}
    snapshot = rows["src-trade-gov-csl-2026-11-01"]
    assert (snapshot["dataset"], snapshot["snapshot"], snapshot["added_count"]) == ("trade_gov_csl", "2026-11-01", "22")
    assert "list-bis-entity-list" in rows  # the curated list the download's designations point at
    ingested = [r for r in rows.values() if r.get("dataset") == "trade_gov_csl" and r["id"] != snapshot["id"]]
    assert ingested and all(
        (r["first_seen"], r["last_seen"], r["sources"]) == ("2026-11-01", "2026-11-01", snapshot["id"])
        and len(r["digest"]) == 40
        and r["record_key"]
        for r in ingested
    )


def test_a_bulk_ingest_is_a_neo4j_import(env: dict[str, str]) -> None:
    refused = cli_run(env, "ingest", "csl", CSL1, "--bulk")
    assert refused.returncode == 2
    assert "--bulk and --csv-dir write a Neo4j import: add --backend neo4j" in refused.stderr
