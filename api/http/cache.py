"""Answers kept per data version: a question asked again, on data that has not changed since, is
answered from memory, with the same bytes.

Every GET answer under /v1 (not the dataset and resolution endpoints, which read files beside the
store) is kept under the store's `data_version()`, the day (answers default to today), the path,
the query string and the Accept header. The version is the embedded store's write counter, or on
Neo4j the bookmark of a trivial read — the last transaction the database committed — so a write by
anyone, the Browser included, makes the next request compute afresh: a repeat costs that one
read, not the answer's statements, and requests that arrive together share it (`VersionReads`).

Each response says `X-Cache: hit` or `miss` and carries an `ETag` (the SHA-256 of its body); a
client that sends it back in `If-None-Match` gets `304 Not Modified` while the answer stands, and
`Cache-Control: no-cache` in a request computes the answer afresh. Only whole 200 answers up to
`MAX_BODY` bytes are kept, in at most `MAX_BYTES` per worker process, least recently used first out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.errors import problem
from graph.store import GraphStore, pinned_version
from ontology.errors import BackendUnavailable

PREFIX = "/v1/"
UNCACHED = ("/v1/datasets", "/v1/resolution")  # they read the ledger and judgement files, not only the store
MAX_BODY = 1 << 20
MAX_BYTES = 64 << 20


@dataclass(frozen=True)
class Kept:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class Answers:
    """Bounded least-recently-used answers by key."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._kept: OrderedDict[Hashable, Kept] = OrderedDict()

    def get(self, key: Hashable) -> Kept | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def put(self, key: Hashable, kept: Kept) -> None:
        old = self._kept.pop(key, None)
        self.size += len(kept.body) - (len(old.body) if old else 0)
        self._kept[key] = kept
        while self.size > self.max_bytes and self._kept:
            self.size -= len(self._kept.popitem(last=False)[1].body)

    def __len__(self) -> int:
        return len(self._kept)


def cacheable(scope: Scope) -> bool:
    path: str = scope["path"]
    return scope["method"] == "GET" and path.startswith(PREFIX) and not path.startswith(UNCACHED)


class VersionReads:
    """The data version of one store, read once for every request that arrived before the read began.

    On Neo4j the version is a round trip; under load, requests that arrive while one read is under
    way wait for the next read, which starts when it ends and answers them all. Each request still
    gets a version read after it arrived, so a write committed before it began is seen."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.waiting: asyncio.Future[Hashable] | None = None
        self.reader: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    async def version(self) -> Hashable:
        """The store's data version; `BackendUnavailable` if it does not answer."""
        if self.store.backend == "memory":
            return self.store.data_version()
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new event loop (a restarted server, a test client): start afresh
            self.loop, self.waiting, self.reader = loop, None, None
        if self.waiting is None:
            self.waiting = loop.create_future()
        waiting = self.waiting
        if self.reader is None:
            self.reader = loop.create_task(self._read_for_waiting())
        return await asyncio.shield(waiting)

    async def _read_for_waiting(self) -> None:
        try:
            while (waiting := self.waiting) is not None:
                self.waiting = None  # who arrives from now on waits for the next read
                try:
                    waiting.set_result(await run_in_threadpool(self.store.data_version))
                except Exception as exc:  # handed to every request that waited for this read
                    waiting.set_exception(exc)
        finally:
            self.reader = None


class AnswerCache:
    """ASGI middleware: answers by data version, with ETags (see the module's docstring)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BYTES) -> None:
        self.app = app
        self.answers = Answers(max_bytes)
        self.reads: VersionReads | None = None

    def _reads(self, store: GraphStore) -> VersionReads:
        if self.reads is None or self.reads.store is not store:
            self.reads = VersionReads(store)
        return self.reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not cacheable(scope):
            await self.app(scope, receive, send)
            return
        try:
            version = await self._reads(scope["app"].state.store).version()
        except BackendUnavailable as exc:  # answered at once, as the answer's own read would be
            await problem(exc.status, exc.title, str(exc), **exc.details())(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = (version, dt.date.today(), scope["path"], scope["query_string"], headers.get("accept", ""))
        kept = None if "no-cache" in headers.get("cache-control", "") else self.answers.get(key)
        if kept is not None:
            await self._send_kept(kept, headers, send)
            return
        with pinned_version(version):  # the answer's own name look-ups are kept under it too
            await self.app(scope, receive, self._keeping(key, send))

    async def _send_kept(self, kept: Kept, headers: Headers, send: Send) -> None:
        if kept.etag.decode() in {t.strip() for t in headers.get("if-none-match", "").split(",")}:
            await send({"type": "http.response.start", "status": 304, "headers": _marked(kept.headers, b"hit", 304)})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": kept.status, "headers": _marked(kept.headers, b"hit")})
        await send({"type": "http.response.body", "body": kept.body})

    def _keeping(self, key: Hashable, send: Send) -> Send:
        """A `send` that passes a whole 200 answer on with its ETag and keeps it; anything else passes as is."""
        start: list[Message] = []
        body: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                start.append(message)  # held until the body is whole: the ETag goes in the headers
                return
            if not start:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False) and sum(map(len, body)) <= MAX_BODY:
                return
            whole = b"".join(body)
            headers = [(k, v) for k, v in start[0]["headers"] if k.lower() not in (b"etag", b"x-cache", b"vary")]
            headers.append((b"vary", b"Accept"))  # an answer is drawn as HTML for Accept: text/html
            if not message.get("more_body", False):  # whole: tagged, and kept if small enough
                etag = b'"' + hashlib.sha256(whole).hexdigest().encode() + b'"'
                headers.append((b"etag", etag))
                if len(whole) <= MAX_BODY:
                    self.answers.put(key, Kept(200, headers, whole, etag))
            await send({**start[0], "headers": _marked(headers, b"miss")})
            await send({**message, "body": whole})
            start.clear()
            body.clear()

        return keep


def _marked(headers: list[tuple[bytes, bytes]], how: bytes, status: int = 200) -> list[tuple[bytes, bytes]]:
    """The kept headers with `X-Cache`; a 304 keeps only what RFC 9110 lets it carry."""
    if status == 304:
        headers = [(k, v) for k, v in headers if k.lower() in (b"etag", b"cache-control", b"vary")]
    return [*headers, (b"x-cache", how)]
