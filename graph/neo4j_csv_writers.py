"""Import CSVs written by several processes: each writes files of its own (`neo4j_csv.CsvWriter`
with a prefix of its own), which the import reads like any others, and `_merged` makes one set.

A dataset in memory is cut into slices, one per forked writer (`write_csvs`). Records streamed one
at a time (`chiptrail ingest --bulk`, a generated graph too large to hold) go to `PipedWriters`: the
producing process sends them in pickled batches to forked writers, and spends about 1.5 µs a
record on that where writing them itself costs about 6.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from graph.neo4j_csv import CsvSet, CsvWriter
from ontology.errors import WriteRefused
from ontology.records import Dataset, Edge, Node
from ontology.schema import Schema, load_schema

PARALLEL_FROM = 50_000  # records: fewer are written sooner than processes are forked
BATCH = 2_000  # records a pipe carries at once


def write_csvs(
    data: Dataset | Iterable[Node | Edge], folder: Path, schema: Schema | None = None, *, processes: int | None = None
) -> CsvSet:
    """Write a dataset, or records streamed one at a time (nodes and edges in any order), as import
    CSVs into `folder` (created; must be empty).

    A dataset already in memory is split between `processes` forked writers (by default one per
    processor, at most 4, from `PARALLEL_FROM` records on, where the platform forks): each writes
    its own files, which the import reads like any others. Streamed records go to `PipedWriters`
    (as many writers, from the same count on), and only batches in flight are held."""
    if not isinstance(data, Dataset):
        return _write_one(data, PipedWriters(folder, schema, processes=processes))
    whole: list[Node | Edge] = [*data.nodes.values(), *data.edges.values()]
    count = processes or writers_for(len(whole))
    if count > 1:
        return _write_forked(whole, folder, schema or load_schema(), count)
    return _write_one(whole, CsvWriter(folder, schema))


def _write_one(records: Iterable[Node | Edge], writer: CsvWriter | PipedWriters) -> CsvSet:
    try:
        writer.write(records)
    except BaseException:
        writer.abort()
        raise
    return writer.close()


def writers_for(records: int) -> int:
    """How many processes write `records` records: one per processor (at most 4) from
    `PARALLEL_FROM` on, on Linux (a forked child starts at once and reads what its parent holds
    without copying it); else one."""
    if records < PARALLEL_FROM or sys.platform != "linux":
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0))))


# What the forked writers read, set in the parent just before they fork: (records, folder, schema).
_FORKED: list[tuple[list[Node | Edge], Path, Schema]] = []


def _write_part(part: int, parts: int) -> CsvSet:
    """In a forked writer: every `parts`-th record from the `part`-th on, as files of its own (so
    each writer gets its share of the nodes, which take longer to write than relationships). The
    cyclic collector stays off: a writer makes no cycles, and a full collection would walk (and copy
    from its parent, page by page) every record the parent holds."""
    gc.disable()
    records, folder, schema = _FORKED[-1]
    return _write_one(records[part::parts], CsvWriter(folder, schema, prefix=f"{part}-"))


def _write_forked(records: list[Node | Edge], folder: Path, schema: Schema, parts: int) -> CsvSet:
    _FORKED.append((records, folder, schema))
    try:
        with multiprocessing.get_context("fork").Pool(parts) as pool:
            found = pool.starmap(_write_part, [(part, parts) for part in range(parts)])
    finally:
        _FORKED.pop()
    return _merged(folder, found)


def _merged(folder: Path, parts: list[CsvSet]) -> CsvSet:
    """One set of the files the writers wrote (a label set or type may have a file from each)."""
    whole = CsvSet(folder, writers=len(parts))
    for part in parts:
        whole.nodes += part.nodes
        whole.relationships += part.relationships
        whole.node_count += part.node_count
        whole.edge_count += part.edge_count
        whole.multiline += part.multiline
        for key, ids in part.empty_lists.items():
            whole.empty_lists.setdefault(key, []).extend(ids)
    return whole


def _as_fields(record: Node | Edge) -> tuple[Any, ...]:
    """What a pipe carries of a record: a plain tuple pickles in a third of a dataclass's time."""
    if isinstance(record, Node):
        return (record.id, record.labels, record.props)
    return (record.id, record.type, record.source, record.target, record.props)


def _received(conn: Connection) -> Iterator[Node | Edge]:
    """The records of the batches `conn` brings, until an empty one."""
    while batch := conn.recv_bytes():
        for fields in pickle.loads(batch):  # noqa: S301 - batches this process's parent pickled
            yield Node(*fields) if len(fields) == 3 else Edge(*fields)


def _serve(conn: Connection, others: list[Connection], folder: Path, schema: Schema, prefix: str) -> None:
    """In a forked writer: write what `conn` brings, then send back the files, or the error (as
    text when it does not pickle)."""
    gc.disable()  # a writer makes no cycles; collecting would cost more than unpickling
    for other in others:  # the pipes of the writers forked before: only the parent keeps those
        other.close()
    writer = CsvWriter(folder, schema, prefix)
    try:
        writer.write(_received(conn))
        conn.send(writer.close())
    except (EOFError, BrokenPipeError):  # the parent stopped the writers: nothing to say
        writer.abort()
    except Exception as exc:  # every failure goes back to the parent, which raises it
        writer.abort()
        _tell(conn, exc)


def _tell(conn: Connection, exc: Exception) -> None:
    """Send the parent an error (as text if it does not pickle), unless the parent has gone."""
    try:
        conn.send(exc)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.send(WriteRefused(f"a CSV writer failed: {type(exc).__name__}: {exc}"))
    except OSError:
        pass


class PipedWriters:
    """Import CSVs of records streamed one at a time, written by forked processes.

    The first `start_at` records wait in memory: a stream that ends before is written here, by one
    writer, with no process forked. From then on each `BATCH` records go, pickled, to the next of
    `processes` forked writers (by default `writers_for(PARALLEL_FROM)`; with one, this process
    writes them all). A full pipe makes the producer wait, so only a few batches are in flight.
    `close` returns the files of all writers as one set, or raises what a writer raised; `abort`
    stops the writers (the caller throws the folder away)."""

    def __init__(
        self, folder: Path, schema: Schema | None = None, *, processes: int | None = None, start_at: int = PARALLEL_FROM
    ) -> None:
        self.folder, self.schema = folder, schema or load_schema()
        self.processes = writers_for(PARALLEL_FROM) if processes is None else processes
        self.start_at = start_at
        self._waiting: list[Node | Edge] = []
        self._batch: list[tuple[Any, ...]] = []
        self._writers: list[tuple[BaseProcess, Connection]] = []
        self._here: CsvWriter | None = None
        self._sent = 0
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, records: Iterable[Node | Edge]) -> None:
        records = iter(records)
        if self.processes <= 1:
            self._own().write(records)
            return
        if not self._writers:
            for record in records:
                self._waiting.append(record)
                if len(self._waiting) >= self.start_at:
                    self._start()
                    break
            else:
                return
        batch, as_fields = self._batch, _as_fields
        for record in records:
            batch.append(as_fields(record))
            if len(batch) >= BATCH:
                self._send()
                batch = self._batch

    def _own(self) -> CsvWriter:
        """The writer in this process, for a stream of one writer or one that ends early."""
        if self._here is None:
            self._here = CsvWriter(self.folder, self.schema)
        return self._here

    def _flush(self) -> None:
        waiting, self._waiting = self._waiting, []
        self._own().write(waiting)

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        for part in range(self.processes):
            mine, theirs = context.Pipe()
            others = [conn for _, conn in self._writers]
            args = (theirs, others, self.folder, self.schema, f"{part}-")
            process = context.Process(target=_serve, args=args, daemon=True)
            process.start()
            theirs.close()
            self._writers.append((process, mine))
        waiting, self._waiting = self._waiting, []
        self.write(waiting)

    def _send(self) -> None:
        process, conn = self._writers[self._sent % len(self._writers)]
        self._sent += 1
        batch, self._batch = self._batch, []
        try:
            conn.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
        except OSError:  # the writer stopped: what it sent back says why
            raise self._failure(process, conn) from None

    def close(self) -> CsvSet:
        """End every writer's files: their set, or what a writer raised."""
        if not self._writers:
            self._flush()
            return self._own().close()
        if self._batch:
            self._send()
        for process, conn in self._writers:
            try:
                conn.send_bytes(b"")
            except OSError:
                raise self._failure(process, conn) from None
        parts = []
        for process, conn in self._writers:
            try:
                found = conn.recv()
            except (EOFError, OSError):
                found = None
            if not isinstance(found, CsvSet):
                raise self._failure(process, conn, found)
            parts.append(found)
        self.abort()
        return _merged(self.folder, parts)

    def _failure(self, process: BaseProcess, conn: Connection, sent: object = None) -> BaseException:
        """What stopped a writer (what it sent back, if anything), once every writer is stopped."""
        if sent is None:
            try:
                sent = conn.recv() if conn.poll(5) else None
            except (EOFError, OSError):
                sent = None
        self.abort()
        if isinstance(sent, BaseException):
            return sent
        return WriteRefused(f"a CSV writer process stopped (exit code {process.exitcode}) writing into {self.folder}")

    def abort(self) -> None:
        """Stop the writers (at once if they are still writing); close the pipes and the files left open."""
        for process, conn in self._writers:
            conn.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        if self._here is not None:
            self._here.abort()
        self._writers, self._waiting, self._batch = [], [], []
