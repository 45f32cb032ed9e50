"""Security: injection through every string parameter, and every kind of write on /v1/cypher,
refused with a 4xx and the database unchanged (counts and a checksum before and after)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph.neo4j_store import Neo4jStore
from tests.helpers import API_KEY, checksum, client_for

INJECTIONS = [
    "' OR 1=1 //",
    "x'}) DETACH DELETE n //",
    "x`) MATCH (n) DETACH DELETE n //",
    '") CREATE (:Evil) //',
    "$chip_id} ) WITH 1 AS x MATCH (n) SET n.pwned = true //",
    "H100\u0000; MATCH (n) DELETE n",
    "{1,20}",
]
WRITES = [
    "CREATE (:ChipModel {id: 'evil'})",
    "MERGE (n:Entity {id: 'evil'}) RETURN n",
    "MATCH (n:ChipModel) SET n.name = 'pwned' RETURN count(n)",
    "MATCH (n:Source) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load  csv with headers from 'http://127.0.0.1/x.csv' AS row RETURN row",
    "CREATE INDEX evil IF NOT EXISTS FOR (n:ChipModel) ON (n.vendor)",
    "DROP CONSTRAINT entity_id",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL dbms.security.createUser('evil', 'password123', false)",
    "CALL apoc.create.node(['Evil'], {id: 'evil'}) YIELD node RETURN node",
    "MATCH (n:ChipModel) WITH n LIMIT 1 SET n.name = 'pwned' RETURN n",
    "MATCH (n:ChipModel) CALL (n) { SET n.pwned = true } RETURN count(*)",
    "CALL () { CREATE (:Evil) } RETURN 1",
    "USE system SHOW USERS",
    "MATCH (n) RETURN n // harmless\nCREATE (:Evil)",
]


@pytest.fixture(scope="module")
def client(neo4j_store: Neo4jStore) -> Iterator[TestClient]:
    with client_for(neo4j_store, api_key=API_KEY) as api:
        yield api


@pytest.fixture
def unchanged(neo4j_store: Neo4jStore) -> Iterator[None]:
    before = (neo4j_store.counts(), checksum(neo4j_store))
    yield
    assert (neo4j_store.counts(), checksum(neo4j_store)) == before


@pytest.mark.neo4j
@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_every_string_parameter(client: TestClient, value: str) -> None:
    requests = [
        ("GET", "/v1/routes", {"params": {"chip": value, "region": "Xinjiang"}}),
        ("GET", "/v1/routes", {"params": {"chip": "H100", "region": value}}),
        ("GET", "/v1/chips/" + quote(value, safe=""), {}),
        ("GET", "/v1/chips/H20/restrictions", {"params": {"destination": value}}),
        ("GET", "/v1/entities/" + quote(value, safe=""), {}),
        ("GET", "/v1/search", {"params": {"q": value}}),
        ("POST", "/v1/queries/entity", {"json": {"parameters": {"term": value}}}),
        ("POST", "/v1/queries/places_within", {"json": {"parameters": {"place_id": value}}}),
        (
            "POST",
            "/v1/queries/supply_paths",
            {"json": {"parameters": {"chip_id": value, "region_id": value, "max_hops": 3, "as_of": None}}},
        ),
    ]
    for method, path, kwargs in requests:
        response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
        assert response.status_code < 500, (path, value, response.text)
        assert response.status_code in (200, 404, 422), (path, value, response.status_code)


@pytest.mark.neo4j
@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("query", WRITES)
def test_writes_schema_and_procedures_are_refused(client: TestClient, query: str) -> None:
    response = client.post("/v1/cypher", json={"query": query}, headers={"X-API-Key": API_KEY})
    assert 400 <= response.status_code < 500, (query, response.text)
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.neo4j
@pytest.mark.usefixtures("unchanged")
def test_read_queries_run_with_a_row_limit(client: TestClient) -> None:
    headers = {"X-API-Key": API_KEY}
    count = client.post("/v1/cypher", json={"query": "MATCH (c:ChipModel) RETURN count(c) AS n"}, headers=headers)
    assert count.status_code == 200
    assert count.json() == {"columns": ["n"], "rows": [[15]], "truncated": False}
    params = {"query": "MATCH (c:ChipModel {id: $id}) RETURN c.name", "parameters": {"id": "chip-nvidia-h20"}}
    assert client.post("/v1/cypher", json=params, headers=headers).json()["rows"] == [["NVIDIA H20"]]
    many = client.post("/v1/cypher", json={"query": "UNWIND range(1, 5000) AS i RETURN i"}, headers=headers).json()
    assert len(many["rows"]) == 1000
    assert many["truncated"] is True


@pytest.mark.neo4j
@pytest.mark.usefixtures("unchanged")
def test_cypher_needs_the_key(client: TestClient) -> None:
    body = {"query": "RETURN 1"}
    assert client.post("/v1/cypher", json=body).status_code == 401
    assert client.post("/v1/cypher", json=body, headers={"X-API-Key": "wrong"}).status_code == 401


@pytest.mark.neo4j
@pytest.mark.usefixtures("unchanged")
def test_parameters_the_driver_cannot_encode_are_a_400(client: TestClient) -> None:
    body = {"query": "RETURN $n AS n", "parameters": {"n": 2**80}}
    response = client.post("/v1/cypher", json=body, headers={"X-API-Key": API_KEY})
    assert response.status_code == 400


def test_an_empty_api_key_keeps_the_endpoint_off_and_a_short_one_is_refused() -> None:
    from pydantic import ValidationError

    from api.http.settings import ApiSettings

    assert ApiSettings(api_key="").api_key is None  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at least 16"):
        ApiSettings(api_key="short")  # type: ignore[arg-type]
