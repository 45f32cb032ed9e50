"""Work on a long stream of small items shared with forked processes, the answers in the stream's order.

Staging a download read piece by piece (`base.Pieces`) costs the reading, mapping, stamping,
checking and encoding of every piece. `in_order` hands chunks of pieces to forked processes
while the caller goes on cutting them, and gives back each item with its answer in the order the
items came, so what is staged, and every problem reported, is the same as when one process does
it all. Only the items (a line of text, the statements of an entity) and the answers (text to
stage) travel between processes: the work and what it reads (a source's first-pass tables, the
schema) reach the processes by the fork itself, never pickled.

The first `START_AT` items are worked on in-process, so a short download forks nothing; no more
than two chunks per process wait at any time, so memory stays bounded whatever the download's
size; an exception raised in a process reaches the caller as itself, and every process is
stopped when the caller finishes, fails or stops reading.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

START_AT = 2_000  # items worked on in-process before any process is forked (about a quarter second)
CHUNK = 1_000  # items a process is given at once


def processes_here() -> int:
    """One process per processor this process may run on, at most 4; none where processes cannot
    be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def in_order(
    items: Iterable[T],
    work: Callable[[C, list[T]], list[R]],
    context: C,
    *,
    processes: int | None = None,
    start_at: int | None = None,
    chunk: int | None = None,
) -> Generator[tuple[T, R], None, None]:
    """Each item with its answer from `work(context, chunk)`, in the items' order. `processes`,
    `start_at` and `chunk` default to `processes_here()`, `START_AT` and `CHUNK`; one process
    or none works in-process throughout."""
    count = processes_here() if processes is None else processes
    start_at, chunk = START_AT if start_at is None else start_at, CHUNK if chunk is None else chunk
    stream, done = iter(items), 0
    while count <= 1 or done < start_at:
        batch = _next_chunk(stream, chunk if count <= 1 else min(chunk, start_at - done))
        if not batch:
            return
        done += len(batch)
        yield from zip(batch, work(context, batch), strict=True)
    forked = multiprocessing.get_context("fork")
    with forked.Pool(count, initializer=_given, initargs=(work, context)) as pool:  # leaving it stops them
        yield from _pooled(pool, stream, chunk, window=2 * count)


_GIVEN: tuple[Callable[[Any, list[Any]], list[Any]], Any] | None = None  # in a forked process: (work, context)


def _given(work: Callable[[Any, list[Any]], list[Any]], context: object) -> None:
    """Each forked process's start: the work, and Ctrl-C left to the caller (which then stops
    every process), not a traceback from each of them."""
    global _GIVEN  # set once in each forked process, before any chunk
    _GIVEN = (work, context)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(batch: list[Any]) -> list[Any]:
    if _GIVEN is None:
        raise RuntimeError("a chunk reached a process that was given no work")
    work, context = _GIVEN
    return work(context, batch)


def _pooled(pool: Pool, stream: Iterator[T], chunk: int, window: int) -> Iterator[tuple[T, Any]]:
    waiting: deque[tuple[list[T], AsyncResult[list[Any]]]] = deque()
    while True:
        while len(waiting) < window and (batch := _next_chunk(stream, chunk)):
            waiting.append((batch, pool.apply_async(_work, (batch,))))
        if not waiting:
            return
        batch, answer = waiting.popleft()
        yield from zip(batch, answer.get(), strict=True)


def _next_chunk(stream: Iterator[T], size: int) -> list[T]:
    batch = []
    for item in stream:
        batch.append(item)
        if len(batch) == size:
            break
    return batch
