"""Subgraph export and neighbours over HTTP, on both backends."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from loaders.shacl import shacl_problems
from tests.helpers import client_for

REQUEST = {"seeds": ["dc-nyocor-xinjiang"], "depth": 1}


@pytest.fixture(scope="module")
def clients(store: MemoryStore, neo4j_store: Neo4jStore) -> Iterator[list[TestClient]]:
    with client_for(store) as memory, client_for(neo4j_store) as neo4j:
        yield [memory, neo4j]


@pytest.mark.neo4j
def test_graphml_opens_in_networkx_with_types_and_evidence(clients: list[TestClient]) -> None:
    bodies = [c.post("/v1/subgraph/export", json={**REQUEST, "format": "graphml"}) for c in clients]
    assert bodies[0].headers["content-type"] == "application/graphml+xml"
    graphs = [nx.read_graphml(io.BytesIO(b.content)) for b in bodies]
    for graph in graphs:
        assert "dc-nyocor-xinjiang" in graph
        assert graph.nodes["org-china-bester"]["label"] == "China Bester Group"
        types = {d["type"] for _, _, d in graph.edges(data=True)}
        assert {"LOCATED_IN", "DEPLOYS", "LEASES_COMPUTE_TO", "SUPPLIES"} <= types
        assert all(d["confidence"] and d["sources"] for _, _, d in graph.edges(data=True))
    assert sorted(graphs[0].nodes) == sorted(graphs[1].nodes)
    assert sorted(graphs[0].edges(data=True), key=str) == sorted(graphs[1].edges(data=True), key=str)


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["gexf", "json", "csv", "ttl"])
def test_every_format_is_served_identically_by_both_backends(clients: list[TestClient], fmt: str) -> None:
    memory, neo4j = (c.post("/v1/subgraph/export", json={**REQUEST, "format": fmt}) for c in clients)
    assert memory.status_code == neo4j.status_code == 200
    if fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(memory.content)).namelist()
        assert sorted(names) == ["edges.csv", "nodes.csv"]
    elif fmt == "ttl":
        graph = Graph().parse(data=memory.content.decode(), format="turtle")
        assert shacl_problems(graph) == []
    if fmt != "gexf":  # GEXF carries a generation date
        assert memory.content == neo4j.content


@pytest.mark.neo4j
def test_export_errors_are_problems(clients: list[TestClient]) -> None:
    memory = clients[0]
    unknown = memory.post("/v1/subgraph/export", json={"seeds": ["dc-nyocr-xinjiang"]})
    assert unknown.status_code == 404
    assert "dc-nyocor-xinjiang" in unknown.json()["suggestions"]
    assert memory.post("/v1/subgraph/export", json={"seeds": ["place-cn"], "depth": 9}).status_code == 422
    assert memory.post("/v1/subgraph/export", json={"seeds": []}).status_code == 422


def test_export_size_is_bounded(store: MemoryStore) -> None:
    with client_for(store, export_max_nodes=5) as small:
        response = small.post("/v1/subgraph/export", json={"seeds": ["place-cn"], "depth": 3})
    assert response.status_code == 400
    assert "limit of 5" in response.json()["detail"]


@pytest.mark.neo4j
def test_neighbors_agree_and_filter_by_type(clients: list[TestClient]) -> None:
    path = "/v1/entities/dc-nyocor-xinjiang/neighbors"
    memory, neo4j = (c.get(path).json() for c in clients)
    assert memory == neo4j
    assert {n["id"] for n in memory["nodes"]} >= {"place-cn-xj", "org-china-bester", "org-infinigence-ai"}
    located = clients[0].get(path, params={"types": "LOCATED_IN"}).json()
    assert {n["id"] for n in located["nodes"]} == {"dc-nyocor-xinjiang", "place-cn-xj"}
    assert clients[0].get(path, params={"types": "LOCATED"}).status_code == 404
