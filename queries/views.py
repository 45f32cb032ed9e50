"""Plain-data (JSON-ready) views of answers. This shape is the stable, documented JSON contract."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.store import GraphStore
from ontology.records import Edge, Node, Value
from ontology.vocab import Prop
from queries.route_screen import route_screen_view
from queries.routes import Lead, Route, RoutesAnswer


def plain(value: Value | None) -> Any:
    """Dates as ISO text; everything else as is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def ref(node: Node | None, node_id: str) -> dict[str, Any]:
    """A node as {id, name}, flagging fictional ones so no output shows them unmarked."""
    out: dict[str, Any] = {"id": node_id, "name": node.props.get(Prop.NAME, node_id) if node else node_id}
    if node and node.props.get(Prop.ILLUSTRATIVE) is True:
        out["illustrative"] = True
    return out


class Viewer:
    """Renders answers, looking each node and source up once."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._nodes: dict[str, Node | None] = {}

    def node(self, node_id: str) -> Node | None:
        if node_id not in self._nodes:
            self._nodes[node_id] = self.store.node(node_id)
        return self._nodes[node_id]

    def prefetch(self, ids: set[str]) -> None:
        """Look up many nodes in one round trip (each answer names dozens of nodes and sources)."""
        wanted = ids - self._nodes.keys()
        found = self.store.nodes_by_id(wanted) if wanted else {}
        self._nodes.update({i: found.get(i) for i in wanted})

    def _prefetch_edges(self, edges: list[Edge]) -> None:
        ids = {i for e in edges for i in (e.source, e.target)}
        ids |= {s for e in edges if isinstance(v := e.props.get(Prop.SOURCES), list) for s in v}
        self.prefetch(ids)

    def ref(self, node_id: str) -> dict[str, Any]:
        return ref(self.node(node_id), node_id)

    def sources(self, ids: Value | None) -> list[dict[str, Any]]:
        out = []
        for source_id in ids if isinstance(ids, list) else []:
            node = self.node(source_id)
            props = node.props if node else {}
            out.append(
                {
                    "id": source_id,
                    **{k: plain(props.get(k)) for k in ("name", "title", "publisher", "url", "published")},
                }
            )
        return out

    def hop(self, edge: Edge) -> dict[str, Any]:
        p = edge.props
        return {
            "from": self.ref(edge.source),
            "to": self.ref(edge.target),
            "type": edge.type,
            "date": plain(p.get(Prop.VALID_FROM)),
            "until": plain(p.get(Prop.VALID_TO)),
            "quantity": p.get(Prop.QUANTITY),
            "confidence": p.get(Prop.CONFIDENCE),
            "illustrative": p.get(Prop.ILLUSTRATIVE) is True,
            "sources": self.sources(p.get(Prop.SOURCES)),
        }

    def route(self, route: Route) -> dict[str, Any]:
        return {
            "chip": self.ref(route.chip.id),
            "destination": self.ref(route.edges[-1].target),
            "length": len(route.edges),
            "weakest_confidence": route.weakest,
            "illustrative": any(e.props.get(Prop.ILLUSTRATIVE) is True for e in route.edges),
            "path": list(route.nodes),
            "hops": [self.hop(e) for e in route.edges],
            "restriction": route.restriction.as_dict() if route.restriction else None,
            **({"screening": route_screen_view(route.screening)} if route.screening else {}),
        }

    def lead(self, lead: Lead) -> dict[str, Any]:
        p = lead.edge.props
        return {
            "site": self.ref(lead.site),
            "chip": self.ref(lead.chip.id),
            "count": p.get(Prop.COUNT),
            "status": p.get(Prop.STATUS),
            "confidence": p.get(Prop.CONFIDENCE),
            "note": p.get(Prop.NOTE),
            "sources": self.sources(p.get(Prop.SOURCES)),
        }

    def entity(self, node: Node) -> dict[str, Any]:
        """A node with its labels, its properties and its sources spelled out."""
        sources = node.props.get(Prop.SOURCES)
        self.prefetch(set(sources) if isinstance(sources, list) else set())
        properties = {k: plain(v) for k, v in sorted(node.props.items())}
        return {
            "id": node.id,
            "labels": list(node.labels),
            "properties": properties,
            "sources": self.sources(node.props.get(Prop.SOURCES)),
        }

    def routes_answer(self, answer: RoutesAnswer) -> dict[str, Any]:
        self._prefetch_edges([e for r in answer.routes for e in r.edges] + [lead.edge for lead in answer.leads])
        return {
            "query": {
                "chip": answer.chip_term,
                "chips": [self.ref(c.id) for c in answer.chips],
                "region": self.ref(answer.region.id),
                "as_of": answer.as_of.isoformat(),
                "max_hops": answer.max_hops,
                "time_respecting": answer.time_respecting,
                **({"screen": True} if answer.screened else {}),
            },
            "routes": [self.route(r) for r in answer.routes],
            "leads": [self.lead(lead) for lead in answer.leads],
            "truncated": answer.truncated,
        }
