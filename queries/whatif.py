"""What-if: routes, chip models and data centres whose status changes under an overlay.

Both sides are evaluated on the same graph and date; only the policy layer differs. An overlay
that changes nothing gives an empty difference.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from graph.store import GraphStore
from ontology.records import Node
from queries import prefetch
from queries.answers import (
    ChipChange,
    ExposureChange,
    OverlayName,
    RegionQuery,
    RouteChange,
    SiteChange,
    SiteStatus,
    WhatIfAnswer,
)
from queries.exposure import Exposure, collect
from queries.exposure_view import measure_view
from queries.overlay import Overlay, apply
from queries.policies import Policies
from queries.region import RegionFacts
from queries.resolve import resolve_place
from queries.restrictions import Decision
from queries.route_screen import verdict_of
from queries.routes import DEFAULT_MAX_HOPS, Route
from queries.settings import query_settings
from queries.views import Viewer

RouteKey = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Evaluation:
    decisions: dict[str, Decision]
    routes: dict[RouteKey, Route]
    exposure: Exposure

    def site_status(self) -> dict[str, tuple[int, int]]:
        """Per site: (restricted chips counted there, routes into it that need a licence)."""
        chips: Counter[str] = Counter()
        for item in self.exposure.items:
            if item.restricted:
                chips[item.site] += item.count or 0
        flagged = Counter(r.edges[-1].target for r in self.routes.values() if verdict_of(r.screening) != "neither")
        sites = set(chips) | set(flagged) | {i.site for i in self.exposure.items}
        return {s: (chips[s], flagged[s]) for s in sites}


def deciding(decision: Decision) -> list[str]:
    """The reasons that decided a licence requirement (or why none was found)."""
    found = [f.reason for f in decision.findings if f.outcome in ("met", "targeted", "policy_change")]
    return found or [f.reason for f in decision.findings]


def evaluate(store: GraphStore, facts: RegionFacts, policies: Policies, reference: Node | None) -> Evaluation:
    decisions = facts.decisions(policies)
    country = facts.country
    # one entry per chip model: a record tied to another (an Epoch row of a curated chip) shares its decision
    models = [c for c in facts.chips if facts.deciding[c.id].id == c.id]
    by_chip = {c.id: decisions[c.id, country] for c in models if country and (c.id, country) in decisions}
    routes = {(r.chip.id, tuple(e.id for e in r.edges)): r for r in facts.routes(store, policies, decisions)}
    items = collect(facts, decisions)
    return Evaluation(by_chip, routes, Exposure(facts.region, facts.day, reference, items))


def _chip_changes(viewer: Viewer, before: Evaluation, after: Evaluation) -> list[ChipChange]:
    return [
        ChipChange(
            chip=viewer.ref(c),
            before=d.status,
            after=after.decisions[c].status,
            explanation=after.decisions[c].explanation,
            deciding=deciding(after.decisions[c]),
        )
        for c, d in sorted(before.decisions.items())
        if c in after.decisions and d.status != after.decisions[c].status
    ]


def _route_changes(viewer: Viewer, before: Evaluation, after: Evaluation) -> list[RouteChange]:
    return [
        RouteChange(
            chip=viewer.ref(key[0]),
            path=list(r.nodes),
            before=verdict_of(r.screening),
            after=verdict_of(after.routes[key].screening),
            explanation=a.explanation if (a := after.routes[key].screening) else None,
        )
        for key, r in sorted(before.routes.items())
        if key in after.routes and verdict_of(r.screening) != verdict_of(after.routes[key].screening)
    ]


def _site_changes(viewer: Viewer, before: Evaluation, after: Evaluation) -> list[SiteChange]:
    old, new = before.site_status(), after.site_status()

    def status(found: dict[str, tuple[int, int]], site: str) -> SiteStatus:
        chips, routes = found.get(site, (0, 0))
        return SiteStatus(restricted_chips=chips, licence_routes=routes)

    return [
        SiteChange(site=viewer.ref(s), before=status(old, s), after=status(new, s))
        for s in sorted(set(old) | set(new))
        if old.get(s, (0, 0)) != new.get(s, (0, 0))
    ]


def whatif(
    store: GraphStore, overlay: Overlay, region: str, as_of: dt.date | None = None, where: str = "<overlay>"
) -> WhatIfAnswer:
    """The difference an overlay makes for a region on a date."""
    day = as_of or overlay.as_of or dt.date.today()
    place = resolve_place(store, region)
    store = prefetch.region_view(store, place, day, DEFAULT_MAX_HOPS, screen=True)
    base = Policies.load(store)
    facts = RegionFacts.gather(store, place, day)
    reference = store.node(query_settings().reference_chip)  # read once for both sides
    before = evaluate(store, facts, base, reference)
    after = evaluate(store, facts, apply(overlay, base, where), reference)
    viewer = Viewer(store)
    chips = _chip_changes(viewer, before, after)
    routes = _route_changes(viewer, before, after)
    sites = _site_changes(viewer, before, after)
    exposure = ExposureChange(
        before=measure_view(before.exposure.total(True)), after=measure_view(after.exposure.total(True))
    )
    changed = bool(chips or routes or sites) or exposure.before != exposure.after
    return WhatIfAnswer(
        overlay=OverlayName(name=overlay.name),
        query=RegionQuery(region=viewer.ref(place.id), as_of=day.isoformat()),
        changed=changed,
        chips=chips,
        routes=routes,
        sites=sites,
        restricted_exposure=exposure,
    )
