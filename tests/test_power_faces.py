"""`chiptrail power` and GET /v1/power: distance parsing, errors, and the same JSON on both faces."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest
import typer

from api.cli.power import parse_distance, parse_point
from graph.memory import MemoryStore
from loaders import load_paths
from queries.power import power_near
from queries.power_point import power_at_point
from queries.power_view import point_view, power_view
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


@pytest.mark.parametrize(
    ("text", "point"), [("43.0,94.0", (43.0, 94.0)), (" -33.5, 151 ", (-33.5, 151.0)), ("+90,-180", (90.0, -180.0))]
)
def test_points_parse_to_latitude_and_longitude(text: str, point: tuple[float, float]) -> None:
    assert parse_point(text) == point


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("43.0", "LAT,LON"),
        ("43.0;94.0", "LAT,LON"),
        ("north,east", "LAT,LON"),
        ("1,2,3", "LAT,LON"),
        ("91,0", "latitude must be from -90 to 90"),
        ("0,180.5", "longitude from -180 to 180"),
    ],
)
def test_other_points_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(typer.BadParameter, match=message):
        parse_point(text)


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


def test_the_command_lists_the_sites_and_plants_near_a_point(write_yaml: YamlWriter) -> None:
    path = str(graph_file(write_yaml))
    result = run("--near", "43.0,94.0", "--within", "50km", "--as-of", DAY.isoformat(), "--data", path)
    assert result.returncode == 0, result.stderr
    assert "Exact Site" in result.stdout and "agg-south" in result.stdout and "dc-far" not in result.stdout
    assert "2 site(s) in the graph have no coordinates" in result.stdout
    assert (
        "pp-inside" in result.stdout and "pp-outside" not in result.stdout and "Amber Power Co [60%]" in result.stdout
    )
    shown = run("--near", "43,94", "--within", "15000m", "--format", "json", "--as-of", "2026-01-01", "--data", path)
    payload = json.loads(shown.stdout)
    assert [p["plant"]["id"] for p in payload["plants"]] == ["pp-near"]
    assert [s["site"]["id"] for s in payload["sites"]] == ["dc-exact"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--near", "43.0"), "LAT,LON"),
        (("--near", "95,94"), "latitude must be from -90 to 90"),
        (("--near", "43,94", "--region", "ZZ-DR"), "one of them"),
        (("--near", "43,94", "--site", "dc-exact"), "one of them"),
        (("--near", "43,94", "--within", "3000km"), "within_km must be"),
    ],
)
def test_the_command_refuses_a_bad_point_with_a_usage_error(
    write_yaml: YamlWriter, args: tuple[str, ...], message: str
) -> None:
    bad = run(*args, "--data", str(graph_file(write_yaml)))
    assert bad.returncode == 2 and message in bad.stderr, bad.stderr


def test_the_api_gives_the_commands_json_near_a_point(write_yaml: YamlWriter) -> None:
    store = MemoryStore()
    store.load(load_paths([graph_file(write_yaml)]))
    expected = as_json(point_view(Viewer(store), power_at_point(store, 43.0, 94.0, within_km=50.0, as_of=DAY)))
    cli = run("--near", "43,94", "--format", "json", "--as-of", "2026-01-01", "--data", str(graph_file(write_yaml)))
    assert json.loads(cli.stdout) == expected
    with client_for(store, api_key=API_KEY) as client:
        headers = {"X-API-Key": API_KEY}

        def get(**params: object) -> Any:
            return client.get("/v1/power", params={"as_of": "2026-01-01", **params}, headers=headers)

        assert get(near="43,94", within_km=50).json() == expected
        assert get(latitude=43, longitude=94, within_km=50).json() == expected
        for bad in (
            {"near": "43"},
            {"near": "north,east"},
            {"near": "95,94"},
            {"latitude": 43},
            {"latitude": 95, "longitude": 94},
            {"near": "43,94", "latitude": 43, "longitude": 94},
            {"near": "43,94", "region": "ZZ-DR"},
            {"near": "43,94", "within_km": 0},
        ):
            assert get(**bad).status_code == 422, bad
        body = {"parameters": {"lat": 43.0, "lon": 94.0, "radius_m": 15000}}
        rows = client.post("/v1/queries/near_point", json=body, headers=headers).json()["rows"]
        assert [p["id"] for p in rows[0]["plants"]] == ["pp-near"]
