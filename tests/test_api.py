"""The HTTP API on both backends: same bodies, real values, problem objects for bad input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.http.routers.policy import EXAMPLE
from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from tests.helpers import API_KEY, CLI, client_for


@pytest.fixture(scope="module")
def memory_client(store: MemoryStore) -> Iterator[TestClient]:
    with client_for(store) as client:
        yield client


@pytest.fixture(scope="module")
def neo4j_client(neo4j_store: Neo4jStore) -> Iterator[TestClient]:
    with client_for(neo4j_store, api_key=API_KEY) as client:
        yield client


GETS = [
    ("/v1/routes", {"chip": "H100", "region": "Xinjiang", "as_of": "2026-01-01"}),
    ("/v1/routes", {"chip": "H200", "region": "place-cn", "as_of": "2026-01-01", "max_hops": 3, "limit": 1}),
    ("/v1/routes", {"chip": "H100", "region": "新疆", "as_of": "2026-01-01", "time_respecting": "true"}),
    ("/v1/chips", {}),
    ("/v1/chips/H100", {}),
    ("/v1/chips/H20/restrictions", {"destination": "CN", "as_of": "2025-05-01"}),
    ("/v1/chips/chip-nvidia-a800/restrictions", {"destination": "China", "as_of": "2023-01-01"}),
    ("/v1/entities/dc-nyocor-xinjiang", {}),
    ("/v1/search", {"q": "Nyocr"}),
    ("/v1/search", {"q": "新疆"}),
    ("/v1/queries", {}),
    ("/v1/routes", {"chip": "H1OO", "region": "Xinjiang"}),
    ("/v1/entities/no-such-thing", {}),
    ("/v1/routes", {"chip": "H100"}),
    ("/v1/routes", {"chip": "H20", "region": "Xinjiang", "as_of": "2026-01-01", "screen": "true"}),
    ("/v1/screen", {"party": "Jadeport Trading (fictional)", "as_of": "2026-01-01"}),
    ("/v1/screen", {"party": "Sugon", "as_of": "2019-01-01"}),
    ("/v1/screen", {"party": "Sugonn"}),
    ("/v1/exposure", {"region": "Xinjiang", "as_of": "2026-01-01"}),
    ("/v1/exposure", {"region": "Qinghai", "as_of": "2026-01-01"}),
    ("/v1/chokepoints", {"region": "Xinjiang", "as_of": "2026-01-01", "top": 2}),
    ("/v1/chokepoints", {"region": "Atlantis"}),
]


@pytest.mark.neo4j
@pytest.mark.parametrize(("path", "params"), GETS)
def test_both_backends_give_the_same_bodies(
    memory_client: TestClient, neo4j_client: TestClient, path: str, params: dict[str, Any]
) -> None:
    memory, neo4j = memory_client.get(path, params=params), neo4j_client.get(path, params=params)
    assert (neo4j.status_code, neo4j.json()) == (memory.status_code, memory.json())


def test_routes_match_the_cli_json_contract(memory_client: TestClient) -> None:
    body = memory_client.get("/v1/routes", params={"chip": "H100", "region": "Xinjiang", "as_of": "2026-01-01"}).json()
    assert set(body) == {"query", "routes", "leads", "truncated"}
    paths = [r["path"] for r in body["routes"]]
    assert ["scn-northgate-systems", "scn-harbor-kite", "scn-lotus-bay", "scn-redsand", "scn-dc-yiwu-east"] in paths
    assert body["routes"][0]["restriction"]["restricted"] is True
    assert ("agg-bloomberg-39-projects", "chip-nvidia-h100-sxm") in {
        (x["site"]["id"], x["chip"]["id"]) for x in body["leads"]
    }
    limited = memory_client.get(
        "/v1/routes", params={"chip": "H100", "region": "Xinjiang", "as_of": "2026-01-01", "limit": 1}
    ).json()
    assert len(limited["routes"]) == 1
    assert limited["truncated"] is True


def test_restrictions_explain_with_rule_and_numbers(memory_client: TestClient) -> None:
    body = memory_client.get(
        "/v1/chips/chip-nvidia-h100-sxm/restrictions", params={"destination": "CN", "as_of": "2024-01-01"}
    ).json()
    assert body["restricted"] is True
    assert "TPP 15,832 ≥ 4,800 → 3A090.a, 88 FR 73458" in body["explanation"]


def test_entity_carries_its_evidence(memory_client: TestClient) -> None:
    body = memory_client.get("/v1/entities/agg-bloomberg-39-projects").json()
    assert body["properties"]["planned_chips"] == 115000
    assert body["sources"] and all(s["title"] for s in body["sources"])


def test_search_is_typo_tolerant_and_ranked(memory_client: TestClient) -> None:
    hits = memory_client.get("/v1/search", params={"q": "Nyocr"}).json()
    assert hits[0]["id"] == "org-nyocor"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


@pytest.mark.neo4j
def test_named_query_with_validated_parameters(memory_client: TestClient, neo4j_client: TestClient) -> None:
    body = {"parameters": {"place_id": "place-cn-xj"}}
    memory = memory_client.post("/v1/queries/places_within", json=body).json()
    assert [r["id"] for r in memory["rows"]] == [
        "place-cn-xj",
        "place-cn-xj-changji",
        "place-cn-xj-hami",
        "place-cn-xj-hami-yiwu",
        "place-cn-xj-urumqi",
    ]
    assert sorted(neo4j_client.post("/v1/queries/places_within", json=body).json()["rows"], key=str) == memory["rows"]
    paths = {
        "parameters": {"chip_id": "chip-nvidia-h200", "region_id": "place-cn-xj", "max_hops": 4, "as_of": "2026-01-01"}
    }
    assert len(memory_client.post("/v1/queries/supply_paths", json=paths).json()["rows"]) == 1
    bad: dict[str, Any]
    for bad in ({"parameters": {}}, {"parameters": {"place_id": 5}}, {"parameters": {"place_id": "x", "extra": 1}}):
        response = memory_client.post("/v1/queries/places_within", json=bad)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
    assert memory_client.post("/v1/queries/nope", json={"parameters": {}}).status_code == 404


def test_problem_objects(memory_client: TestClient) -> None:
    unknown = memory_client.get("/v1/routes", params={"chip": "H1OO", "region": "Xinjiang"})
    assert unknown.status_code == 404
    assert unknown.json()["suggestions"] == ["H100"]
    assert unknown.headers["content-type"] == "application/problem+json"
    missing = memory_client.get("/v1/routes", params={"chip": "H100"})
    assert (missing.status_code, missing.json()["title"]) == (422, "Invalid request")
    bad_hops = memory_client.get("/v1/routes", params={"chip": "H100", "region": "Xinjiang", "max_hops": 99})
    assert bad_hops.status_code == 422


@pytest.mark.neo4j
def test_health_and_readiness(memory_client: TestClient, neo4j_client: TestClient) -> None:
    assert memory_client.get("/healthz").json() == {"status": "ok", "backend": None}
    assert neo4j_client.get("/readyz").json() == {"status": "ready", "backend": "neo4j"}


def _store_at(uri: str) -> Neo4jStore:
    """A store whose server is at `uri` (no I/O until it is used; no server needed for these tests)."""
    from neo4j import GraphDatabase

    settings = Neo4jSettings(uri=uri, password=SecretStr("irrelevant-password"))
    return Neo4jStore(GraphDatabase.driver(uri, auth=("neo4j", "irrelevant")), settings)


def test_readyz_is_503_when_neo4j_refuses_connections() -> None:
    from graph.neo4j_server import free_port

    store = _store_at(f"bolt://127.0.0.1:{free_port()}")
    with client_for(store) as client:
        response = client.get("/readyz")
    store.close()
    assert response.status_code == 503
    assert response.json()["title"] == "Backend unavailable"


def test_read_only_cypher_is_503_when_neo4j_refuses_connections() -> None:
    from graph.neo4j_server import free_port

    store = _store_at(f"bolt://127.0.0.1:{free_port()}")
    with client_for(store, api_key=API_KEY) as client:
        response = client.post("/v1/cypher", json={"query": "RETURN 1 AS one"}, headers={"X-API-Key": API_KEY})
    store.close()
    assert (response.status_code, response.json()["title"]) == (503, "Backend unavailable")


def test_readyz_is_503_within_2_seconds_when_neo4j_hangs() -> None:
    """A server that accepts connections and never answers (a frozen process) must not hold the probe."""
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    store = _store_at(f"bolt://127.0.0.1:{silent.getsockname()[1]}")
    try:
        with client_for(store) as client:
            started = time.monotonic()
            response = client.get("/readyz")
            elapsed = time.monotonic() - started
    finally:
        store.close()
        silent.close()
    assert response.status_code == 503
    assert elapsed < 2.5, elapsed


def test_docs_list_every_endpoint(memory_client: TestClient) -> None:
    paths = set(memory_client.get("/openapi.json").json()["paths"])
    assert {
        "/v1/routes",
        "/v1/chips",
        "/v1/chips/{chip}",
        "/v1/chips/{chip}/restrictions",
        "/v1/entities/{entity_id}",
        "/v1/search",
        "/v1/queries",
        "/v1/queries/{name}",
        "/v1/cypher",
        "/v1/screen",
        "/v1/exposure",
        "/v1/whatif",
        "/v1/chokepoints",
        "/healthz",
        "/readyz",
    } <= paths
    assert memory_client.get("/docs").status_code == 200


def test_cors_is_closed_by_default(memory_client: TestClient, store: MemoryStore) -> None:
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in memory_client.get("/healthz", headers=origin).headers
    with client_for(store, cors_origins=["https://example.org"]) as open_client:
        assert (
            open_client.get("/healthz", headers=origin).headers["access-control-allow-origin"] == "https://example.org"
        )


def test_api_routes_are_what_the_cli_prints(memory_client: TestClient) -> None:
    import json
    import subprocess

    args = ["routes", "--chip", "H100", "--region", "Xinjiang", "--as-of", "2026-01-01", "--format", "json"]
    printed = json.loads(subprocess.run([CLI, *args], capture_output=True, text=True, check=True, timeout=120).stdout)
    served = memory_client.get("/v1/routes", params={"chip": "H100", "region": "Xinjiang", "as_of": "2026-01-01"})
    assert served.json() == printed


WHATIF = EXAMPLE  # the request the OpenAPI document shows: TPP 2,000 from 2024-01-01


@pytest.mark.neo4j
def test_whatif_over_http_on_both_backends(memory_client: TestClient, neo4j_client: TestClient) -> None:
    memory, neo4j = memory_client.post("/v1/whatif", json=WHATIF), neo4j_client.post("/v1/whatif", json=WHATIF)
    assert memory.status_code == 200 and neo4j.json() == memory.json()
    assert {c["chip"]["id"] for c in memory.json()["chips"]} >= {"chip-nvidia-h20"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"region": "Xinjiang", "overlay": {"rules": [{"id": "r", "criteria": ["tpp >= 1"]}]}}, 422),
        ({"region": "Xinjiang", "overlay": {"remove_rules": ["no-such-rule"]}}, 422),
        ({"region": "Xinjiang", "overlay": {"affiliates": "maybe"}}, 422),
        ({"region": "Atlantis", "overlay": {}}, 404),
    ],
)
def test_bad_whatif_requests_are_problems(memory_client: TestClient, body: dict[str, Any], status: int) -> None:
    response = memory_client.post("/v1/whatif", json=body)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_policy_endpoints_are_what_the_cli_prints(memory_client: TestClient) -> None:
    import json
    import subprocess

    for command, path, params in (
        (["screen", "scn-jadeport"], "/v1/screen", {"party": "scn-jadeport"}),
        (["exposure", "--region", "Xinjiang"], "/v1/exposure", {"region": "Xinjiang"}),
        (["chokepoints", "--region", "Xinjiang"], "/v1/chokepoints", {"region": "Xinjiang"}),
    ):
        args = [*command, "--as-of", "2026-01-01", "--format", "json"]
        run = subprocess.run([CLI, *args], capture_output=True, text=True, check=True, timeout=120)
        served = memory_client.get(path, params={**params, "as_of": "2026-01-01"})
        assert served.json() == json.loads(run.stdout), command


def test_policy_bodies_match_their_documented_models(memory_client: TestClient) -> None:
    from queries.answers import ChokepointsAnswer, ExposureAnswer, ScreenAnswer, WhatIfAnswer

    day = {"as_of": "2026-01-01"}
    for party in ("scn-jadeport", "scn-copperline", "Sugon", "Nyocor"):
        ScreenAnswer.model_validate(memory_client.get("/v1/screen", params={"party": party, **day}).json())
    ExposureAnswer.model_validate(memory_client.get("/v1/exposure", params={"region": "Xinjiang", **day}).json())
    ChokepointsAnswer.model_validate(memory_client.get("/v1/chokepoints", params={"region": "Xinjiang", **day}).json())
    WhatIfAnswer.model_validate(memory_client.post("/v1/whatif", json=WHATIF).json())
