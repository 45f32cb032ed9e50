"""What a region's policy answers rest on, read from the graph once: every chip model's routes and
deployments there, and the country of each site.

Exposure, what-if and chokepoints evaluate these facts under a policy layer, each chip model decided
from the figures of all its records (queries/gap_fill.py); a what-if evaluates the same facts twice
(rules in force, then the overlay) without asking the graph again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from graph.store import GraphStore
from ontology.records import Edge, Node
from ontology.vocab import Label
from queries import named
from queries.decide import decide
from queries.gap_fill import deciding_nodes
from queries.places import countries_of
from queries.policies import Policies
from queries.restrictions import Decision
from queries.route_screen import screen_route
from queries.routes import DEFAULT_MAX_HOPS, Route, sort_key

Path = tuple[Edge, ...]


@dataclass(frozen=True)
class RegionFacts:
    region: Node
    country: str | None  # the region's own country (ISO 3166-1)
    day: dt.date
    chips: tuple[Node, ...]
    paths: dict[str, tuple[Path, ...]]
    deployments: dict[str, tuple[Edge, ...]]
    countries: dict[str, str | None]
    deciding: Mapping[str, Node]  # each chip model's id -> the gap-filled node its decisions read

    @classmethod
    def gather(cls, store: GraphStore, region: Node, day: dt.date) -> RegionFacts:
        chips = tuple(sorted(store.nodes(Label.CHIP_MODEL), key=lambda n: n.id))
        reaching = {row["id"] for row in named.run(store, "region_chips", region_id=region.id, as_of=day)}
        # No edge into the region carries the other chip models: nothing to trace for them.
        paths = {
            c.id: tuple(named.route_paths(store, c.id, region.id, DEFAULT_MAX_HOPS, day)) if c.id in reaching else ()
            for c in chips
        }
        deployments = {
            c.id: tuple(named.deployment_edges(store, c.id, region.id, day)) if c.id in reaching else () for c in chips
        }
        sites = {p[-1].target for found in paths.values() for p in found}
        sites |= {e.source for found in deployments.values() for e in found}
        countries = countries_of(store, sites | {region.id})
        deciding = deciding_nodes(store)
        return cls(region, countries.pop(region.id), day, chips, paths, deployments, countries, deciding)

    def decisions(self, policies: Policies) -> dict[tuple[str, str], Decision]:
        """Each chip model's decision for each country a site of the region lies in, from the figures of
        every record of the model (curated first, gaps filled: queries/gap_fill.py)."""
        countries = sorted({c for c in (self.country, *self.countries.values()) if c})
        rules = list(policies.rules)
        day = self.day
        return {(c.id, code): decide(self.deciding[c.id], rules, code, day) for c in self.chips for code in countries}

    def restricted(self, decisions: dict[tuple[str, str], Decision], chip: str, site: str) -> Decision | None:
        country = self.countries.get(site)
        return decisions.get((chip, country)) if country else None

    def routes(
        self, store: GraphStore, policies: Policies, decisions: dict[tuple[str, str], Decision] | None = None
    ) -> list[Route]:
        """Every chip model's routes into the region, screened, in the routes order."""
        decisions = decisions if decisions is not None else self.decisions(policies)
        screener = policies.screener(store)
        routes = []
        for chip in self.chips:
            for path in self.paths[chip.id]:
                decision = self.restricted(decisions, chip.id, path[-1].target)
                routes.append(Route(chip, path, decision, screen_route(screener, path, decision, self.day)))
        return sorted(routes, key=sort_key)
