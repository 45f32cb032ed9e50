"""Neo4j killed (SIGKILL) in the middle of a load, restarted, and the load run again: nothing is lost
and nothing is doubled — the graph equals a clean load, property for property.

This test starts its own server (the session's is shared by the other tests) and stops it whatever
happens. The load is small enough to take a few seconds and cut into many batches, so the kill
lands while a batch is in flight.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from graph import neo4j_server
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from loaders.synthetic import generate
from ontology.errors import BackendUnavailable
from tests.helpers import checksum
from tests.neo4j_server import unavailable

pytestmark = pytest.mark.neo4j

RELATIONSHIPS = 2000
BATCH = 50  # about fifty batches
START_WITHIN_S = 90.0


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[neo4j_server.ServerConfig, Neo4jSettings]]:
    """A Neo4j of this test's own, on free loopback ports; stopped at the end whatever happens."""
    if not neo4j_server.jars_present():
        unavailable("no jars in tools/neo4j/lib (run `make neo4j-jars`)")
    config = neo4j_server.ServerConfig(tmp_path / "neo4j", neo4j_server.free_port(), neo4j_server.free_port())
    password = secrets.token_hex(16)
    settings = Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password), batch_size=BATCH, write_retry_time=2.0)
    try:
        neo4j_server.start(config, password, timeout=START_WITHIN_S)
        yield config, settings
    finally:
        neo4j_server.stop(config, grace=20)


def total(counts: dict[str, int]) -> int:
    """Nodes and relationships: every node counts once per label, so compare like with like."""
    return sum(counts.values())


def test_a_load_killed_mid_way_and_run_again_equals_a_clean_load(
    own_server: tuple[neo4j_server.ServerConfig, Neo4jSettings],
) -> None:
    config, settings = own_server
    data = generate(RELATIONSHIPS)
    records = len(data.nodes) + len(data.edges)
    store = Neo4jStore.connect(settings)
    store.load(data)
    clean = (store.counts(), checksum(store))
    store.clear()

    # Kill the server from another thread once a third of the records are in, while the loader
    # goes on with the next batch: the kill lands on a transaction in flight.
    written, third_in = 0, threading.Event()

    def progress(count: int) -> None:
        nonlocal written
        written += count
        if written >= records // 3:
            third_in.set()

    pid = neo4j_server.running_pid(config)
    assert pid is not None

    def kill() -> None:
        if third_in.wait(60):
            os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill, daemon=True)
    killer.start()
    started = time.monotonic()
    with pytest.raises(BackendUnavailable, match="did not take a batch"):
        store.load(data, progress=progress)
    failed_after = time.monotonic() - started
    killer.join(5)
    store.close()
    assert records // 3 <= written < records

    neo4j_server.start(config, settings.password.get_secret_value(), timeout=START_WITHIN_S)
    store = Neo4jStore.connect(settings)  # waits for the recovered database's first answer
    try:
        survived = total(store.counts())
        assert 0 < survived < total(clean[0])  # the committed batches, and only those
        store.load(data)
        assert store.counts() == clean[0]
        assert checksum(store) == clean[1]
    finally:
        store.close()
    print(f"\n{written:,} of {records:,} records written when killed; the load failed {failed_after:.1f} s in")
