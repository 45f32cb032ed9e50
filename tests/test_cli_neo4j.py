"""The Neo4j face of the command line: start/status/stop, load, and --backend neo4j."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from graph.neo4j_server import free_port, jars_present
from graph.settings import Neo4jSettings
from tests.helpers import CLI
from tests.neo4j_server import unavailable

pytestmark = pytest.mark.neo4j


def run(env: dict[str, str], *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout, env=env, check=False)


def env_for(settings: Neo4jSettings) -> dict[str, str]:
    return {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password.get_secret_value()}


def test_load_then_routes_on_neo4j_prints_the_same_json_as_memory(neo4j_settings: Neo4jSettings) -> None:
    env = env_for(neo4j_settings)
    loaded = run(env, "load", "--backend", "neo4j", "--replace")
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded" in loaded.stdout
    args = ("routes", "--chip", "H100", "--region", "Xinjiang", "--as-of", "2026-01-01", "--format", "json")
    neo4j = run(env, *args, "--backend", "neo4j")
    memory = run(env, *args)
    assert neo4j.returncode == 0, neo4j.stderr
    assert json.loads(neo4j.stdout)["routes"]
    assert neo4j.stdout == memory.stdout


def test_placeholder_or_wrong_password_is_refused(neo4j_settings: Neo4jSettings) -> None:
    env = {**env_for(neo4j_settings), "NEO4J_PASSWORD": "change-me"}
    result = run(env, "restrictions", "--chip", "H20", "--destination", "CN", "--backend", "neo4j")
    assert result.returncode == 1
    assert "placeholder is refused" in result.stderr
    env["NEO4J_PASSWORD"] = "wrong-password-123"
    result = run(env, "restrictions", "--chip", "H20", "--destination", "CN", "--backend", "neo4j")
    assert result.returncode == 1
    assert "cannot reach Neo4j" in result.stderr
    assert "Traceback" not in result.stderr


def browser_page(url: str) -> str:
    """The Browser's HTML; HTTP opens a few seconds after Bolt, so retry for a while."""
    for _ in range(60):
        try:
            return httpx.get(url, timeout=5).text
        except httpx.HTTPError:
            time.sleep(1)
    return ""


def test_neo4j_start_status_stop(tmp_path: Path) -> None:
    if not jars_present():
        unavailable("`chiptrail neo4j start` needs the jars in tools/neo4j/lib (run `make neo4j-jars`)")
    env = {**os.environ, "NEO4J_PASSWORD": "a-local-password"}
    home, bolt, http = str(tmp_path / "server"), str(free_port()), str(free_port())
    memory = ("--heap", "640M", "--pagecache", "96m")
    started = run(env, "neo4j", "start", "--home", home, "--bolt-port", bolt, "--http-port", http, *memory)
    try:
        assert started.returncode == 0, started.stderr
        conf = (tmp_path / "server" / "conf" / "neo4j.conf").read_text().splitlines()
        assert {"server.memory.heap.max_size=640m", "server.memory.pagecache.size=96m"} <= set(conf)
        assert f"bolt://127.0.0.1:{bolt}" in started.stdout
        assert f"http://127.0.0.1:{http}/browser/" in started.stdout
        guide = "arg=http%3A%2F%2Flocalhost%3A8000%2Fbrowser%2Fchiptrail.md"
        assert f"http://127.0.0.1:{http}/browser/?cmd=guide&{guide}" in started.stdout
        assert "chiptrail serve" in started.stdout and "chiptrail neo4j guide" in started.stdout
        status = run(env, "neo4j", "status", "--home", home)
        assert status.returncode == 0
        assert f"bolt://127.0.0.1:{bolt}" in status.stdout
        assert "<title>Neo4j Browser</title>" in browser_page(f"http://127.0.0.1:{http}/browser/")
    finally:
        stopped = run(env, "neo4j", "stop", "--home", home)
    assert "stopped" in stopped.stdout
    assert run(env, "neo4j", "status", "--home", home).returncode == 3


def test_neo4j_start_refuses_a_heap_that_is_not_a_size(tmp_path: Path) -> None:
    env = {**os.environ, "NEO4J_PASSWORD": "a-local-password"}
    refused = run(env, "neo4j", "start", "--home", str(tmp_path / "server"), "--heap", "2 GB")
    assert refused.returncode == 2
    assert "Invalid value for '--heap': '2 GB' is not a size such as 512m or 2g" in refused.stderr
    assert not (tmp_path / "server").exists()
