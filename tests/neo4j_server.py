"""Find a real Neo4j for the tests, in this order: NEO4J_URI; the local jars; testcontainers.

Under CI=true a missing Neo4j fails the run; elsewhere the Neo4j tests are skipped with the reason.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr

from graph import neo4j_server
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from ontology.errors import BackendUnavailable
from tests.helpers import required


def unavailable(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    required("Neo4j", reason)


def _docker_answers() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@contextmanager
def _local_jars(home: Path) -> Iterator[Neo4jSettings]:
    config = neo4j_server.ServerConfig(home, neo4j_server.free_port(), neo4j_server.free_port())
    password = secrets.token_hex(16)  # never starts with "-", which the admin tool would read as an option
    neo4j_server.start(config, password)
    try:
        yield Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password))
    finally:
        neo4j_server.stop(config)


@contextmanager
def _container() -> Iterator[Neo4jSettings]:
    try:
        from testcontainers.community.neo4j import Neo4jContainer
    except ImportError:  # older testcontainers
        from testcontainers.neo4j import Neo4jContainer
    password = secrets.token_hex(16)  # never starts with "-", which the admin tool would read as an option
    with Neo4jContainer("neo4j:5.26-community", password=password) as container:
        yield Neo4jSettings(uri=container.get_connection_url(), password=SecretStr(password))


@contextmanager
def neo4j_settings(home: Path) -> Iterator[Neo4jSettings]:
    """Settings for a reachable Neo4j, started for the session if need be."""
    if os.environ.get("NEO4J_URI"):
        yield Neo4jSettings()
    elif neo4j_server.jars_present():
        with _local_jars(home) as settings:
            yield settings
    elif _docker_answers():
        with _container() as settings:
            yield settings
    else:
        unavailable(
            "NEO4J_URI is not set, no jars in tools/neo4j/lib (run `make neo4j-jars`), and Docker does not answer"
        )


START_WITHIN_S = 240.0


@contextmanager
def own_server(home: Path) -> Iterator[tuple[neo4j_server.ServerConfig, Neo4jSettings]]:
    """A server of the test's own, started from the jars in `home`: an import needs the server
    stopped, which the session's shared server must never be."""
    if not neo4j_server.jars_present():
        unavailable("no jars in tools/neo4j/lib (run `make neo4j-jars`)")
    config = neo4j_server.ServerConfig(home, neo4j_server.free_port(), neo4j_server.free_port())
    password = "-" + secrets.token_hex(16)  # a password starting with '-' must work too
    settings = Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password), batch_size=500)
    try:
        neo4j_server.start(config, password, timeout=START_WITHIN_S)
        connect(settings).close()  # answering: a cold JVM on a busy machine is slow to its first query
        yield config, settings
    finally:
        neo4j_server.stop(config, grace=20)


def connect(settings: Neo4jSettings, timeout: float = START_WITHIN_S) -> Neo4jStore:
    """A store on a server just (re)started: a fresh JVM on a busy machine may take a while to answer."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Neo4jStore.connect(settings)
        except BackendUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
