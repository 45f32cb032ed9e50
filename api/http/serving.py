"""Serving the API in several worker processes with the latency of one.

uvicorn binds the shared listening socket of `--workers N` itself, with its protocol left at 0.
Accepted connections inherit it, and asyncio sets TCP_NODELAY only on sockets that report TCP: so
Nagle's algorithm stays on and every keep-alive response after the first waits for the client's
delayed acknowledgement (about 40 ms on Linux: /healthz on one keep-alive connection to two workers
answered 22 requests/s, 45 ms each; on this socket 132, on the same busy machine). The socket bound
here reports TCP, so each accepted connection gets TCP_NODELAY, as with one worker.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess


class TcpConfig(uvicorn.Config):
    """uvicorn's configuration, binding a listening socket that says it is TCP."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
            return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        return sock


def run_workers(app: str, *, host: str, port: int, workers: int, access_log: bool) -> None:
    """`uvicorn.run(app, factory=True, workers=workers, …)`, on a socket whose connections get TCP_NODELAY."""
    config = TcpConfig(
        app, factory=True, host=host, port=port, workers=workers, log_level="info", access_log=access_log
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()
