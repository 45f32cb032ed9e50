"""The embedded backend: the whole graph in Python dicts, no server needed.

Each node keeps its out- and in-relationships in id order (the adjacency every walk reads), and
repeated values (labels, property keys, types, dataset names, dates) are held once. Every write
bumps `version`; work derived from the data (region sites, parsed rules) is memoised against it
with `memo`, so a write is seen by the next read.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TypeVar, cast

from graph.spatial import PointIndex, coordinates
from graph.store import LoadReport, Progress, sorted_by_id
from ontology.names import name_keys, normalise
from ontology.records import Dataset, Edge, Node, Props, Value

T = TypeVar("T")
MEMO_LIMIT = 20_000
_NO_EDGES: tuple[Edge, ...] = ()


def _drained(records: dict[str, T]) -> Iterator[T]:
    """The records in order, each taken out of `records` as it is given."""
    for key in list(records):
        yield records.pop(key)


class KeptPerVersion:
    """Values derived from the data, kept for one data version at a time (at most `MEMO_LIMIT`: keys
    that carry a date or a term keep it bounded), each computed by one caller at a time: a caller
    that finds its value being computed waits for it and looks again (a table of every name built
    at start-up is not built a second time by the first search that arrives meanwhile)."""

    def __init__(self) -> None:
        self._kept: tuple[Hashable, dict[Hashable, object]] = (None, {})  # replaced whole, read without the lock
        self._lock = threading.Lock()
        self._running: dict[Hashable, threading.Event] = {}

    def __len__(self) -> int:
        return len(self._kept[1])

    def drop(self) -> None:
        """Let every kept value go (the data changed)."""
        with self._lock:
            self._kept = (None, {})

    def get(
        self, version: Hashable, key: Hashable, compute: Callable[[], T], current: Callable[[], Hashable] | None = None
    ) -> T:
        """`compute()`'s value, kept under `version`; not kept if `current()`, the data version once it
        is computed, is another (a write ran meanwhile)."""
        running_key = (version, key)
        while True:
            kept_version, kept = self._kept
            if kept_version == version and key in kept:
                return cast(T, kept[key])
            with self._lock:
                running = self._running.get(running_key)
                mine = running is None
                if running is None:
                    running = self._running[running_key] = threading.Event()
            if not mine:
                running.wait()
                continue  # kept by the caller that computed it, unless a write came between
            try:
                return self._keep(version, key, compute(), current)
            finally:
                with self._lock:
                    del self._running[running_key]
                running.set()

    def _keep(self, version: Hashable, key: Hashable, value: T, current: Callable[[], Hashable] | None) -> T:
        with self._lock:
            if current is None or current() == version:
                kept_version, kept = self._kept
                if kept_version != version or len(kept) >= MEMO_LIMIT:  # another version: the old values go
                    kept = {}
                    self._kept = (version, kept)
                kept[key] = value
        return value


class _Interner:
    """One copy of each repeated value: strings, dates, tuples of labels, lists of strings by content;
    and property keys held once per kind of record (`props`)."""

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._holders: dict[Hashable, type] = {}

    def value(self, value: Value) -> Value:
        if isinstance(value, str):
            return sys.intern(value) if len(value) <= 64 else value
        if isinstance(value, dt.date):
            return cast(dt.date, self._values.setdefault(value, value))
        if isinstance(value, list):
            # Lists are shared between records (read-only by contract: nothing writes through a store's props).
            try:
                key = ("list", *value)
                found = self._values.get(key)
            except TypeError:  # an unhashable item: kept as it is
                return list(value)
            if found is None:
                found = self._values[key] = [self.value(v) for v in value]
            return cast(list[str], found)
        return value

    def props(self, props: Props, kind: Hashable) -> Props:
        """The properties in a dict whose keys are shared by every record of the same kind (a relationship
        type, a node's labels): Python's split-table instance dicts, each record holding only its values
        (about half the memory of a dict of its own; reads, equality and copies as any dict)."""
        if any(k.startswith("__") for k in props):  # not an attribute name an object may take
            return {sys.intern(k): self.value(v) for k, v in props.items()}
        holder = self._holders.get(kind)
        if holder is None:
            holder = self._holders[kind] = type("Properties", (), {"__module__": __name__})
        record = holder()
        for key, value in props.items():
            setattr(record, sys.intern(key), self.value(value))
        return cast(Props, record.__dict__)

    def labels(self, labels: tuple[str, ...]) -> tuple[str, ...]:
        return cast(tuple[str, ...], self._values.setdefault(("labels", *labels), tuple(map(sys.intern, labels))))


class MemoryStore:
    """In-process store for the command line, tests and the API; ~10^6 edges in about a gigabyte."""

    backend = "memory"

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._edges: dict[str, Edge] = {}
        self._out: dict[str, list[Edge]] = {}
        self._in: dict[str, list[Edge]] = {}
        self._unsorted: set[str] = set()  # nodes whose adjacency lists need sorting by edge id
        self._intern = _Interner()
        self._memo = KeptPerVersion()
        self._lock = threading.Lock()
        self.version = 0  # bumped by every change: derived indexes are built once per version
        self._points: dict[str, tuple[int, PointIndex]] = {}

    # --- writes: each one bumps the version ---------------------------------------------------

    def _bump(self) -> None:
        with self._lock:
            self.version += 1
        self._memo.drop()

    def load(self, data: Dataset, *, progress: Progress | None = None, consume: bool = False) -> LoadReport:
        """Store the dataset's records. With `consume`, each record is taken out of `data` as it is
        stored, so the caller's copy is freed as the store fills (the peak is the store's, not the
        store's and the dataset's); `data` is then left empty."""
        report = LoadReport(len(data.nodes), len(data.edges))
        self._bump()
        try:
            for node in _drained(data.nodes) if consume else data.nodes.values():
                self._put_node(node)
            if progress:
                progress(report.nodes)
            for edge in _drained(data.edges) if consume else data.edges.values():
                self._put_edge(edge)
            if progress:
                progress(report.edges)
            self._sorted()
        finally:
            self._bump()
        return report

    def _put_node(self, node: Node) -> None:
        previous = self._nodes.get(node.id)
        labels = tuple(sorted(set(node.labels) | set(previous.labels))) if previous else node.labels
        node_id = sys.intern(node.id)
        labels = self._intern.labels(labels)
        self._nodes[node_id] = Node(node_id, labels, self._intern.props(node.props, labels))

    def _put_edge(self, edge: Edge) -> None:
        previous = self._edges.get(edge.id)
        if previous is not None:
            self._unlink(previous)
        source, target = sys.intern(edge.source), sys.intern(edge.target)
        rel_type = sys.intern(edge.type)
        stored = Edge(edge.id, rel_type, source, target, self._intern.props(edge.props, rel_type))
        self._edges[edge.id] = stored
        self._out.setdefault(source, []).append(stored)
        self._in.setdefault(target, []).append(stored)
        self._unsorted.update((source, target))

    def _unlink(self, edge: Edge) -> None:
        for side, end in ((self._out, edge.source), (self._in, edge.target)):
            found = side.get(end)
            if found is not None:
                found[:] = [e for e in found if e.id != edge.id]

    def delete_edges(self, rel_type: str, ids: Iterable[str]) -> int:
        self._bump()
        gone = 0
        try:
            for edge_id in ids:
                edge = self._edges.get(edge_id)
                if edge is not None and edge.type == rel_type:
                    del self._edges[edge_id]
                    self._unlink(edge)
                    gone += 1
        finally:
            self._bump()
        return gone

    def clear(self) -> None:
        self._bump()
        self._nodes.clear()
        self._edges.clear()
        self._out.clear()
        self._in.clear()
        self._unsorted.clear()
        self._intern = _Interner()
        self._bump()

    # --- derived work, once per version ---------------------------------------------------------

    def data_version(self) -> int:
        """This store's version: every write in this process bumps it."""
        return self.version

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per data version: the value is dropped by the next write. A value computed
        while a write ran is returned but not kept. Callers of a value being computed wait for it."""
        return self._memo.get(self.version, key, compute, current=self.data_version)

    # --- reads ----------------------------------------------------------------------------------

    def _sorted(self) -> None:
        """Sort the adjacency lists touched since the last read (edge id order, as `edges` answers)."""
        if not self._unsorted:
            return
        with self._lock:
            for node_id in self._unsorted:
                for side in (self._out, self._in):
                    found = side.get(node_id)
                    if found is not None:
                        found.sort(key=lambda e: e.id)
            self._unsorted.clear()

    def out_edges(self, node_id: str) -> list[Edge] | tuple[Edge, ...]:
        """Every relationship out of a node, in id order (the list itself: do not change it)."""
        self._sorted()
        return self._out.get(node_id, _NO_EDGES)

    def in_edges(self, node_id: str) -> list[Edge] | tuple[Edge, ...]:
        """Every relationship into a node, in id order (the list itself: do not change it)."""
        self._sorted()
        return self._in.get(node_id, _NO_EDGES)

    def counts(self) -> dict[str, int]:
        found: Counter[str] = Counter(label for node in self._nodes.values() for label in node.labels)
        found.update(edge.type for edge in self._edges.values())
        return dict(sorted(found.items()))

    def node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def nodes_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        return {i: self._nodes[i] for i in ids if i in self._nodes}

    def nodes(self, label: str, *, keys: Sequence[str] | None = None) -> list[Node]:
        every = self.memo(("label", label), lambda: self._labelled(label))
        if keys is None:
            return list(every)
        return [Node(n.id, n.labels, {k: n.props[k] for k in keys if k in n.props}) for n in every]

    def named(self, label: str, term: str) -> list[Node]:
        by_key = self.memo(("named", label), lambda: self._by_name_key(label))
        found = {n.id: n for n in by_key.get(normalise(term), ())}
        if (node := self._nodes.get(term)) is not None and label in node.labels:
            found[node.id] = node
        return sorted_by_id(found.values())

    def containing(self, label: str, fragment: str) -> list[Node]:
        by_key = self.memo(("named", label), lambda: self._by_name_key(label))
        wanted = normalise(fragment)
        return sorted_by_id({n.id: n for key, nodes in by_key.items() if wanted in key for n in nodes}.values())

    def _by_name_key(self, label: str) -> dict[str, list[Node]]:
        """The nodes of a label by each of their folded names (once per data version)."""
        found: dict[str, list[Node]] = {}
        for node in self.nodes(label):
            for key in name_keys(node.props):
                found.setdefault(key, []).append(node)
        return found

    def _labelled(self, label: str) -> tuple[Node, ...]:
        return tuple(sorted_by_id(n for n in self._nodes.values() if label in n.labels))

    def edges(self, rel_type: str, *, source: str | None = None, target: str | None = None) -> list[Edge]:
        if source is not None:
            return [e for e in self.out_edges(source) if e.type == rel_type and target in (None, e.target)]
        if target is not None:
            return [e for e in self.in_edges(target) if e.type == rel_type]
        return sorted((e for e in self._edges.values() if e.type == rel_type), key=lambda e: e.id)

    def all_nodes(self) -> list[Node]:
        """Every node, in load order."""
        return list(self._nodes.values())

    def all_edges(self) -> list[Edge]:
        """Every relationship, in load order."""
        return list(self._edges.values())

    def all_edges_of(self, node_id: str) -> list[Edge]:
        """Every relationship into or out of a node, sorted by id."""
        found = {e.id: e for e in self.out_edges(node_id)}
        found.update((e.id, e) for e in self.in_edges(node_id))
        return sorted(found.values(), key=lambda e: e.id)

    def point_index(self, label: str) -> PointIndex:
        """The nodes with the label that carry coordinates, spatially indexed (built on first use
        after each change)."""
        built = self._points.get(label)
        if built is None or built[0] != self.version:
            found = ((n.id, c) for n in self._nodes.values() if label in n.labels and (c := coordinates(n.props)))
            built = (self.version, PointIndex(found))
            self._points[label] = built
        return built[1]

    def ping(self, timeout: float = 2.0) -> None:
        """In process: always answers."""

    def close(self) -> None:
        """Nothing to release."""
