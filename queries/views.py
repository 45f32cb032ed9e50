"""Build the answer models (`queries.answers`) from what the queries found: the stable JSON contract."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.store import GraphStore
from ontology.records import Edge, Node, Value
from ontology.vocab import Prop
from queries.answers import Entity, Hop, Lead, Ref, Restriction, RoutesAnswer, RoutesQuery, RuleFinding, SourceRef
from queries.answers import Route as RouteOut
from queries.restrictions import Decision, Finding
from queries.roles import role_of
from queries.route_screen import route_screen_view
from queries.routes import Lead as FoundLead
from queries.routes import Route, RouteSearch

SOURCE_FIELDS = ("name", "title", "publisher", "url", "published")


def plain(value: Value | None) -> Any:
    """Dates as ISO text; everything else as is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def json_ready(value: Any) -> Any:
    """Dates as ISO text at any depth of lists and mappings (named-query rows)."""
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    return plain(value)


def _text(value: Value | None) -> str | None:
    return None if value is None else str(plain(value))


def _whole(value: Value | None) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def ref(node: Node | None, node_id: str) -> Ref:
    """A node as {id, name, role}, flagging fictional ones so no output shows them unmarked."""
    name = node.props.get(Prop.NAME, node_id) if node else node_id
    fictional = bool(node and node.props.get(Prop.ILLUSTRATIVE) is True)
    role = role_of(node.labels).key if node else None
    return Ref(id=node_id, name=str(name), illustrative=True if fictional else None, role=role)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def finding_view(finding: Finding) -> RuleFinding:
    rule = finding.rule
    return RuleFinding(
        id=rule.id,
        name=rule.name,
        citation=rule.citation,
        effect=rule.effect,
        valid_from=_iso(rule.valid_from),
        valid_to=_iso(rule.valid_to),
        outcome=finding.outcome,
        classification=finding.classification,
        reason=finding.reason,
    )


def restriction_view(decision: Decision) -> Restriction:
    """A restriction decision with the rules, citations and numbers that made it."""
    name = decision.chip.props.get(Prop.NAME)
    return Restriction(
        chip=Ref(id=decision.chip.id, name=str(name) if name is not None else None),
        destination=decision.destination,
        as_of=decision.as_of.isoformat(),
        restricted=decision.restricted,
        status=decision.status,
        license_policy=decision.license_policy,
        metrics=decision.metrics,
        rules=[finding_view(f) for f in decision.findings],
        explanation=decision.explanation,
    )


class Viewer:
    """Builds answers, looking each node and source up once."""

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

    def ref(self, node_id: str) -> Ref:
        return ref(self.node(node_id), node_id)

    def sources(self, ids: Value | None) -> list[SourceRef]:
        out = []
        for source_id in ids if isinstance(ids, list) else []:
            node = self.node(source_id)
            props = node.props if node else {}
            out.append(SourceRef(id=source_id, **{k: plain(props.get(k)) for k in SOURCE_FIELDS}))
        return out

    def hop(self, edge: Edge) -> Hop:
        p = edge.props
        return Hop(
            from_=self.ref(edge.source),
            to=self.ref(edge.target),
            type=edge.type,
            date=_text(p.get(Prop.VALID_FROM)),
            until=_text(p.get(Prop.VALID_TO)),
            quantity=_whole(p.get(Prop.QUANTITY)),
            confidence=_text(p.get(Prop.CONFIDENCE)),
            illustrative=p.get(Prop.ILLUSTRATIVE) is True,
            sources=self.sources(p.get(Prop.SOURCES)),
        )

    def route(self, route: Route) -> RouteOut:
        return RouteOut(
            chip=self.ref(route.chip.id),
            destination=self.ref(route.edges[-1].target),
            length=len(route.edges),
            weakest_confidence=route.weakest,
            illustrative=any(e.props.get(Prop.ILLUSTRATIVE) is True for e in route.edges),
            path=list(route.nodes),
            hops=[self.hop(e) for e in route.edges],
            restriction=restriction_view(route.restriction) if route.restriction else None,
            screening=route_screen_view(route.screening) if route.screening else None,
        )

    def lead(self, lead: FoundLead) -> Lead:
        p = lead.edge.props
        return Lead(
            site=self.ref(lead.site),
            chip=self.ref(lead.chip.id),
            count=_whole(p.get(Prop.COUNT)),
            status=_text(p.get(Prop.STATUS)),
            confidence=_text(p.get(Prop.CONFIDENCE)),
            note=_text(p.get(Prop.NOTE)),
            sources=self.sources(p.get(Prop.SOURCES)),
        )

    def entity(self, node: Node) -> Entity:
        """A node with its labels, its properties and its sources spelled out."""
        sources = node.props.get(Prop.SOURCES)
        self.prefetch(set(sources) if isinstance(sources, list) else set())
        return Entity(
            id=node.id,
            labels=list(node.labels),
            properties={k: plain(v) for k, v in sorted(node.props.items())},
            sources=self.sources(sources),
        )

    def routes_answer(self, answer: RouteSearch) -> RoutesAnswer:
        if answer.view is not None and answer.view is not self.store:  # read from the answer's sub-graph
            return Viewer(answer.view).routes_answer(answer)
        self._prefetch_edges([e for r in answer.routes for e in r.edges] + [lead.edge for lead in answer.leads])
        query = RoutesQuery(
            chip=answer.chip_term,
            chips=[self.ref(c.id) for c in answer.chips],
            region=self.ref(answer.region.id),
            as_of=answer.as_of.isoformat(),
            max_hops=answer.max_hops,
            time_respecting=answer.time_respecting,
            screen=True if answer.screened else None,
        )
        routes = [self.route(r) for r in answer.routes]
        leads = [self.lead(lead) for lead in answer.leads]
        return RoutesAnswer(query=query, routes=routes, leads=leads, truncated=answer.truncated)
