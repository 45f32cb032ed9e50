"""The headline question: which routes carry a chip model into a region, on what evidence.

A route for chip model C into region R is a node-simple path that starts at an organisation
that designs or manufactures C, follows only SUPPLIES edges that carry C and are valid on the
`as_of` date, and ends at a site located (transitively) in R. A reported deployment of C at a
site in R that no route reaches is a *lead*. Answers are ordered deterministically: strongest
weakest-confidence first, then shorter, then by node ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from itertools import pairwise

from graph.store import GraphStore
from ontology.records import Edge, Node
from ontology.vocab import Prop
from queries import named, prefetch
from queries.cache import per_version
from queries.decide import decide
from queries.evidence import RouteOrder, hop_date, path_nodes, rank, route_order, weakest
from queries.gap_fill import deciding_chip
from queries.places import countries_of, country_of
from queries.policies import Policies
from queries.resolve import resolve_chips, resolve_place
from queries.restrictions import Decision, Rule
from queries.route_screen import RouteScreen, screen_route

DEFAULT_MAX_HOPS = 6


@dataclass(frozen=True)
class Route:
    chip: Node
    edges: tuple[Edge, ...]
    restriction: Decision | None
    screening: RouteScreen | None = None

    @property
    def nodes(self) -> tuple[str, ...]:
        return path_nodes(self.edges)

    @property
    def weakest(self) -> str:
        return weakest(self.edges)


@dataclass(frozen=True)
class Lead:
    chip: Node
    site: str
    edge: Edge


@dataclass(frozen=True)
class RouteSearch:
    chip_term: str
    chips: list[Node]
    region: Node
    as_of: dt.date
    max_hops: int
    time_respecting: bool
    routes: list[Route]
    leads: list[Lead]
    truncated: bool = False
    screened: bool = False
    view: GraphStore | None = field(default=None, compare=False, repr=False)  # the store the answer was read from


def time_respecting(edges: tuple[Edge, ...]) -> bool:
    """Known hop dates never decrease along the path (a hop without a date breaks nothing)."""
    dates = [d for e in edges if (d := hop_date(e)) is not None]
    return all(a <= b for a, b in pairwise(dates))


def sort_key(route: Route) -> RouteOrder:
    """Strongest weakest-confidence first, then shorter, then by node ids and edge ids."""
    return route_order(route.edges)


class _Restrictions:
    """Decides a chip's restriction for a site's country, looking each site and decision up once, from
    the figures of every record of the chip model (curated first, gaps filled: queries/gap_fill.py)."""

    def __init__(self, store: GraphStore, rules: list[Rule], day: dt.date, *, in_store: bool = False) -> None:
        """`in_store`: the rules are the store's own, so decisions are kept once per data version."""
        self.store, self.rules, self.day, self.in_store = store, rules, day, in_store
        self.countries: dict[str, str | None] = {}
        self.decisions: dict[tuple[str, str], Decision] = {}

    def prefetch(self, sites: set[str]) -> None:
        self.countries.update(countries_of(self.store, sites - self.countries.keys()))

    def __call__(self, chip: Node, site: str) -> Decision | None:
        if site not in self.countries:
            self.countries[site] = country_of(self.store, site)
        country = self.countries[site]
        if country is None:
            return None
        if (chip.id, country) not in self.decisions:
            self.decisions[chip.id, country] = (
                per_version(self.store, ("decision", chip.id, country, self.day), lambda: self._decide(chip, country))
                if self.in_store
                else self._decide(chip, country)
            )
        return self.decisions[chip.id, country]

    def _decide(self, chip: Node, country: str) -> Decision:
        return decide(deciding_chip(self.store, chip), self.rules, country, self.day)


def _leads(
    store: GraphStore, chips: list[Node], region_id: str, day: dt.date, reached: set[tuple[str, str]]
) -> list[Lead]:
    """Deployments of the chip models in the region at a site no route of the model reaches
    (`reached`: the (chip model, site) pairs the routes end at)."""
    leads = [
        Lead(chip, e.source, e)
        for chip in chips
        for e in named.deployment_edges(store, chip.id, region_id, day)
        if (chip.id, e.source) not in reached
    ]
    return sorted(leads, key=lambda lead: (rank(str(lead.edge.props.get(Prop.CONFIDENCE))), lead.site, lead.chip.id))


def find_routes(
    store: GraphStore,
    chip: str,
    region: str,
    *,
    as_of: dt.date | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    time_respecting_only: bool = False,
    limit: int | None = None,
    screen: bool = False,
    policies: Policies | None = None,
) -> RouteSearch:
    """Routes and leads for a chip (id, name, alias or family) into a region (id, name or code).

    With `screen`, each route also reports the parties' designations per hop and a verdict (item,
    party, both, neither). `policies` replaces the rules and designations in the store (what-if).
    Raises `NotFound` (with suggestions) for an unknown chip or region, `InvalidParameter` for max_hops
    outside 1 to the bound written in supply_paths.cypher.
    """
    named.registry()["supply_paths"].check_bound(max_hops)
    day = as_of or dt.date.today()
    chips = resolve_chips(store, chip)
    place = resolve_place(store, region)
    in_store = policies is None
    store = prefetch.routes_view(store, chips, place, max_hops, day, screen=screen, designations=in_store)
    policies = policies or Policies.load(store, designations=screen)
    restriction = _Restrictions(store, list(policies.rules), day, in_store=in_store)
    found = [
        (c, path)
        for c in chips
        for path in named.route_paths(store, c.id, place.id, max_hops, day)
        if not time_respecting_only or time_respecting(path)
    ]
    reached = {(c.id, path[-1].target) for c, path in found}
    restriction.prefetch({site for _, site in reached})
    routes = [Route(c, path, restriction(c, path[-1].target)) for c, path in found]
    if len(chips) > 1:  # each chip model's paths come in route order: the models' are interleaved
        routes.sort(key=sort_key)
    leads = _leads(store, chips, place.id, day, reached)
    truncated = limit is not None and len(routes) > limit
    shown = routes[:limit] if limit is not None else routes
    if screen:
        screener = policies.screener(store)
        shown = [replace(r, screening=screen_route(screener, r.edges, r.restriction, day)) for r in shown]
    return RouteSearch(chip, chips, place, day, max_hops, time_respecting_only, shown, leads, truncated, screen, store)
