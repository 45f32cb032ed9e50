"""The Neo4j write statements and the batch pipeline that sends them.

Plans that cannot degrade: every statement finds what it touches through an index seek the
planner is told to use (`USING INDEX`), so the cost of a row does not depend on the size of the
graph or on the planner's estimates. A batch is one transaction of two statements:

* `update`: the rows whose id is already stored, found by a hinted seek on the id index
  (a node's unique-id index, a relationship type's id index), get their properties replaced;
  a stored relationship whose ends differ from the row's is deleted (an id names one relationship);
* `create`: the other rows are created; a relationship's ends are found by hinted seeks.

A first load therefore never pays for a MERGE's existence check against a growing graph, and a
reload never creates. The rows of one batch are encoded by the driver while the server works on
the previous one (see `BatchWriter`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from neo4j import Driver, ManagedTransaction, Record
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from ontology.errors import BackendUnavailable, DataError, Problem

Row = dict[str, Any]
Progress = Callable[[int], None]


def q(name: str) -> str:
    """A label, type or property name backtick-quoted (the caller checked it against the ontology)."""
    return "`" + name.replace("`", "``") + "`"


@dataclass(frozen=True)
class Statements:
    """The two statements of a batch: `update` returns the ids it wrote, `create` how many it made."""

    update: str
    create: str
    what: str


def node_statements(root: str, labels: Sequence[str]) -> Statements:
    """Nodes of one label set (`root` first): seek the root's unique id index, else CREATE."""
    all_labels = ":".join(q(lab) for lab in labels)
    extra = ":".join(q(lab) for lab in labels if lab != root)
    set_labels = f" SET n:{extra}" if extra else ""
    update = (
        f"UNWIND $rows AS row MATCH (n:{q(root)} {{id: row.id}}) USING INDEX n:{q(root)}(id) "
        f"SET n = row.props{set_labels} RETURN n.id AS id"
    )
    create = f"UNWIND $rows AS row CREATE (n:{all_labels}) SET n = row.props RETURN count(n) AS written"
    return Statements(update, create, "nodes")


def edge_statements(rel_type: str, source_root: str, target_root: str) -> Statements:
    """Relationships of one type between two root labels: seek the type's id index, else CREATE
    between ends found by seeks on their roots' unique id indexes."""
    rel, a, b = q(rel_type), q(source_root), q(target_root)
    update = (
        f"UNWIND $rows AS row MATCH (x)-[r:{rel} {{id: row.id}}]->(y) USING INDEX r:{rel}(id) "
        "WITH row, r, x.id = row.source AND y.id = row.target AS same "
        "FOREACH (_ IN CASE WHEN same THEN [1] ELSE [] END | SET r = row.props) "
        "FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END | DELETE r) "
        "WITH row, same WHERE same RETURN row.id AS id"
    )
    create = (
        f"UNWIND $rows AS row MATCH (a:{a} {{id: row.source}}) USING INDEX a:{a}(id) "
        f"MATCH (b:{b} {{id: row.target}}) USING INDEX b:{b}(id) "
        f"CREATE (a)-[r:{rel}]->(b) SET r = row.props RETURN count(r) AS written"
    )
    return Statements(update, create, "relationships")


@dataclass(frozen=True)
class Profile:
    """What the server did for one statement of a batch (`PROFILE`): rows in, db hits, operators used."""

    what: str
    step: str  # "update" or "create"
    rows: int
    db_hits: int
    operators: frozenset[str]


def _walk(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("children", ()):
        yield from _walk(child)


def plan_cost(plan: dict[str, Any]) -> tuple[int, frozenset[str]]:
    """The db hits and the operators (without their runtime suffix) of a PROFILE's plan."""
    operators = frozenset(str(op.get("operatorType", "")).split("@")[0] for op in _walk(plan))
    return sum(int(op.get("dbHits", 0)) for op in _walk(plan)), operators


def out_of_memory(exc: BaseException) -> bool:
    """Whether the server refused for want of memory (the same work retried alone cannot help)."""
    code = str(getattr(exc, "code", "") or "")
    return "OutOfMemory" in code or "MemoryLimit" in code


def memory_message(uri: str, exc: BaseException, then: str) -> str:
    """What to tell of a refusal for want of memory: the server's words, the settings to raise, `then`."""
    said = str(getattr(exc, "message", exc)).rstrip(". ")
    return (
        f"Neo4j at {uri} ran out of memory for this query: {said}. Give the server a larger heap "
        f"(`chiptrail neo4j start --heap 2g`, or server.memory.heap.max_size in neo4j.conf) and {then}."
    )


class _NoMemory(Exception):
    """A batch the server had no memory for, raised out of the transaction function as what the
    driver does not retry (it retries every transient error, this one included, to no avail)."""

    def __init__(self, refusal: Neo4jError) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def _run(
    tx: ManagedTransaction, text: str, rows: list[Row], step: str, what: str, profiles: list[Profile] | None
) -> list[Record]:
    if profiles is None:
        return list(tx.run(text, rows=rows))
    result = tx.run("PROFILE " + text, rows=rows)
    records = list(result)
    plan = result.consume().profile or {}
    hits, operators = plan_cost(plan)
    profiles.append(Profile(what, step, len(rows), hits, operators))
    return records


def write_batch(
    tx: ManagedTransaction, statements: Statements, batch: Sequence[Row], profiles: list[Profile] | None = None
) -> None:
    """Update the stored rows, create the rest; raise `DataError` (rolling back) if a row's ends are missing.
    With `profiles`, each statement runs under `PROFILE` and what the server did is appended."""
    try:
        _write_batch(tx, statements, batch, profiles)
    except Neo4jError as exc:
        if out_of_memory(exc):
            raise _NoMemory(exc) from exc
        raise


def _write_batch(
    tx: ManagedTransaction, statements: Statements, batch: Sequence[Row], profiles: list[Profile] | None
) -> None:
    what = statements.what
    updated = {record["id"] for record in _run(tx, statements.update, list(batch), "update", what, profiles)}
    fresh = [row for row in batch if row["id"] not in updated]
    written = _run(tx, statements.create, fresh, "create", what, profiles)[0]["written"] if fresh else 0
    if written != len(fresh):
        raise DataError(
            [
                Problem(
                    f"{len(fresh) - written} of {len(batch)} {statements.what} name a node missing from the "
                    "database; the batch was rolled back"
                )
            ]
        )


@dataclass(frozen=True)
class Job:
    """One group of rows written with the same statements."""

    statements: Statements
    rows: Callable[[], Iterable[Row]]  # built lazily, on the producer thread


_DONE = object()


class BatchWriter:
    """Writes jobs in batches of `batch_size`, one transaction each, in order.

    A producer thread builds the next batches' rows while the writing thread waits for the server
    (the driver releases the interpreter lock on the socket), so client and server work overlap.
    With `sessions` > 1, relationship batches go out on that many sessions at once; deadlocks
    between them (two batches locking the same nodes in opposite order) are transient errors the
    managed transaction retries. Node batches always go out in order on one session, so a reader
    sees a prefix of the load's nodes.
    """

    def __init__(self, driver: Driver, database: str, uri: str, batch_size: int, retry_time: float) -> None:
        self.driver, self.database, self.uri = driver, database, uri
        self.batch_size, self.retry_time = batch_size, retry_time
        self.profiles: list[Profile] | None = None  # a list: every statement is profiled into it

    def _batches(self, jobs: Sequence[Job]) -> Iterator[tuple[Statements, list[Row]]]:
        for job in jobs:
            batch: list[Row] = []
            for row in job.rows():
                batch.append(row)
                if len(batch) == self.batch_size:
                    yield job.statements, batch
                    batch = []
            if batch:
                yield job.statements, batch

    def write(self, jobs: Sequence[Job], progress: Progress | None, sessions: int = 1) -> None:
        """Write every job's rows; `sessions` writers share the batches (1: strictly in order)."""
        pending: queue.Queue[object] = queue.Queue(maxsize=2 * sessions)
        failures: list[BaseException] = []
        stop = threading.Event()

        def produce() -> None:
            try:
                for item in self._batches(jobs):
                    while not stop.is_set():
                        try:
                            pending.put(item, timeout=0.2)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
            except BaseException as exc:  # handed to the writers' caller
                failures.append(exc)
            finally:
                for _ in range(sessions):
                    pending.put(_DONE)

        lock = threading.Lock()

        def consume() -> None:
            try:
                with self.driver.session(database=self.database) as session:
                    while (item := pending.get()) is not _DONE:
                        statements, batch = cast(tuple[Statements, list[Row]], item)
                        if stop.is_set():
                            continue
                        self._send(session, statements, batch)
                        if progress:
                            with lock:
                                progress(len(batch))
            except BaseException as exc:
                failures.append(exc)
                stop.set()
                while pending.get() is not _DONE:  # drain so the producer can finish
                    pass

        producer = threading.Thread(target=produce, name="neo4j-rows", daemon=True)
        producer.start()
        writers = [threading.Thread(target=consume, name=f"neo4j-write-{i}", daemon=True) for i in range(sessions - 1)]
        for writer in writers:
            writer.start()
        consume()
        for writer in writers:
            writer.join()
        stop.set()
        producer.join()
        if failures:
            raise failures[0]

    def _send(self, session: Any, statements: Statements, batch: list[Row]) -> None:
        try:
            session.execute_write(write_batch, statements, batch, self.profiles)
        except _NoMemory as exc:
            then = f"write again, or in smaller batches (NEO4J_BATCH_SIZE, now {self.batch_size})"
            raise BackendUnavailable(memory_message(self.uri, exc.refusal, then)) from exc.refusal
        except (ServiceUnavailable, SessionExpired, TransientError) as exc:  # retried, in vain
            raise BackendUnavailable(
                f"Neo4j at {self.uri} did not take a batch of {statements.what} "
                f"within {self.retry_time:g} s of retries: {exc}"
            ) from exc
