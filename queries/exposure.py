"""Compute-weighted exposure: how much compute reaches a region, by chip model and by confidence.

For every chip model and every site in the region: the chips a reported deployment counts there
(DEPLOYS, valid on the date) or, where no deployment gives a count, the chips the final hops of
its routes delivered (SUPPLIES edges that carry that chip model alone; a mixed shipment has no
per-model count). Counts convert to TPP (count × the chip's TPP) and H100-equivalents (TPP ÷ the
reference chip's TPP: the H100 SXM unless CHIPTRAIL_REFERENCE_CHIP says otherwise). Each site's
power, where reported, is checked against its chips' TDP.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from graph.store import GraphStore
from ontology.records import Edge, Node
from ontology.vocab import Prop
from queries import prefetch
from queries.answers import Basis
from queries.evidence import weakest
from queries.policies import Policies
from queries.region import RegionFacts
from queries.resolve import resolve_place
from queries.restrictions import Decision, chip_metrics
from queries.routes import DEFAULT_MAX_HOPS
from queries.settings import query_settings


@dataclass(frozen=True)
class Item:
    """Chips of one model at one site, and the evidence for the count."""

    site: str
    chip: Node
    count: int | None
    basis: Basis
    confidence: str
    restricted: bool
    edges: tuple[Edge, ...]
    route_count: int | None  # what the routes delivered, shown beside a deployment's count


def _count(edges: list[Edge], key: str) -> int | None:
    values = [v for e in edges if isinstance(v := e.props.get(key), int) and not isinstance(v, bool)]
    return sum(values) if values else None


def _item(site: str, chip: Node, deploys: list[Edge], finals: list[Edge], restricted: bool) -> Item:
    single = [e for e in finals if e.props.get(Prop.CHIPS) == [chip.id]]
    delivered = _count(single, Prop.QUANTITY)
    deployed = _count(deploys, Prop.COUNT)
    if deployed is not None:
        return Item(site, chip, deployed, Basis.deployment, weakest(deploys), restricted, tuple(deploys), delivered)
    if delivered is not None:
        return Item(site, chip, delivered, Basis.routes, weakest(single), restricted, tuple(single), None)
    evidence = deploys or finals
    return Item(site, chip, None, Basis.unknown, weakest(evidence), restricted, tuple(evidence), None)


def collect(facts: RegionFacts, decisions: dict[tuple[str, str], Decision]) -> list[Item]:
    """Every (site, chip model) the region's routes and deployments name, with its count (decisions:
    `RegionFacts.decisions` under the policy layer asked for)."""
    items = []
    for chip in facts.chips:
        finals: dict[str, dict[str, Edge]] = defaultdict(dict)
        for path in facts.paths[chip.id]:
            finals[path[-1].target][path[-1].id] = path[-1]
        deploys: dict[str, list[Edge]] = defaultdict(list)
        for edge in facts.deployments[chip.id]:
            deploys[edge.source].append(edge)
        for site in sorted(set(finals) | set(deploys)):
            decision = facts.restricted(decisions, chip.id, site)
            last = sorted(finals.get(site, {}).values(), key=lambda e: e.id)
            items.append(_item(site, chip, deploys.get(site, []), last, bool(decision and decision.restricted)))
    return items


@dataclass(frozen=True)
class Measure:
    chips: int
    tpp: float
    h100_equivalents: float | None
    items: int
    unknown_counts: int


def measure(items: list[Item], reference_tpp: float | None) -> Measure:
    known = [i for i in items if i.count is not None]
    tpp = sum(i.count * (chip_metrics(i.chip)["tpp"] or 0.0) for i in known if i.count is not None)
    h100e = tpp / reference_tpp if reference_tpp else None
    return Measure(sum(i.count or 0 for i in known), tpp, h100e, len(items), len(items) - len(known))


@dataclass(frozen=True)
class Exposure:
    region: Node
    as_of: dt.date
    reference: Node | None
    items: list[Item]
    view: GraphStore | None = field(default=None, compare=False, repr=False)  # the store the answer was read from

    @property
    def reference_tpp(self) -> float | None:
        return chip_metrics(self.reference)["tpp"] if self.reference else None

    def total(self, restricted_only: bool = False) -> Measure:
        return measure([i for i in self.items if i.restricted or not restricted_only], self.reference_tpp)

    def by(self, key: str) -> dict[str, Measure]:
        groups: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            groups[item.chip.id if key == "chip" else item.confidence].append(item)
        return {k: measure(v, self.reference_tpp) for k, v in groups.items()}


def exposure(
    store: GraphStore, region: str, *, as_of: dt.date | None = None, policies: Policies | None = None
) -> Exposure:
    """The compute reaching `region` on `as_of`. Raises `NotFound` for an unknown region."""
    day = as_of or dt.date.today()
    place = resolve_place(store, region)
    store = prefetch.region_view(store, place, day, DEFAULT_MAX_HOPS, screen=False)
    facts = RegionFacts.gather(store, place, day)
    items = collect(facts, facts.decisions(policies or Policies.load(store)))
    return Exposure(facts.region, day, store.node(query_settings().reference_chip), items, store)
