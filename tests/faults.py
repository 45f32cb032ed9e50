"""Faults to inject between a store and a real Neo4j: a loopback TCP proxy that can go down, freeze or
stall, and the helpers the fault tests share."""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from neo4j import GraphDatabase

from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings

# What the proxy can do to the server it stands for.
UP = "up"
DOWN = "down"  # stopped: every connection is dropped, new ones are refused
FROZEN = "frozen"  # every connection is dropped, new ones are accepted and never answered
STALLED = "stalled"  # connections stay open and nothing moves (a hung process, a silent network)
FAULTS = (DOWN, FROZEN, STALLED)


class FaultyProxy:
    """Forwards loopback TCP to the server, unless told to go down, freeze or stall."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener: socket.socket | None = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.mode = UP
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            listener = self.listener
            if listener is None:  # down: nothing listens, connections are refused
                time.sleep(0.05)
                continue
            listener.settimeout(0.2)
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):  # OSError: closed by `fail(DOWN)`
                continue
            self.sockets.append(client)
            if self.mode == UP:  # otherwise the connection is accepted and never answered
                threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        server = socket.create_connection(self.upstream)
        self.sockets.append(server)
        with suppress(OSError):
            while not self.stopped.is_set():
                if self.mode == STALLED:
                    time.sleep(0.05)
                    continue
                ready, _, _ = select.select([client, server], [], [], 0.1)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (server if source is client else client).sendall(data)

    def _drop_all(self) -> None:
        for s in self.sockets:
            with suppress(OSError):
                s.close()
        self.sockets.clear()

    def fail(self, mode: str) -> None:
        """Go DOWN, FROZEN or STALLED."""
        self.mode = mode
        if mode in (DOWN, FROZEN):
            self._drop_all()
        if mode == DOWN and self.listener is not None:
            self.listener.close()
            self.listener = None

    def heal(self) -> None:
        """Forward again (on the same port); stalled connections carry on where they stopped."""
        if self.listener is None:
            self.listener = socket.create_server(("127.0.0.1", self.port))
        self.mode = UP

    def close(self) -> None:
        self.stopped.set()
        self.acceptor.join(timeout=5)
        self._drop_all()
        if self.listener is not None:
            self.listener.close()


@contextmanager
def proxied_store(settings: Neo4jSettings) -> Iterator[tuple[FaultyProxy, Neo4jStore]]:
    """A store that reaches the server of `settings` through a `FaultyProxy`."""
    host, port = settings.uri.removeprefix("bolt://").removeprefix("neo4j://").rsplit(":", 1)
    proxy = FaultyProxy((host, int(port)))
    through = settings.model_copy(update={"uri": proxy.uri})
    auth = (through.username, through.checked_password())
    store = Neo4jStore(GraphDatabase.driver(through.uri, auth=auth), through)
    try:
        yield proxy, store
    finally:
        proxy.close()  # first: a driver closing over stalled connections would wait for them
        store.close()
