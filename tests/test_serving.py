"""Several API workers answer with the latency of one: the socket `chiptrail serve --workers N` shares
reports TCP, so every accepted connection gets TCP_NODELAY (api/http/serving.py)."""

from __future__ import annotations

import asyncio
import socket

from api.http.serving import TcpConfig


def nodelay_of_an_accepted_connection(listener: socket.socket) -> int:
    """TCP_NODELAY on the server side of one connection accepted by asyncio on `listener`."""
    found: list[int] = []

    class Report(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            found.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def accept_one() -> None:
        server = await asyncio.get_running_loop().create_server(Report, sock=listener)
        port = listener.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if found:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()

    asyncio.run(accept_one())
    return found[0]


def test_the_shared_socket_gives_every_connection_tcp_nodelay() -> None:
    config = TcpConfig("api.http.app:create_app", factory=True, host="127.0.0.1", port=0, workers=2)
    listener = config.bind_socket()
    assert listener.proto == socket.IPPROTO_TCP
    assert nodelay_of_an_accepted_connection(listener) == 1
