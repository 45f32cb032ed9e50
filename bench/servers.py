"""The Neo4j a benchmark measures: the one at NEO4J_URI, or one started from the project's jars for
the run (2 GB heap, 1 GB page cache) and stopped after it, even when the first connection fails."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr
from rich.console import Console

from graph import neo4j_server
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings


@contextmanager
def neo4j_store(console: Console, *, use_env: bool | None = None) -> Iterator[Neo4jStore]:
    """A connected store; `use_env` (default: whether NEO4J_URI is set) picks the configured server."""
    if use_env if use_env is not None else bool(os.environ.get("NEO4J_URI")):
        store = Neo4jStore.connect(Neo4jSettings())
        try:
            yield store
        finally:
            store.close()
        return
    with tempfile.TemporaryDirectory() as home:
        config = neo4j_server.ServerConfig(
            Path(home), neo4j_server.free_port(), neo4j_server.free_port(), heap="2g", pagecache="1g"
        )
        password = secrets.token_hex(16)
        with console.status("starting Neo4j"):
            neo4j_server.start(config, password)
        try:
            store = Neo4jStore.connect(Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password)))
            try:
                yield store
            finally:
                store.close()
        finally:
            neo4j_server.stop(config)
