"""The Neo4j backend: the graph users query in the Browser, written in batches (`graph.neo4j_write`).

Labels and relationship types reach Cypher only from the compiled ontology and only through
`identifier()`; every value travels as a parameter. Each batch is one transaction (the driver's
managed transactions retry transient errors only, for `write_retry_time`); a batch whose endpoints
are missing is rolled back whole, so nothing is half-written.

Reads fail fast instead: they go through a second driver with short connection timeouts and no
retries, carry a server-side timeout, and one still unanswered after `probe_after` seconds probes
the server with `ping`. A server that neither answers the probe nor any other read meanwhile is
silent: the read fails with `BackendUnavailable` within about `probe_after + connect_timeout`
seconds. A slow query on a live (or merely busy) server may run to `read_timeout`.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any, NamedTuple, TypeVar

import neo4j
from neo4j import Driver, GraphDatabase, Query, RoutingControl
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError
from neo4j.graph import Node as GraphNode
from neo4j.graph import Path, Relationship
from neo4j.spatial import Point

from graph.neo4j_write import (
    BatchWriter,
    Job,
    Profile,
    edge_statements,
    memory_message,
    node_statements,
    out_of_memory,
)
from graph.settings import Neo4jSettings
from graph.spatial import POINT_LABELS, location_of
from graph.store import LoadReport, Progress
from ontology.errors import BackendUnavailable, DataError, OntologyError, Problem, WriteRefused
from ontology.names import name_keys, normalise
from ontology.records import Dataset, Edge, Node, Props
from ontology.schema import Schema, load_schema
from ontology.vocab import Derived, Prop


class PagedRead(NamedTuple):
    """A read of many records a page at a time (`Neo4jStore.paged`)."""

    match: str  # a MATCH whose `var` has a root label or a type: its id index gives the order
    where: str  # more conditions ('' for none)
    var: str
    item: str  # what each record gives: 'n.id', '[labels(n), n {.id, .name}]'

    def query(self) -> str:
        """One page: the `$page` records after id `$after`, collected, and the last id."""
        condition = f"{self.var}.id > $after" + (f" AND {self.where}" if self.where else "")
        return (
            f"{self.match} WHERE {condition} WITH {self.var} ORDER BY {self.var}.id LIMIT $page "
            f"RETURN collect({self.item}) AS found, max({self.var}.id) AS last"
        )


def unanswered(uri: str, exc: Exception) -> BackendUnavailable:
    """The error for a read or write the server did not carry out; one that ran out of the server's
    memory says which setting to raise, since retrying it alone cannot help."""
    if out_of_memory(exc):
        return BackendUnavailable(memory_message(uri, exc, "run it again"))
    return BackendUnavailable(f"Neo4j at {uri} does not answer: {exc}")


def identifier(name: str, allowed: set[str] | dict[str, Any]) -> str:
    """Backtick-quote a label or type, after checking the ontology declares it."""
    if name not in allowed:
        raise OntologyError(f"'{name}' is not declared by the ontology")
    return "`" + name.replace("`", "``") + "`"


def declared(name: str, allowed: set[str] | dict[str, Any]) -> str:
    """The name itself, after checking the ontology declares it (the write statements quote it)."""
    identifier(name, allowed)
    return name


PAGE = 20_000  # records per read of `Neo4jStore.paged`
_PLAIN = frozenset({str, int, float, bool, type(None)})


def native(value: Any) -> Any:
    """Driver values -> the loader's Python values (neo4j Date -> datetime.date). Derived properties
    (`ontology.vocab.Derived`: points, folded names) are dropped: they are no part of a record.
    Plain values (most of a row) are passed on before anything else is asked of them."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [v if type(v) in _PLAIN else native(v) for v in value]
    if kind is dict:
        return {
            k: v if type(v) in _PLAIN else native(v)
            for k, v in value.items()
            if k != Derived.NAME_KEYS and not isinstance(v, Point)
        }
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    return _entity(value)


def _entity(value: Any) -> Any:
    """A node, relationship or path a query returned whole, as `Record.data()` gives it: a node as
    its properties, a relationship as (start, type, end), a path as its nodes and types in turn."""
    if isinstance(value, GraphNode):
        return native(dict(value))
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return (
            None if start is None else native(dict(start)),
            value.type,
            None if end is None else native(dict(end)),
        )
    if isinstance(value, Path):
        steps: list[Any] = [native(dict(value.start_node))]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=True):
            steps += [rel.type, native(dict(node))]
        return steps
    return value


def _present(props: dict[str, Any]) -> dict[str, Any]:
    """A map projection's properties without the keys the node does not hold (projected as null)."""
    return {k: v for k, v in props.items() if v is not None}


def _props(raw: dict[str, Any]) -> Props:
    """A row's properties (made plain by `run`) without the id, which the record holds apart."""
    return {k: v for k, v in raw.items() if k != Prop.ID}


T = TypeVar("T")
LUCENE_SPECIAL = re.compile(r'[\\+\-&|!(){}\[\]^"~*?:/\s]')  # escaped in a Lucene query term
COLD_START_S = 30.0  # what `connect` allows a server's first answer (a fresh JVM on a busy machine is slow)


def _in_thread(work: Callable[[], T]) -> Future[T]:
    """Run `work` in a daemon thread of its own, so the caller can stop waiting for a silent server
    (a thread stuck on a dead socket ends when the socket does; it never holds up a later read)."""
    future: Future[T] = Future()

    def target() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(work())
            except BaseException as exc:  # handed to the waiting caller
                future.set_exception(exc)

    threading.Thread(target=target, name="neo4j-read", daemon=True).start()
    return future


_DERIVED_ON_WRITE = (Derived.LOCATION, Derived.NAME_KEYS)  # what node_row derives again, whatever a record holds


def node_row(node: Node) -> dict[str, Any]:
    """The row a node is written from (batched and bulk paths alike): its id and every property
    it is stored with. A property derived from others belongs here, so every path writes it."""
    props = node.props
    stored = {k: v for k, v in props.items() if k not in _DERIVED_ON_WRITE}  # one copy: 10^5s are written
    if (point := location_of(props)) is not None:
        stored[Derived.LOCATION] = point
    if keys := name_keys(props):
        stored[Derived.NAME_KEYS] = keys
    stored[Prop.ID] = node.id
    return {"id": node.id, "props": stored}


def edge_row(edge: Edge) -> dict[str, Any]:
    """The row a relationship is written from: its id, its ends and every property it is stored with."""
    return {"id": edge.id, "source": edge.source, "target": edge.target, "props": {**edge.props, Prop.ID: edge.id}}


class Neo4jStore:
    """A store backed by a Neo4j 5 server (single instance, cluster or Aura)."""

    backend = "neo4j"

    def __init__(self, driver: Driver, settings: Neo4jSettings, schema: Schema | None = None) -> None:
        """Wrap a driver that is already connected (see `connect`); no I/O here."""
        self.driver = driver
        self.settings = settings
        self.schema = schema or load_schema()
        self.roots = {c.label for c in self.schema.classes.values() if not c.parents}
        self._schema_ready = False
        self.write_profiles: list[Profile] | None = None  # a list: every write statement is profiled into it
        self._pinger: Driver | None = None
        self._pinger_lock = threading.Lock()
        self._answered = 0.0  # when a read last had its answer (monotonic clock)
        self.statements = 0  # read statements sent (every read goes through `run`): tests and bench/ count them
        self._counting = threading.Lock()
        auth = (settings.username, settings.checked_password())
        self.reader = GraphDatabase.driver(  # the driver reads go through; opens no connection yet
            settings.uri,
            auth=auth,
            notifications_min_severity="OFF",
            connection_timeout=settings.connect_timeout,
            connection_acquisition_timeout=2 * settings.connect_timeout,
            max_transaction_retry_time=0,  # one attempt: a read that fails is answered 503, not retried
        )

    @classmethod
    def connect(cls, settings: Neo4jSettings | None = None, schema: Schema | None = None) -> Neo4jStore:
        """Open a driver and check the server answers. Raises `BackendUnavailable` if it does not,
        `ConfigurationError` if the password is the placeholder or too short."""
        settings = settings or Neo4jSettings()
        auth = (settings.username, settings.checked_password())
        # Server notifications (e.g. "label does not exist yet") are for query authors, not users.
        driver = GraphDatabase.driver(
            settings.uri,
            auth=auth,
            notifications_min_severity="OFF",
            max_transaction_retry_time=settings.write_retry_time,
        )
        try:
            driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError) as exc:
            driver.close()
            raise BackendUnavailable(f"cannot reach Neo4j at {settings.uri}: {exc}") from exc
        store = cls(driver, settings, schema)
        try:
            # Open the probe's connection now, while a slow first answer (a cold server) is no fault.
            store.ping(COLD_START_S)
        except BackendUnavailable:
            store.close()
            raise
        return store

    # --- reading ------------------------------------------------------------------------------

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """A read query (routed to readers in a cluster) -> rows as dicts.

        Raises `BackendUnavailable` when the server refuses, drops or does not answer the read
        (within about `probe_after + connect_timeout` seconds), or runs it past `read_timeout`."""
        with self._counting:
            self.statements += 1
        return self._await(lambda: self._read(query, params))

    def data_version(self) -> str:
        """The bookmark of a trivial read: it names the last transaction the database committed, so it
        changes with every write, made by chiptrail or anyone else (the Browser, another process).

        Not counted in `statements`: it reads no data. Fails like any read (`BackendUnavailable`)."""
        return self._await(self._bookmark)

    def _bookmark(self) -> str:
        try:
            with self.reader.session(database=self.settings.database, default_access_mode=neo4j.READ_ACCESS) as session:
                session.execute_read(lambda tx: tx.run("RETURN 1").consume())
                self._answered = time.monotonic()
                return ",".join(sorted(session.last_bookmarks().raw_values))
        except (ServiceUnavailable, SessionExpired, TransientError, OSError) as exc:
            raise unanswered(self.settings.uri, exc) from exc

    def _await(self, work: Callable[[], T]) -> T:
        """`work()` in a thread of its own, waited for as a read: see `run`."""
        answer = _in_thread(work)
        try:
            return answer.result(timeout=self.settings.probe_after)
        except FutureTimeout:
            pass
        probed = time.monotonic()
        try:
            self.ping(self.settings.connect_timeout)
        except BackendUnavailable:
            if self._answered < probed:  # nor did any other read answer meanwhile: the server is silent
                raise
            # A busy server answers other reads while the probe waits: slow, not gone; keep waiting.
        try:
            return answer.result(timeout=self.settings.read_timeout)
        except FutureTimeout:
            raise BackendUnavailable(
                f"Neo4j at {self.settings.uri} did not answer a read within {self.settings.read_timeout:g} s"
            ) from None

    def _read(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            records, _, keys = self.reader.execute_query(
                Query(query, timeout=self.settings.read_timeout),
                params,
                routing_=RoutingControl.READ,
                database_=self.settings.database,
            )
            self._answered = time.monotonic()
        except (ServiceUnavailable, SessionExpired, TransientError, OSError) as exc:
            raise unanswered(self.settings.uri, exc) from exc
        except ClientError as exc:
            if exc.code and "TransactionTimedOut" in exc.code:
                raise BackendUnavailable(
                    f"Neo4j at {self.settings.uri} did not finish a read within {self.settings.read_timeout:g} s"
                ) from exc
            raise
        # Not `record.data()`: it walks every value once more before `native` does.
        return [native(dict(zip(keys, record, strict=True))) for record in records]

    def ping(self, timeout: float = 2.0) -> None:
        """`RETURN 1` without retries, given up after `timeout` seconds whatever the server does.

        A separate driver with the settings' short connection timeout, so a probe never waits behind
        the main pool or the retry budget; it reconnects by itself when the server is back.
        """
        with self._pinger_lock:  # reads that wait too long probe from many threads at once
            if self._pinger is None:
                auth = (self.settings.username, self.settings.checked_password())
                limit = self.settings.connect_timeout
                self._pinger = GraphDatabase.driver(
                    self.settings.uri, auth=auth, connection_timeout=limit, connection_acquisition_timeout=limit
                )
            pinger = self._pinger

        def probe() -> None:
            with pinger.session(database=self.settings.database) as session:
                session.run("RETURN 1").consume()

        try:
            _in_thread(probe).result(timeout=timeout)
        except FutureTimeout:
            raise BackendUnavailable(f"Neo4j at {self.settings.uri} did not answer within {timeout:g} s") from None
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise unanswered(self.settings.uri, exc) from exc

    def _any_root(self) -> str:
        return "|".join(identifier(r, self.roots) for r in sorted(self.roots))

    def node_from_row(self, row: dict[str, Any]) -> Node:
        """A node from a row of `labels` and `props` (Neo4j values made plain)."""
        labels = self.schema.closure(tuple(lab for lab in row["labels"] if lab in self.schema.classes))
        return Node(row["props"][Prop.ID], labels, _props(row["props"]))

    def edge_from_row(self, row: dict[str, Any]) -> Edge:
        """A relationship from a row of `type`, `source`, `target` and `props`."""
        return Edge(row["props"][Prop.ID], row["type"], row["source"], row["target"], _props(row["props"]))

    def node(self, node_id: str) -> Node | None:
        rows = self.run(
            f"MATCH (n:{self._any_root()} {{id: $id}}) RETURN labels(n) AS labels, properties(n) AS props", id=node_id
        )
        return self.node_from_row(rows[0]) if rows else None

    def nodes_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        query = f"MATCH (n:{self._any_root()}) WHERE n.id IN $ids RETURN labels(n) AS labels, properties(n) AS props"
        found = [self.node_from_row(row) for row in self.run(query, ids=sorted(set(ids)))]
        return {n.id: n for n in found}

    def named(self, label: str, term: str) -> list[Node]:
        """Seeks through the id constraint and the keyword full-text index on the folded names
        (`name_keys`): the nodes that carry the term, never every node of the label."""
        query = self.named_statement(label)
        phrase = '"' + normalise(term).replace("\\", "\\\\").replace('"', '\\"') + '"'  # one Lucene term
        return [self.node_from_row(row) for row in self.run(query, term=term, phrase=phrase)] if query else []

    def containing(self, label: str, fragment: str) -> list[Node]:
        """A wildcard query on the keyword full-text index `name_keys` (`*fragment*`, every Lucene
        operator character escaped): the nodes one of whose folded names holds the fragment."""
        if not self._root_of(label):
            return []
        query = (
            f"CALL db.index.fulltext.queryNodes('{Derived.NAME_KEYS}', $pattern) YIELD node AS n "
            f"WITH n WHERE n:{identifier(label, self.schema.classes)} "
            "RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id"
        )
        pattern = "*" + LUCENE_SPECIAL.sub(r"\\\g<0>", normalise(fragment)) + "*"
        return [self.node_from_row(row) for row in self.run(query, pattern=pattern)]

    def _root_of(self, label: str) -> str | None:
        """The root label a label lies under, as Cypher writes it (None for a label under no root)."""
        roots = [r for r in self.schema.closure((label,)) if r in self.roots]
        return identifier(roots[0], self.roots) if roots else None

    def named_statement(self, label: str) -> str | None:
        """The statement `named` runs for a label (None for a label under no root)."""
        root = self._root_of(label)
        if root is None:
            return None
        on = identifier(label, self.schema.classes)
        return (
            "CALL () { "
            f"MATCH (n:{root} {{id: $term}}) USING INDEX SEEK n:{root}(id) RETURN n "
            "UNION "
            f"CALL db.index.fulltext.queryNodes('{Derived.NAME_KEYS}', $phrase) YIELD node RETURN node AS n "
            "} "
            f"WITH n WHERE n:{on} "
            "RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id"
        )

    def nodes(self, label: str, *, keys: Sequence[str] | None = None) -> list[Node]:
        if keys is None:
            on = identifier(label, self.schema.classes)
            query = f"MATCH (n:{on}) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id"
            return [self.node_from_row(row) for row in self.run(query)]
        # A few fields of many nodes: a page of them per row, since the driver's cost is per row
        # (measured on 55,000 organisations: 10x faster than a row per node with every property).
        rows = self.paged(self.projection(label, keys))
        return [self.node_from_row({"labels": lab, "props": _present(props)}) for lab, props in rows]

    def projection(self, label: str, keys: Sequence[str]) -> PagedRead:
        """What `nodes(label, keys=…)` pages through: the nodes of the label's root (whose id index
        gives the order) that hold the label, each as [labels, {id and `keys`}]."""
        on, root = identifier(label, self.schema.classes), self._root_of(label)
        if root is None:
            raise OntologyError(f"'{label}' lies under no root label, so no id index orders its nodes")
        fields = ", ".join(f".`{k.replace('`', '``')}`" for k in dict.fromkeys([Prop.ID, *keys]))
        return PagedRead(f"MATCH (n:{root})", "" if root == on else f"n:{on}", "n", f"[labels(n), n {{{fields}}}]")

    def paged(self, read: PagedRead, **params: Any) -> Iterator[Any]:
        """The `item` of every record `read` finds, in id order, a page (`PAGE`) per statement.

        A page is one row holding a list, since the driver's cost is per row; one page at a time,
        since one list of them all fills the server's transaction memory (a 512 MB heap refused
        600,000 organisations' four fields; a page of 20,000 holds about 35 MB). The id index of
        the root label or type `read` matches (a uniqueness constraint's, or a relationship
        type's) gives the order, so the pages together read that index once."""
        query, after = read.query(), ""
        while True:
            (row,) = self.run(query, after=after, page=PAGE, **params)
            yield from row["found"]
            if len(row["found"]) < PAGE:
                return
            after = row["last"]

    def edges(self, rel_type: str, *, source: str | None = None, target: str | None = None) -> list[Edge]:
        rel, any_root = identifier(rel_type, self.schema.relationships), self._any_root()
        a = f"(a:{any_root} {{id: $source}})" if source is not None else "(a)"
        b = f"(b:{any_root} {{id: $target}})" if target is not None else "(b)"
        query = (
            f"MATCH {a}-[r:{rel}]->{b} "
            "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props ORDER BY r.id"
        )
        return [self.edge_from_row(row) for row in self.run(query, source=source, target=target)]

    def counts(self) -> dict[str, int]:
        labels = self.run("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")
        types = self.run("MATCH ()-[r]->() RETURN type(r) AS label, count(*) AS n")
        return dict(sorted((row["label"], row["n"]) for row in [*labels, *types]))

    # --- writing ------------------------------------------------------------------------------

    def setup_schema(self) -> None:
        """Constraints and indexes derived from the ontology; idempotent, run once per store.

        One transaction per group of `schema_groups`: the server fills the new indexes of one
        transaction in one pass over the nodes or the relationships (on an imported 10^6 graph,
        17 s against 21 s for one statement each), and the groups' passes run side by side
        (`graph.neo4j_server` lets four run at once). A constraint's transaction waits until its
        index is filled, so the constraints go last: the indexes are filling by then."""
        if self._schema_ready:
            return
        try:
            with self.driver.session(database=self.settings.database) as session:
                for group in self.schema_groups():
                    session.execute_write(_run_all, group)
        except ServiceUnavailable as exc:
            raise unanswered(self.settings.uri, exc) from exc
        except Neo4jError as exc:
            raise WriteRefused(f"Neo4j refused a schema statement: {exc}") from exc
        self._schema_ready = True

    def schema_statements(self) -> list[str]:
        """The ontology's constraints and indexes as `CREATE … IF NOT EXISTS` statements."""
        return [statement for group in self.schema_groups() for statement in group]

    def schema_groups(self) -> list[list[str]]:
        """The schema statements in the order `setup_schema` runs them, one transaction each:
        the relationship `id` indexes, the full-text indexes, the other node indexes, then the
        node constraints. On an imported 10^7 graph, filled side by side so, they were online in
        54–63 s against 56–76 s for one transaction, whose constraints filled alone first on one
        processor of two (four paired runs; one core idle for 4–10 s of the build, against 10–15)."""
        roots = [(root, identifier(root, self.roots)) for root in sorted(self.roots)]
        relationships = [
            f"CREATE INDEX {rel_type.lower()}_id IF NOT EXISTS FOR ()-[r:{rel}]-() ON (r.id)"
            for rel_type in sorted(self.schema.relationships)
            for rel in [identifier(rel_type, self.schema.relationships)]
        ]
        any_root = self._any_root()
        names = "[n.name, n.aliases, n.name_zh]"
        keyword = "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}"  # each folded name one term
        keys = Derived.NAME_KEYS
        full_text = [
            f"CREATE FULLTEXT INDEX names IF NOT EXISTS FOR (n:{any_root}) ON EACH {names}",
            f"CREATE FULLTEXT INDEX {keys} IF NOT EXISTS FOR (n:{any_root}) ON EACH [n.{keys}] {keyword}",
        ]
        nodes = [
            f"CREATE INDEX {root.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
            for root, label in roots
            for prop in ("name", "dataset")
        ]
        for label in POINT_LABELS:  # radius queries: point.distance(n.location, …) seeks these
            on = identifier(label, self.schema.classes)
            location = f"(n.{Derived.LOCATION})"
            nodes.append(f"CREATE POINT INDEX {label.lower()}_location IF NOT EXISTS FOR (n:{on}) ON {location}")
        constraints = [
            f"CREATE CONSTRAINT {root.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for root, label in roots
        ]
        return [relationships, full_text, nodes, constraints]

    def _writer(self) -> BatchWriter:
        s = self.settings
        writer = BatchWriter(self.driver, s.database, s.uri, s.batch_size, s.write_retry_time)
        writer.profiles = self.write_profiles
        return writer

    def load(self, data: Dataset, *, progress: Progress | None = None) -> LoadReport:
        """Write the dataset: nodes by label set, then edges by type; one transaction per batch.

        Stored records (same id) have their properties replaced; the rest are created. Two loads
        writing the same new ids at the same moment are not serialised (use one loader at a time)."""
        self.setup_schema()
        by_labels: dict[tuple[str, ...], list[Node]] = defaultdict(list)
        for node in data.nodes.values():
            by_labels[node.labels].append(node)
        jobs = [
            Job(node_statements(declared(labels[0], self.roots), self._declared(labels)), partial(map, node_row, nodes))
            for labels, nodes in sorted(by_labels.items())
        ]
        writer = self._writer()
        writer.write(jobs, progress)
        writer.write(self._edge_jobs(data), progress, sessions=self.settings.write_sessions)
        return LoadReport(len(data.nodes), len(data.edges))

    def _declared(self, labels: Iterable[str]) -> list[str]:
        return [declared(label, self.schema.classes) for label in labels]

    def _roots(self, data: Dataset) -> dict[str, str]:
        """The root label of every node an edge of `data` joins: from `data`, else from the database
        (one query for all of them). Raises `DataError` naming the ids found in neither."""
        ends = {end for edge in data.edges.values() for end in (edge.source, edge.target)}
        roots = {i: data.nodes[i].labels[0] for i in ends if i in data.nodes}
        if ends - roots.keys():  # their labels only, not their properties
            query = f"MATCH (n:{self._any_root()}) WHERE n.id IN $ids RETURN n.id AS id, labels(n) AS labels"
            for row in self.run(query, ids=sorted(ends - roots.keys())):
                roots[row["id"]] = self.schema.closure(
                    tuple(lab for lab in row["labels"] if lab in self.schema.classes)
                )[0]
        missing = sorted(ends - roots.keys())
        if missing:
            problems = [Problem(f"no node with id '{i}' in the data or the database", record=i) for i in missing[:20]]
            raise DataError(problems)
        return roots

    def _edge_jobs(self, data: Dataset) -> list[Job]:
        roots = self._roots(data)
        groups: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
        for edge in data.edges.values():
            groups[(edge.type, roots[edge.source], roots[edge.target])].append(edge)
        return [
            Job(
                edge_statements(
                    declared(rel_type, self.schema.relationships),
                    declared(source_root, self.roots),
                    declared(target_root, self.roots),
                ),
                partial(map, edge_row, edges),
            )
            for (rel_type, source_root, target_root), edges in sorted(groups.items())
        ]

    def delete_edges(self, rel_type: str, ids: Iterable[str]) -> int:
        wanted = sorted(set(ids))
        if not wanted:
            return 0
        rel = identifier(rel_type, self.schema.relationships)
        try:
            records, _, _ = self.driver.execute_query(
                f"MATCH ()-[r:{rel}]->() WHERE r.id IN $ids DELETE r RETURN count(*) AS gone",
                {"ids": wanted},
                database_=self.settings.database,
            )
        except ServiceUnavailable as exc:
            raise unanswered(self.settings.uri, exc) from exc
        except Neo4jError as exc:
            raise WriteRefused(f"Neo4j refused a delete: {exc}") from exc
        return int(records[0]["gone"])

    def clear(self) -> None:
        """Delete every node and relationship, in batches (an implicit transaction is required)."""
        with self.driver.session(database=self.settings.database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    def close(self) -> None:
        self.driver.close()
        self.reader.close()
        if self._pinger is not None:
            self._pinger.close()


def _run_all(tx: neo4j.ManagedTransaction, statements: list[str]) -> None:
    for statement in statements:
        tx.run(statement).consume()
