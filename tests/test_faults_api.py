"""The API while Neo4j fails: every request is a 503 problem object within 2 seconds, /readyz says not
ready, and the same answers come back by themselves once the server does (the app is never restarted).

Each fault sits in a loopback proxy in front of the session's Neo4j: the server stopped (connections
dropped and refused), frozen (dropped, then accepted and never answered) and stalled (open
connections and new ones never answered, as a hung process or a silent network).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.settings import ApiSettings
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from tests.faults import FAULTS, proxied_store

pytestmark = pytest.mark.neo4j

DAY = {"as_of": "2026-01-01"}
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/v1/routes", {"chip": "H100", "region": "Xinjiang", **DAY}),
    ("GET", "/v1/routes", {"chip": "H20", "region": "Xinjiang", "screen": "true", **DAY}),
    ("GET", "/v1/chips", {}),
    ("GET", "/v1/chips/H20/restrictions", {"destination": "CN", "as_of": "2025-05-01"}),
    ("GET", "/v1/entities/dc-nyocor-xinjiang", {}),
    ("GET", "/v1/search", {"q": "Nyocr"}),
    ("GET", "/v1/screen", {"party": "Sugon", **DAY}),
    ("GET", "/v1/exposure", {"region": "Xinjiang", **DAY}),
    ("GET", "/v1/chokepoints", {"region": "Xinjiang", **DAY}),
    ("POST", "/v1/whatif", {"region": "Xinjiang", **DAY, "overlay": {"name": "affiliates off", "affiliates": False}}),
]
WITHIN_S = 2.0


def send(client: TestClient, method: str, path: str, data: dict[str, Any]) -> tuple[int, Any, float]:
    started = time.monotonic()
    response = client.get(path, params=data) if method == "GET" else client.post(path, json=data)
    return response.status_code, response.json(), time.monotonic() - started


def ready_again(client: TestClient, within: float = 15.0) -> float:
    """Seconds until /readyz answers 200 (fails the test after `within`)."""
    started = time.monotonic()
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() - started < within, f"not ready {within:g} s after the server came back"
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.mark.parametrize("fault", FAULTS)
def test_every_request_is_a_fast_503_and_answers_return(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings, fault: str
) -> None:
    with (
        proxied_store(neo4j_settings) as (proxy, store),
        TestClient(create_app(ApiSettings(backend="neo4j"), store=store)) as client,
    ):
        before = [send(client, *request) for request in REQUESTS]
        assert [status for status, _, _ in before] == [200] * len(REQUESTS)

        proxy.fail(fault)
        during = [send(client, *request) for request in REQUESTS]
        for (_, path, _), (status, body, elapsed) in zip(REQUESTS, during, strict=True):
            assert status == 503, (path, body)
            assert (body["status"], body["title"]) == (503, "Backend unavailable"), body
            assert elapsed < WITHIN_S, f"{path} took {elapsed:.2f} s to fail"
        readyz = send(client, "GET", "/readyz", {})
        assert readyz[0] == 503
        assert readyz[2] < WITHIN_S + 0.5  # the probe's own 2-second bound

        proxy.heal()
        recovered = ready_again(client)
        after = [send(client, *request) for request in REQUESTS]
        assert [(s, b) for s, b, _ in after] == [(s, b) for s, b, _ in before]
        print(
            f"\n{fault}: slowest 503 {max(e for _, _, e in during):.2f} s "
            f"(mean {sum(e for _, _, e in during) / len(during):.2f} s), readyz 503 in {readyz[2]:.2f} s, "
            f"ready again {recovered:.2f} s after the server came back"
        )
