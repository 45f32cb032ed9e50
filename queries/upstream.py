"""The upstream supply chain as the graph holds it, and who supplies the largest share of each input.

`SupplyChain.load` reads the supply-chain inputs, their stages, the GOES_INTO / TYPE_OF links and
the PROVIDES edges valid on a date (records an ingest ended are left out), and the export-control
rules that name inputs they cover (`covered_inputs`) with the countries of the bodies that issued
them. Everything is read through the store's plain node and edge lookups, so both backends give
the same answer. `upstream_chokepoints` ranks providers by the share of an input they supply.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.store import GraphStore
from ontology.errors import NotFound
from ontology.names import normalise
from ontology.records import Edge, Node, Props, valid_on
from ontology.vocab import Label, Prop, Rel
from queries.answers import (
    ControlRef,
    SupplyProvider,
    UpstreamAnswer,
    UpstreamChokepoint,
    UpstreamQuery,
)
from queries.views import Viewer

DEFAULT_TOP = 10  # as `chiptrail chokepoints --top`
UNKNOWN = "unknown"


def _live(props: Props, day: dt.date) -> bool:
    return Prop.ENDED_IN not in props and valid_on(props, day)


def _text(node: Node | None, key: str) -> str | None:
    value = node.props.get(key) if node else None
    return str(value) if value is not None else None


@dataclass
class Rule:
    node: Node
    countries: list[str]
    terms: list[str]


@dataclass
class SupplyChain:
    """The supply-chain part of the graph on one day."""

    day: dt.date
    inputs: dict[str, Node] = field(default_factory=dict)
    stages: dict[str, Node] = field(default_factory=dict)
    goes_into: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    fed_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    parents: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    kinds: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    in_stage: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    provides: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    providers: dict[str, Node] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, store: GraphStore, day: dt.date) -> SupplyChain:
        chain = cls(day)
        chain.inputs = {n.id: n for n in store.nodes(Label.SUPPLY_INPUT) if _live(n.props, day)}
        chain.stages = {n.id: n for n in store.nodes(Label.SUPPLY_STAGE) if _live(n.props, day)}
        for edge in chain._edges(store, Rel.GOES_INTO):
            chain.goes_into[edge.source].append(edge.target)
            chain.fed_by[edge.target].append(edge.source)
        for edge in chain._edges(store, Rel.TYPE_OF):
            chain.parents[edge.source].append(edge.target)
            chain.kinds[edge.target].append(edge.source)
        for edge in chain._edges(store, Rel.IN_STAGE):
            if edge.target in chain.stages:
                chain.in_stage[edge.source].append(edge.target)
        provided = chain._edges(store, Rel.PROVIDES)
        for edge in provided:
            chain.provides[edge.target].append(edge)
        chain.providers = store.nodes_by_id({e.source for e in provided})
        chain.rules = _rules(store, day)
        chain.licences = _licences(store, [*chain.inputs.values(), *provided])
        return chain

    def _edges(self, store: GraphStore, rel: str) -> list[Edge]:
        return sorted(
            (e for e in store.edges(rel) if _live(e.props, self.day) and e.target in self.inputs | self.stages),
            key=lambda e: e.id,
        )

    def stage_of(self, input_id: str) -> Node | None:
        ids = sorted(self.in_stage.get(input_id, []), key=lambda s: str(self.stages[s].props.get(Prop.RECORD_KEY, s)))
        return self.stages[ids[0]] if ids else None

    def ancestors(self, input_id: str) -> list[str]:
        """The input and every input it is a kind of (TYPE_OF, transitively), nearest first."""
        found, frontier = [input_id], [input_id]
        while frontier:
            frontier = [p for i in frontier for p in self.parents.get(i, []) if p not in found]
            found.extend(dict.fromkeys(frontier))
        return found

    def controls(self, input_id: str) -> list[tuple[Rule, str]]:
        """The rules covering the input or a kind it belongs to, with the term that matched."""
        names: dict[str, str] = {}
        for one in self.ancestors(input_id):
            node = self.inputs.get(one)
            if node is None:
                continue
            for value in (node.id, node.props.get(Prop.RECORD_KEY), node.props.get(Prop.NAME)):
                if isinstance(value, str):
                    names.setdefault(normalise(value), str(node.props.get(Prop.NAME, one)))
        found = []
        for rule in self.rules:
            hit = next((names[normalise(t)] for t in rule.terms if normalise(t) in names), None)
            if hit is not None:
                found.append((rule, hit))
        return found

    def country_of(self, node: Node | None) -> str | None:
        if node is None:
            return None
        code = node.props.get(Prop.ISO3166) if Label.COUNTRY in node.labels else node.props.get(Prop.COUNTRY)
        return str(code) if code else None

    def single_provider(self, input_id: str) -> bool:
        """Exactly one provider is named: one organisation (its own country may be named too), or,
        where no organisation is, one country; never where the input's note names other providers."""
        if Prop.NOTE in self.inputs[input_id].props and "not one provider" in str(
            self.inputs[input_id].props[Prop.NOTE]
        ):
            return False
        edges = self.provides.get(input_id, [])
        orgs = {e.source for e in edges if Label.ORGANIZATION in self._labels(e.source)}
        countries = {e.source for e in edges} - orgs
        if not orgs:
            return len(countries) == 1
        homes = {self.country_of(self.providers.get(o)) for o in orgs}
        return len(orgs) == 1 and all(self.country_of(self.providers.get(c)) in homes for c in countries)

    def _labels(self, node_id: str) -> tuple[str, ...]:
        node = self.providers.get(node_id)
        return node.labels if node else ()


def _rules(store: GraphStore, day: dt.date) -> list[Rule]:
    rules = [n for n in store.nodes(Label.EXPORT_CONTROL_RULE) if n.props.get(Prop.COVERED_INPUTS)]
    found = []
    for rule in sorted(rules, key=lambda n: n.id):
        if not valid_on(rule.props, day):
            continue
        issuers = store.nodes_by_id(e.target for e in store.edges(Rel.ISSUED_BY, source=rule.id))
        countries = sorted({str(n.props[Prop.COUNTRY]) for n in issuers.values() if n.props.get(Prop.COUNTRY)})
        terms = rule.props.get(Prop.COVERED_INPUTS)
        found.append(Rule(rule, countries, [str(t) for t in terms] if isinstance(terms, list) else []))
    return found


def _licences(store: GraphStore, records: Iterable[Node | Edge]) -> list[str]:
    cited = {s for r in records for s in _listed(r.props.get(Prop.SOURCES))}
    held = store.nodes_by_id(cited)
    return sorted({str(n.props[Prop.LICENCE]) for n in held.values() if n.props.get(Prop.LICENCE)})


def _listed(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def share_text(value: float | None) -> str:
    return f"{value:g}%" if value is not None else UNKNOWN


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def control_ref(viewer: Viewer, rule: Rule, term: str) -> ControlRef:
    return ControlRef(
        rule=viewer.ref(rule.node.id),
        citation=_text(rule.node, Prop.CITATION),
        issuing_countries=rule.countries,
        covers=term,
        sources=viewer.sources(rule.node.props.get(Prop.SOURCES)),
    )


def provider_view(chain: SupplyChain, viewer: Viewer, edge: Edge) -> SupplyProvider:
    """One PROVIDES edge as a provider line: share, year, the source's words, and export controls."""
    node = chain.providers.get(edge.source)
    country = chain.country_of(node)
    figure = _number(edge.props.get(Prop.SHARE))
    covering = [(r, t) for r, t in chain.controls(edge.target) if country and country in r.countries]
    negligible = edge.props.get(Prop.NEGLIGIBLE_SHARE)
    year = edge.props.get(Prop.YEAR)
    return SupplyProvider(
        provider=viewer.ref(edge.source),
        kind="country" if node is not None and Label.COUNTRY in node.labels else "organization",
        country=country,
        share=figure,
        share_text=share_text(figure),
        negligible=negligible if isinstance(negligible, bool) else None,
        year=year if isinstance(year, int) else None,
        source_text=_text_of(edge, Prop.SOURCE_TEXT),
        export_control="covered" if covering else UNKNOWN,
        rules=[control_ref(viewer, r, t) for r, t in covering],
        sources=viewer.sources(edge.props.get(Prop.SOURCES)),
    )


def _text_of(edge: Edge, key: str) -> str | None:
    value = edge.props.get(key)
    return str(value) if value is not None else None


def ranked(chain: SupplyChain, edges: Iterable[Edge]) -> list[Edge]:
    """Organisations before countries; highest share first, unknown shares last; then by name."""

    def key(edge: Edge) -> tuple[bool, float, str, str]:
        node = chain.providers.get(edge.source)
        figure = _number(edge.props.get(Prop.SHARE))
        name = _text(node, Prop.NAME) or edge.source
        country = node is not None and Label.COUNTRY in node.labels
        return (country, -(figure if figure is not None else -1.0), name.casefold(), edge.id)

    return sorted(edges, key=key)


def _matching_inputs(chain: SupplyChain, stage: str | None, term: str | None) -> list[Node]:
    inputs = list(chain.inputs.values())
    if term is not None:
        wanted = normalise(term)
        names = (Prop.NAME, Prop.RECORD_KEY)
        inputs = [n for n in inputs if wanted in {normalise(str(n.props.get(k, ""))) for k in names} | {n.id}]
        if not inputs:
            raise NotFound("input", term, sorted(str(n.props.get(Prop.NAME)) for n in chain.inputs.values())[:5])
    if stage is not None:
        wanted = normalise(stage)
        inputs = [n for n in inputs if (s := chain.stage_of(n.id)) is not None and _stage_matches(s, wanted)]
    return inputs


def _stage_matches(stage: Node, wanted: str) -> bool:
    name = normalise(str(stage.props.get(Prop.NAME, "")))
    return wanted in (name, normalise(str(stage.props.get(Prop.RECORD_KEY, "")))) or name.startswith(wanted)


def upstream_chokepoints(
    store: GraphStore,
    *,
    stage: str | None = None,
    input_name: str | None = None,
    as_of: dt.date | None = None,
    top: int = DEFAULT_TOP,
) -> UpstreamAnswer:
    """Providers ranked by the share of an input they supply (single-provider inputs first among
    equal shares), optionally within one stage or for one input."""
    day = as_of or dt.date.today()
    chain = SupplyChain.load(store, day)
    inputs = _matching_inputs(chain, stage, input_name)
    viewer = Viewer(store)
    lines: list[UpstreamChokepoint] = []
    for node in inputs:
        single = chain.single_provider(node.id)
        stage_node = chain.stage_of(node.id)
        for edge in chain.provides.get(node.id, []):
            line = provider_view(chain, viewer, edge)
            lines.append(
                UpstreamChokepoint(
                    provider=line.provider,
                    kind=line.kind,
                    country=line.country,
                    input=viewer.ref(node.id),
                    stage=_text(stage_node, Prop.NAME),
                    share=line.share,
                    share_text=line.share_text,
                    single_provider=single,
                    year=line.year,
                    source_text=line.source_text,
                    sources=line.sources,
                )
            )
    lines.sort(
        key=lambda c: (
            -(c.share if c.share is not None else -1.0),
            not c.single_provider,
            c.input.name or "",
            c.provider.name or "",
        )
    )
    single_names = sorted(str(n.props.get(Prop.NAME)) for n in inputs if chain.single_provider(n.id))
    return UpstreamAnswer(
        query=UpstreamQuery(stage=stage, input=input_name, as_of=day.isoformat(), top=top),
        inputs=len(inputs),
        single_provider_inputs=single_names,
        chokepoints=lines[:top],
        licences=chain.licences,
    )
