"""`chiptrail dependencies` and `chokepoints --upstream` over the ETO fixture (invented values, real
layout) with the bundled data: the walk across the three stages, providers by share, export
controls derived from the rules in the graph or "unknown", and the same answers on both backends,
over the command line and HTTP."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.stores import open_loaded_store
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from ontology.records import Dataset, Edge
from ontology.vocab import Prop, Rel
from queries.dependencies import dependencies
from queries.upstream import upstream_chokepoints
from tests.helpers import CLI, client_for

FIXTURES = Path(__file__).parent / "fixtures" / "eto"
DATA = Path(__file__).parent.parent / "data"
AS_OF = "2026-11-30"
SNAPSHOT = "src-eto-chip-explorer-2026-11-01"
HBM_RULE = "rule-2024-12-02-fdpr-hbm"


def cli(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300, env=env, check=False)


def answer(env: dict[str, str], *args: object) -> Any:
    result = cli(env, *args, "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "CHIPTRAIL_HOME": str(home), "COLUMNS": "250"}
    result = cli(env, "ingest", "eto", FIXTURES, "--snapshot", "2026-11-01")
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture(scope="module")
def eto_store(env: dict[str, str]) -> Iterator[GraphStore]:
    store = open_loaded_store("memory", [DATA], Path(env["CHIPTRAIL_HOME"]))
    yield store
    store.close()


def needs(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["input"]["name"]: n for s in payload["stages"] for n in s["needs"]}


def providers(need: dict[str, Any]) -> list[tuple[str, str | None, str, str]]:
    return [(p["provider"]["name"], p["country"], p["share_text"], p["export_control"]) for p in need["providers"]]


def test_the_chip_needs_every_input_across_the_three_stages(env: dict[str, str]) -> None:
    payload = answer(env, "dependencies", "--chip", "Ascend 910C")
    assert [c["id"] for c in payload["chips"]] == ["chip-huawei-ascend-910c"]
    assert payload["basis"] == "ultimate_output" and payload["chip_input"][0]["name"] == "Finished logic chip"
    stages = [(s["stage"] or {}).get("name") for s in payload["stages"]]
    assert stages == ["Design", "Fabrication", "Assembly, testing, and packaging (ATP)", None]
    by_stage = {(s["stage"] or {}).get("name"): [n["input"]["name"] for n in s["needs"]] for s in payload["stages"]}
    assert by_stage["Design"] == [
        "Chip design", "EDA and Core IP", "AI ASICs", "Discrete GPUs", "Logic chip design",
        "Electronic design automation software",
    ]  # fmt: skip
    assert "EUV lithography tools" in by_stage["Fabrication"] and "Wafer" in by_stage["Fabrication"]
    assert by_stage["Assembly, testing, and packaging (ATP)"][-3:] == [
        "High-bandwidth memory", "Packaging materials", "Substrates",
    ]  # fmt: skip
    assert needs(payload)["EUV lithography tools"]["leads_to"] == "Lithography tools"


def test_providers_come_by_share_with_country_year_and_source(env: dict[str, str]) -> None:
    found = needs(answer(env, "dependencies", "--chip", "Ascend 910C"))
    euv = found["EUV lithography tools"]
    assert providers(euv) == [("Example Litho", "NL", "100%", "unknown"), ("Netherlands", "NL", "100%", "unknown")]
    assert euv["single_provider"] is True
    line = euv["providers"][0]
    assert (line["year"], line["source_text"]) == (2025, "Example analysis of tool data (2025). Invented figures.")
    assert [s["id"] for s in line["sources"]] == [SNAPSHOT]
    assert providers(found["ArF immersion (DUV) lithography tools"])[0][:3] == ("Example Litho", "NL", "70.5%")
    assert found["ArF immersion (DUV) lithography tools"]["single_provider"] is False
    wafer = found["Wafer"]
    assert providers(wafer) == [("Example Wafer", "JP", "55%", "unknown"), ("China", "CN", "10%", "unknown")]
    assert wafer["single_provider"] is False and "Various countries (35%, 2019)" in wafer["note"]
    assert found["Testing"]["providers"] == []


def test_export_controls_come_from_rules_in_the_graph_or_are_unknown(env: dict[str, str]) -> None:
    payload = answer(env, "dependencies", "--chip", "Ascend 910C")
    hbm = needs(payload)["High-bandwidth memory"]
    assert [c["rule"]["id"] for c in hbm["controls"]] == [HBM_RULE]
    assert hbm["controls"][0]["citation"] == "89 FR 96790" and hbm["controls"][0]["issuing_countries"] == ["US"]
    assert providers(hbm) == [
        ("Example Memory Co", "KR", "60%", "unknown"),  # no rule of Korea's in the graph: unknown, not "free"
        ("Example Memory Corp", "US", "unknown", "covered"),
    ]
    assert [r["rule"]["id"] for r in hbm["providers"][1]["rules"]] == [HBM_RULE]
    assert all(p["export_control"] == "unknown" for p in needs(payload)["EUV lithography tools"]["providers"])


def test_designer_foundry_unknowns_and_licence(env: dict[str, str]) -> None:
    payload = answer(env, "dependencies", "--chip", "Ascend 910C")
    assert [(d["organization"]["id"], d["relation"]) for d in payload["designers"]] == [("org-huawei", "DESIGNS")]
    assert payload["designers"][0]["sources"][0]["id"] == "src-pressstartreport-910c"
    assert payload["foundries"] == [] and "foundry: not in the graph" in payload["unknown"]
    assert payload["licences"] == ["CC BY-NC 4.0 (Creative Commons Attribution-NonCommercial 4.0 International)"]
    table = cli(env, "dependencies", "--chip", "Ascend 910C", "--as-of", AS_OF).stdout
    assert "foundry: unknown (not in the graph)" in table
    assert "Example Memory Corp (US) unknown 2025 — controlled" in table and "(89 FR 96790)" in table
    assert "Design, whole stage" not in table and "CC BY-NC 4.0" in table


def test_an_unknown_chip_exits_2_with_the_closest_names(env: dict[str, str]) -> None:
    result = cli(env, "dependencies", "--chip", "Ascend 910X")
    assert result.returncode == 2 and "Ascend 910" in result.stderr


def test_without_supply_chain_data_the_answer_says_so(store: GraphStore) -> None:
    payload = dependencies(store, "H100")
    assert payload.stages == [] and payload.basis == "none"
    assert payload.unknown[0].startswith("the graph holds no supply-chain inputs")


def test_a_chip_typed_as_a_design_leaves_the_other_designs_out(env: dict[str, str]) -> None:
    store = open_loaded_store("memory", [DATA], Path(env["CHIPTRAIL_HOME"]))
    try:
        typed = Edge(
            "chip-huawei-ascend-910c-type-of-n4",
            Rel.TYPE_OF,
            "chip-huawei-ascend-910c",
            "eto-input-n4",
            {Prop.SOURCES: ["src-pressstartreport-910c"], Prop.CONFIDENCE: "illustrative"},
        )
        store.load(Dataset(edges={typed.id: typed}))
        payload = dependencies(store, "Ascend 910C")
        names = {n.input.name for s in payload.stages for n in s.needs}
        assert payload.basis == "type_of" and payload.chip_input[0].name == "AI ASICs"
        assert "AI ASICs" in names and "Discrete GPUs" not in names
    finally:
        store.close()


def test_upstream_chokepoints_rank_providers_by_share(env: dict[str, str]) -> None:
    payload = answer(env, "chokepoints", "--upstream", "--stage", "Fabrication", "--top", "4")
    rows = [
        (c["provider"]["name"], c["input"]["name"], c["share"], c["single_provider"]) for c in payload["chokepoints"]
    ]
    assert rows == [
        ("Example Litho", "EUV lithography tools", 100.0, True),
        ("Netherlands", "EUV lithography tools", 100.0, True),
        ("Example Litho", "ArF immersion (DUV) lithography tools", 70.5, False),
        ("Example Wafer", "Wafer", 55.0, False),
    ]
    assert payload["single_provider_inputs"] == ["EUV lithography tools"]
    assert payload["chokepoints"][0]["year"] == 2025 and payload["chokepoints"][0]["stage"] == "Fabrication"
    one = answer(env, "chokepoints", "--upstream", "--input", "N140")
    assert [(c["provider"]["name"], c["share_text"]) for c in one["chokepoints"]] == [
        ("Example Memory Co", "60%"),
        ("Example Memory Corp", "unknown"),
    ]
    assert cli(env, "chokepoints").returncode == 2  # neither --region nor --upstream


def test_http_gives_the_cli_json(env: dict[str, str], eto_store: GraphStore) -> None:
    with client_for(eto_store) as client:
        got = client.get("/v1/dependencies", params={"chip": "Ascend 910C", "as_of": AS_OF})
        assert got.status_code == 200
        assert got.json() == answer(env, "dependencies", "--chip", "Ascend 910C")
        ranked = client.get("/v1/chokepoints/upstream", params={"stage": "Fabrication", "as_of": AS_OF})
        assert ranked.json() == answer(env, "chokepoints", "--upstream", "--stage", "Fabrication")
        assert client.get("/v1/dependencies", params={"chip": "Ascend 910X"}).status_code == 404
    direct = upstream_chokepoints(eto_store, input_name="EUV lithography tools")
    assert [c.provider.id for c in direct.chokepoints] == ["eto-provider-p201", "place-nl"]


@pytest.mark.neo4j
def test_both_backends_give_the_same_answers(neo4j_settings: Neo4jSettings, env: dict[str, str]) -> None:
    neo4j_env = {
        **env,
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    store = Neo4jStore.connect(neo4j_settings)
    try:
        assert cli(neo4j_env, "load", "--backend", "neo4j", "--replace").returncode == 0
        ingested = cli(neo4j_env, "ingest", "eto", FIXTURES, "--snapshot", "2026-11-01", "--backend", "neo4j")
        assert ingested.returncode == 0, ingested.stderr
        assert "72 rows → 86 added" in ingested.stdout.replace("\n", " ")
        for question in (
            ("dependencies", "--chip", "Ascend 910C"),
            ("dependencies", "--chip", "H100"),
            ("chokepoints", "--upstream"),
            ("chokepoints", "--upstream", "--stage", "ATP", "--top", "50"),
        ):
            assert answer(neo4j_env, *question, "--backend", "neo4j") == answer(env, *question), question
    finally:
        store.clear()
        store.close()


def test_the_fictional_scenario_is_no_foundry(env: dict[str, str]) -> None:
    payload = answer(env, "dependencies", "--chip", "H100")
    assert [c["id"] for c in payload["chips"]] == ["chip-nvidia-h100-pcie", "chip-nvidia-h100-sxm"]
    assert {d["organization"]["id"] for d in payload["designers"]} == {"org-nvidia"}
    assert payload["foundries"] == [] and "foundry: not in the graph" in payload["unknown"]
