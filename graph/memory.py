"""The embedded backend: the whole graph in a networkx MultiDiGraph, no server needed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from graph.spatial import PointIndex, coordinates
from graph.store import LoadReport, Progress, sorted_by_id
from ontology.records import Dataset, Edge, Node


class MemoryStore:
    """In-process store for the command line and tests; up to ~10^6 edges on a laptop."""

    backend = "memory"

    def __init__(self) -> None:
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self._nodes: dict[str, Node] = {}
        self._edges: dict[str, Edge] = {}
        self.version = 0  # bumped by every change: derived indexes are built once per version
        self._points: dict[str, tuple[int, PointIndex]] = {}

    def load(self, data: Dataset, *, progress: Progress | None = None) -> LoadReport:
        self.version += 1
        for node in data.nodes.values():
            previous = self._nodes.get(node.id)
            labels = tuple(sorted(set(node.labels) | set(previous.labels))) if previous else node.labels
            self._nodes[node.id] = Node(node.id, labels, dict(node.props))
            self.graph.add_node(node.id)
        if progress:
            progress(len(data.nodes))
        for edge in data.edges.values():
            self._edges[edge.id] = Edge(edge.id, edge.type, edge.source, edge.target, dict(edge.props))
            self.graph.add_edge(edge.source, edge.target, key=edge.id)
        if progress:
            progress(len(data.edges))
        return LoadReport(len(data.nodes), len(data.edges))

    def counts(self) -> dict[str, int]:
        found: Counter[str] = Counter(label for node in self._nodes.values() for label in node.labels)
        found.update(edge.type for edge in self._edges.values())
        return dict(sorted(found.items()))

    def node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def nodes_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        return {i: self._nodes[i] for i in ids if i in self._nodes}

    def nodes(self, label: str) -> list[Node]:
        return sorted_by_id(n for n in self._nodes.values() if label in n.labels)

    def edges(self, rel_type: str, *, source: str | None = None, target: str | None = None) -> list[Edge]:
        if source is not None:
            keys = [k for _, _, k in self.graph.out_edges(source, keys=True)] if source in self.graph else []
        elif target is not None:
            keys = [k for _, _, k in self.graph.in_edges(target, keys=True)] if target in self.graph else []
        else:
            keys = list(self._edges)
        found = (self._edges[k] for k in keys)
        return sorted(
            (e for e in found if e.type == rel_type and target in (None, e.target)),
            key=lambda e: e.id,
        )

    def all_nodes(self) -> list[Node]:
        """Every node, in load order."""
        return list(self._nodes.values())

    def all_edges(self) -> list[Edge]:
        """Every relationship, in load order."""
        return list(self._edges.values())

    def all_edges_of(self, node_id: str) -> list[Edge]:
        """Every relationship into or out of a node, sorted by id."""
        if node_id not in self.graph:
            return []
        keys = {k for _, _, k in self.graph.out_edges(node_id, keys=True)}
        keys |= {k for _, _, k in self.graph.in_edges(node_id, keys=True)}
        return sorted((self._edges[k] for k in keys), key=lambda e: e.id)

    def point_index(self, label: str) -> PointIndex:
        """The nodes with the label that carry coordinates, spatially indexed (built on first use
        after each change)."""
        built = self._points.get(label)
        if built is None or built[0] != self.version:
            found = ((n.id, c) for n in self._nodes.values() if label in n.labels and (c := coordinates(n.props)))
            built = (self.version, PointIndex(found))
            self._points[label] = built
        return built[1]

    def delete_edges(self, rel_type: str, ids: Iterable[str]) -> int:
        gone = 0
        for edge_id in ids:
            edge = self._edges.get(edge_id)
            if edge is not None and edge.type == rel_type:
                del self._edges[edge_id]
                self.graph.remove_edge(edge.source, edge.target, key=edge_id)
                gone += 1
        return gone

    def ping(self, timeout: float = 2.0) -> None:
        """In process: always answers."""

    def clear(self) -> None:
        self.version += 1
        self.graph.clear()
        self._nodes.clear()
        self._edges.clear()

    def close(self) -> None:
        """Nothing to release."""
