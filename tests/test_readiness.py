"""/readyz against a real Neo4j behind a loopback proxy that can freeze: 503 within 2 seconds while the
server does not answer, ready again by itself as soon as it does."""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase

from api.http.app import create_app
from api.http.settings import ApiSettings
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings

pytestmark = pytest.mark.neo4j


class FreezableProxy:
    """Forwards loopback TCP to the server; frozen, it drops every connection and answers no new one."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frozen = threading.Event()
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # the listener was closed
                return
            self.sockets.append(client)
            if not self.frozen.is_set():  # frozen: the connection is accepted and never answered
                threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        server = socket.create_connection(self.upstream)
        self.sockets.append(server)
        with suppress(OSError):
            while not (self.frozen.is_set() or self.stopped.is_set()):
                ready, _, _ = select.select([client, server], [], [], 0.1)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (server if source is client else client).sendall(data)

    def freeze(self) -> None:
        self.frozen.set()
        for s in self.sockets:
            with suppress(OSError):
                s.close()
        self.sockets.clear()

    def thaw(self) -> None:
        self.frozen.clear()

    def close(self) -> None:
        self.stopped.set()
        self.acceptor.join(timeout=5)
        self.freeze()
        self.listener.close()


@pytest.fixture
def proxied(neo4j_settings: Neo4jSettings) -> Iterator[tuple[FreezableProxy, TestClient]]:
    host, port = neo4j_settings.uri.removeprefix("bolt://").removeprefix("neo4j://").rsplit(":", 1)
    proxy = FreezableProxy((host, int(port)))
    uri = f"bolt://127.0.0.1:{proxy.port}"
    settings = neo4j_settings.model_copy(update={"uri": uri})
    auth = (settings.username, settings.checked_password())
    store = Neo4jStore(GraphDatabase.driver(uri, auth=auth), settings)
    with TestClient(create_app(ApiSettings(backend="neo4j"), store=store)) as client:
        yield proxy, client
    store.close()
    proxy.close()


def _ready(client: TestClient) -> tuple[int, float]:
    started = time.monotonic()
    response = client.get("/readyz")
    return response.status_code, time.monotonic() - started


def test_readyz_follows_the_server_down_and_back_up(proxied: tuple[FreezableProxy, TestClient]) -> None:
    proxy, client = proxied
    assert _ready(client)[0] == 200
    proxy.freeze()
    status, elapsed = _ready(client)
    assert status == 503
    assert elapsed < 2.5, elapsed
    assert _ready(client)[0] == 503
    proxy.thaw()
    deadline = time.monotonic() + 10
    while (status := _ready(client)[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200
