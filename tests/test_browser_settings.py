"""The settings that make the Neo4j Browser chiptrail's home screen: written by `chiptrail neo4j start`,
the same in docker-compose.yml, and returned by a live server's `dbms.clientConfig()`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from neo4j import GraphDatabase

from graph.neo4j_browser import DEFAULT_API_URL, browser_settings, deep_link
from graph.neo4j_server import INDEX_SETTINGS, ServerConfig, write_config
from graph.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = {
    "browser.post_connect_cmd": "style http://127.0.0.1:8000/browser/chiptrail.grass; "
    "guide http://127.0.0.1:8000/browser/chiptrail.md",
    "browser.remote_content_hostname_whitelist": "localhost,127.0.0.1",
    "client.allow_telemetry": "false",
    "dbms.usage_report.enabled": "false",
}


def conf_lines(home: Path, **config: str) -> dict[str, str]:
    conf = write_config(ServerConfig(home, **config)) / "neo4j.conf"  # type: ignore[arg-type]
    return dict(line.split("=", 1) for line in conf.read_text(encoding="utf-8").splitlines())


def test_the_generated_conf_loads_style_and_guide_and_keeps_telemetry_off(tmp_path: Path) -> None:
    lines = conf_lines(tmp_path)
    for key, value in EXPECTED.items():
        assert lines[key] == value
    moved = conf_lines(tmp_path / "other", api_url="http://api.internal:9000")
    assert moved["browser.post_connect_cmd"].startswith("style http://api.internal:9000/browser/chiptrail.grass;")
    assert moved["browser.remote_content_hostname_whitelist"] == "localhost,127.0.0.1,api.internal"


def test_docker_compose_says_the_same_with_neo4j_env_names() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    env = compose["services"]["neo4j"]["environment"]
    for key, value in {**browser_settings(DEFAULT_API_URL), **INDEX_SETTINGS}.items():
        name = "NEO4J_" + key.replace("_", "__").replace(".", "_")
        assert env[name] == value, name


def test_the_generated_config_fills_the_schema_groups_side_by_side(tmp_path: Path) -> None:
    conf = write_config(ServerConfig(tmp_path)) / "neo4j.conf"
    assert "internal.dbms.index_population.parallelism=4" in conf.read_text(encoding="utf-8").splitlines()


def test_the_deep_link_opens_the_guide() -> None:
    link = deep_link("http://127.0.0.1:7474/browser/", DEFAULT_API_URL)
    query = parse_qs(urlsplit(link).query)
    assert query == {"cmd": ["guide"], "arg": ["http://localhost:8000/browser/chiptrail.md"]}


@pytest.mark.neo4j
def test_a_live_server_gives_the_browser_these_settings(neo4j_settings: Neo4jSettings) -> None:
    auth = (neo4j_settings.username, neo4j_settings.password.get_secret_value())
    with GraphDatabase.driver(neo4j_settings.uri, auth=auth) as driver:
        records, _, _ = driver.execute_query("CALL dbms.clientConfig()")
    config = {r["name"]: r["value"] for r in records}
    for key in ("browser.post_connect_cmd", "browser.remote_content_hostname_whitelist", "client.allow_telemetry"):
        assert config[key] == EXPECTED[key], key
