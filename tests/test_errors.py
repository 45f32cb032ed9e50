"""Errors carry their meaning: each domain error its HTTP status and exit code, user input never a
builtin ValueError, configuration never 'unavailable'; settings read in one place and one format."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.http.app import create_app
from api.http.settings import ApiSettings
from api.settings import ChiptrailSettings
from graph.memory import MemoryStore
from graph.settings import Neo4jSettings
from ontology.errors import (
    BackendUnavailable,
    ChiptrailError,
    ConfigurationError,
    DataError,
    ExportTooLarge,
    InvalidParameter,
    NotFound,
    OntologyError,
    Problem,
    Refused,
    WriteRefused,
)
from queries.named import run
from tests.helpers import CLI

TINY = """\
nodes:
  - {id: src-tiny, labels: [Source], name: Tiny source, title: A tiny source, publisher: Tests}
  - {id: chip-tiny, labels: [ChipModel], name: Tiny Chip, vendor: V, tpp: 10, sources: [src-tiny], confidence: reported}
edges: []
"""


def test_every_error_carries_its_status_and_exit_code() -> None:
    cases: list[tuple[ChiptrailError, int, int]] = [
        (NotFound("chip", "x", []), 404, 2),
        (InvalidParameter("max_hops must be …"), 422, 2),
        (DataError([Problem("bad")]), 422, 1),
        (ExportTooLarge(10, 5), 400, 2),
        (Refused("read-only"), 403, 2),
        (Refused("wrong key", 401), 401, 2),
        (BackendUnavailable("down"), 503, 1),
        (ConfigurationError("weak password"), 500, 1),
        (WriteRefused("constraint"), 500, 1),
        (OntologyError("inconsistent"), 500, 1),
    ]
    assert [(e.status, e.exit_code) for e, _, _ in cases] == [(s, c) for _, s, c in cases]
    assert not any(isinstance(e, ValueError) for e, _, _ in cases)


def test_a_weak_password_is_configuration_not_unavailability() -> None:
    with pytest.raises(ConfigurationError, match="at least 8 characters"):
        Neo4jSettings(password=SecretStr("short")).checked_password()


def test_wrong_named_query_parameters_are_invalid_parameters(store: MemoryStore) -> None:
    with pytest.raises(InvalidParameter, match="from 0 to 3"):
        run(store, "subgraph", seeds=["x"], depth=9, types=[], as_of=None)


def _client(store: MemoryStore, fault: Exception) -> TestClient:
    app = create_app(ApiSettings(), store=store)
    router = APIRouter()

    @router.get("/fault")
    def fault_route() -> None:
        raise fault

    app.include_router(router)
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("fault", "status", "title"),
    [
        (OntologyError("inconsistent ontology"), 500, "Inconsistent ontology"),
        (ConfigurationError("set NEO4J_PASSWORD"), 500, "Misconfigured"),
        (BackendUnavailable("Neo4j does not answer"), 503, "Backend unavailable"),
        (InvalidParameter("depth must be …"), 422, "Invalid parameter"),
        (NotFound("chip", "H1OO", ["H100"]), 404, "Not found"),
    ],
)
def test_the_api_answers_each_error_with_its_own_status(
    store: MemoryStore, fault: ChiptrailError, status: int, title: str
) -> None:
    with _client(store, fault) as client:
        response = client.get("/fault")
    assert (response.status_code, response.json()["title"]) == (status, title)
    assert response.headers["content-type"] == "application/problem+json"


def test_a_builtin_error_is_a_server_fault_not_the_users(store: MemoryStore) -> None:
    with _client(store, ValueError("an internal invariant")) as client:
        response = client.get("/fault")
    assert response.status_code == 500
    assert "internal invariant" not in response.text


# --- CHIPTRAIL_DATA: one place, one format ---------------------------------------------------------


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(TINY, encoding="utf-8")
    return folder


def test_chiptrail_data_is_a_path_list_for_every_face(tiny_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tiny_data.parent / "other"
    monkeypatch.setenv("CHIPTRAIL_DATA", f"{tiny_data}{os.pathsep}{other}")
    assert ChiptrailSettings().data == [tiny_data, other]
    assert ApiSettings().data == [tiny_data, other]
    monkeypatch.setenv("CHIPTRAIL_DATA", str(tiny_data))
    assert ApiSettings().data == [tiny_data]
    with TestClient(create_app(ApiSettings())) as client:
        chips = client.get("/v1/chips").json()
    assert [c["id"] for c in chips] == ["chip-tiny"]


def test_the_cli_and_the_api_read_chiptrail_data_alike(tiny_data: Path) -> None:
    env = {**os.environ, "CHIPTRAIL_DATA": str(tiny_data)}
    validated = subprocess.run([CLI, "validate"], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert validated.returncode == 0, validated.stderr
    assert "2 nodes, 0 relationships" in validated.stdout
    args = [CLI, "restrictions", "--chip", "Tiny Chip", "--destination", "CN", "--format", "json"]
    answer = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=True)
    assert json.loads(answer.stdout)["chip"]["id"] == "chip-tiny"
