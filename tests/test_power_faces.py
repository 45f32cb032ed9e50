"""`chiptrail power` and GET /v1/power: distance parsing, errors, and the same JSON on both faces."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import typer

from api.cli.power import parse_distance
from graph.memory import MemoryStore
from loaders import load_paths
from queries.power import power_near
from queries.power_view import power_view
from queries.views import Viewer
from tests.conftest import YamlWriter
from tests.helpers import API_KEY, CLI, as_json, client_for
from tests.test_power import DAY, graph_file


@pytest.mark.parametrize(
    ("text", "km"), [("50km", 50.0), ("50 km", 50.0), ("5000m", 5.0), ("50", 50.0), ("12.5KM", 12.5), (" 7 m", 0.007)]
)
def test_distances_parse_to_km(text: str, km: float) -> None:
    assert parse_distance(text) == km


@pytest.mark.parametrize("text", ["", "km", "50 miles", "-5km", "0", "5e3m", "50,5km"])
def test_other_distances_are_refused_clearly(text: str) -> None:
    with pytest.raises(typer.BadParameter, match="distance"):
        parse_distance(text)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([CLI, "power", *args], capture_output=True, text=True, timeout=120, check=False, env=env)


def test_the_command_lists_each_sites_plants(write_yaml: YamlWriter) -> None:
    path = str(graph_file(write_yaml))
    result = run("--region", "ZZ-DR", "--within", "50 km", "--as-of", DAY.isoformat(), "--data", path)
    assert result.returncode == 0, result.stderr
    assert "Exact Site" in result.stdout and "pp-inside" in result.stdout and "49.9" in result.stdout
    assert "Amber Power Co [60%]" in result.stdout
    assert "no coordinates: distances unknown" in result.stdout
    assert "pp-outside" not in result.stdout
    shown = run("--site", "dc-exact", "--within", "15000m", "--format", "json", "--as-of", "2026-01-01", "--data", path)
    assert [p["plant"]["id"] for p in json.loads(shown.stdout)["sites"][0]["plants"]] == ["pp-near"]


def test_the_command_refuses_bad_input_with_a_usage_error(write_yaml: YamlWriter) -> None:
    path = str(graph_file(write_yaml))
    bad = run("--region", "ZZ-DR", "--within", "fifty", "--data", path)
    assert bad.returncode == 2 and "expected a distance such as 50km" in bad.stderr
    both = run("--region", "ZZ-DR", "--site", "dc-exact", "--data", path)
    assert both.returncode == 2 and "one of them" in both.stderr
    unknown = run("--region", "Atlantis", "--data", path)
    assert unknown.returncode == 2 and "Atlantis" in unknown.stderr


def test_the_api_gives_the_commands_json(write_yaml: YamlWriter) -> None:
    store = MemoryStore()
    store.load(load_paths([graph_file(write_yaml)]))
    expected = as_json(power_view(Viewer(store), power_near(store, region="ZZ-DR", within_km=50.0, as_of=DAY)))
    with client_for(store, api_key=API_KEY) as client:
        headers = {"X-API-Key": API_KEY}
        response = client.get(
            "/v1/power", params={"region": "ZZ-DR", "within_km": 50, "as_of": "2026-01-01"}, headers=headers
        )
        assert response.status_code == 200
        assert response.json() == expected
        assert client.get("/v1/power", params={"region": "ZZ-DR", "within_km": 0}, headers=headers).status_code == 422
        assert client.get("/v1/power", params={"within_km": 5}, headers=headers).status_code == 422
        assert client.get("/v1/power", params={"region": "Atlantis"}, headers=headers).status_code == 404
        body = {"parameters": {"region_id": "", "site_id": "dc-exact", "radius_m": 15000}}
        rows = client.post("/v1/queries/power_near", json=body, headers=headers).json()["rows"]
        assert [p["id"] for row in rows for p in row["plants"]] == ["pp-near"]
        site = client.get("/v1/power", params={"site": "dc-centroid", "as_of": "2026-01-01"}, headers=headers).json()
        assert site["sites"][0]["coordinates"]["origin"] == "place"
