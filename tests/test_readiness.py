"""/readyz against a real Neo4j behind a loopback proxy that can freeze: 503 within 2 seconds while the
server does not answer, ready again by itself as soon as it does."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.settings import ApiSettings
from graph.settings import Neo4jSettings
from tests.faults import FROZEN, FaultyProxy, proxied_store

pytestmark = pytest.mark.neo4j


@pytest.fixture
def proxied(neo4j_settings: Neo4jSettings) -> Iterator[tuple[FaultyProxy, TestClient]]:
    with (
        proxied_store(neo4j_settings) as (proxy, store),
        TestClient(create_app(ApiSettings(backend="neo4j"), store=store)) as client,
    ):
        yield proxy, client


def _ready(client: TestClient) -> tuple[int, float]:
    started = time.monotonic()
    response = client.get("/readyz")
    return response.status_code, time.monotonic() - started


def test_readyz_follows_the_server_down_and_back_up(proxied: tuple[FaultyProxy, TestClient]) -> None:
    proxy, client = proxied
    assert _ready(client)[0] == 200
    proxy.fail(FROZEN)
    status, elapsed = _ready(client)
    assert status == 503
    assert elapsed < 2.5, elapsed
    assert _ready(client)[0] == 503
    proxy.heal()
    deadline = time.monotonic() + 10
    while (status := _ready(client)[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200
