"""Helpers shared by several test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api.http.app import create_app
from api.http.settings import ApiSettings
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from loaders.sources import Mapped, Row
from loaders.sources.check import edge_problems, node_problems
from ontology.schema import load_schema

# The console script installed beside the interpreter running the tests.
CLI = str(Path(sys.executable).parent / "chiptrail")

API_KEY = "test-api-key-0123456789"


def as_json(value: object) -> Any:
    """An answer as JSON-like data: pydantic models dumped as the API serves them, anything else as is."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    return value


def client_for(store: GraphStore, **settings: Any) -> TestClient:
    """A test client for the HTTP API serving `store`."""
    return TestClient(create_app(ApiSettings(backend=store.backend, **settings), store=store))  # type: ignore[arg-type]


def normalised(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as sorted JSON text, so that row order does not matter."""
    return sorted(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False) for row in rows)


def checksum(store: Neo4jStore) -> str:
    """Every node's labels and properties and every relationship's type, ends and properties."""
    nodes = store.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    edges = store.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props")
    rows = [{**row, "labels": sorted(row["labels"])} for row in nodes] + edges
    return hashlib.sha256("\n".join(normalised(rows)).encode()).hexdigest()


def required(what: str, reason: str) -> None:
    """A test that needs `what` fails without it under CI=true, and is skipped with the reason elsewhere."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{what} is required under CI=true and is not available: {reason}", pytrace=False)
    pytest.skip(f"no {what}: {reason}")


def assert_fits_ontology(rows: Iterable[Row]) -> None:
    """Every row a source read is mapped, and each of its records passes the ontology checks the stage runs."""
    schema = load_schema()
    for row in rows:
        assert isinstance(row, Mapped)
        for node in row.nodes:
            assert node_problems(node, schema, row.origin) == []
        for edge in row.edges:
            assert edge_problems(edge, schema, row.origin) == []


def cli_run(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    """`chiptrail ARGS…` in a subprocess with `env`, as a user runs it."""
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300, env=env, check=False)


def cli_ok(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    """The same, asserting it exits 0 (the assertion shows what it printed on stderr)."""
    result = cli_run(env, *args)
    assert result.returncode == 0, result.stderr
    return result


def cli_json(env: dict[str, str], *args: object) -> Any:
    """The command's `--format json` answer."""
    return json.loads(cli_ok(env, *args, "--format", "json").stdout)


MEMORY_UNITS = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30}


def transaction_memory(store: Neo4jStore) -> float:
    """The bytes the server lets its transactions hold together (70 % of the heap unless set)."""
    setting = "SHOW SETTINGS YIELD name, value WHERE name = 'dbms.memory.transaction.total.max' RETURN value"
    found = re.fullmatch(r"([0-9.]+)(\w+)", str(store.run(setting)[0]["value"]))
    assert found is not None and found[2] in MEMORY_UNITS, "the server states its limit in bytes"
    limit = float(found[1]) * MEMORY_UNITS[found[2]]
    assert limit > 0, "the server limits its transactions' memory"
    return limit
