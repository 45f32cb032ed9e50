"""The embedded backend: the whole graph in a networkx MultiDiGraph, no server needed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import networkx as nx

from graph.store import SITE_LABELS, LoadReport, Progress, carries, sorted_by_id, valid_on
from loaders.records import Dataset, Edge, Node
from ontology.vocab import ORIGIN_RELS, Rel


class MemoryStore:
    """In-process store for the command line and tests; up to ~10^6 edges on a laptop."""

    backend = "memory"

    def __init__(self) -> None:
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self._nodes: dict[str, Node] = {}
        self._edges: dict[str, Edge] = {}

    def load(self, data: Dataset, *, progress: Progress | None = None) -> LoadReport:
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

    def places_within(self, place_id: str) -> set[str]:
        found, todo = {place_id}, [place_id]
        while todo:
            for edge in self.edges(Rel.PART_OF, target=todo.pop()):
                if edge.source not in found:
                    found.add(edge.source)
                    todo.append(edge.source)
        return found

    def sites_within(self, region_id: str) -> set[str]:
        places = self.places_within(region_id)
        return {
            e.source
            for place in places
            for e in self.edges(Rel.LOCATED_IN, target=place)
            if any(lab in self._nodes[e.source].labels for lab in SITE_LABELS)
        }

    def supply_paths(
        self, chip_id: str, region_id: str, max_hops: int, as_of: dt.date | None
    ) -> list[tuple[Edge, ...]]:
        origins = sorted({e.source for rel in ORIGIN_RELS for e in self.edges(rel, target=chip_id)})
        sites = self.sites_within(region_id)
        usable = [
            e
            for e in self._edges.values()
            if e.type == Rel.SUPPLIES and carries(e, chip_id) and valid_on(e.props, as_of)
        ]
        out: dict[str, list[Edge]] = {}
        for edge in sorted(usable, key=lambda e: e.id):
            out.setdefault(edge.source, []).append(edge)
        paths: list[tuple[Edge, ...]] = []
        for origin in origins:
            self._walk(origin, (), {origin}, out, sites, max_hops, paths)
        return paths

    def _walk(
        self,
        here: str,
        path: tuple[Edge, ...],
        seen: set[str],
        out: dict[str, list[Edge]],
        sites: set[str],
        max_hops: int,
        paths: list[tuple[Edge, ...]],
    ) -> None:
        """Depth-first search over node-simple paths, recording each that reaches a site."""
        if len(path) == max_hops:
            return
        for edge in out.get(here, []):
            if edge.target in seen:
                continue
            step = (*path, edge)
            if edge.target in sites:
                paths.append(step)
            self._walk(edge.target, step, seen | {edge.target}, out, sites, max_hops, paths)

    def close(self) -> None:
        """Nothing to release."""
