"""Screening on routes: are the parties of each hop designated (or affiliates) on the hop's date?

A hop is screened on the date it happened (its valid_from; the route's as_of when unknown): the
sender and the recipient, and on the last hop the site's operators as end users. The route's
verdict says why a licence is needed: the item (the chip's restriction for the destination),
the party (a recipient or end user listed or a ≥ threshold affiliate), both, or neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ontology.records import Edge, valid_on
from queries.answers import HopScreening, PartyRef, PartyStatus, RouteScreening, Verdict
from queries.evidence import hop_date
from queries.restrictions import Decision
from queries.screening import PartyScreen, Screener


@dataclass(frozen=True)
class HopScreen:
    edge: Edge
    day: dt.date
    sender: PartyScreen | None
    recipient: PartyScreen | None
    end_users: tuple[PartyScreen, ...]

    @property
    def receivers(self) -> tuple[PartyScreen, ...]:
        return ((self.recipient,) if self.recipient else ()) + self.end_users


@dataclass(frozen=True)
class RouteScreen:
    hops: tuple[HopScreen, ...]
    item: bool
    verdict: Verdict
    explanation: str


def _hop_day(edge: Edge, as_of: dt.date) -> dt.date:
    return hop_date(edge) or as_of


def _operators(screener: Screener, site: str, day: dt.date) -> list[str]:
    return sorted(e.source for e in screener.operators(site) if valid_on(e.props, day))


def screen_hop(screener: Screener, edge: Edge, as_of: dt.date, last: bool) -> HopScreen:
    day = _hop_day(edge, as_of)
    sender = screener.screen(edge.source, day) if screener.is_party(edge.source) else None
    recipient = screener.screen(edge.target, day) if screener.is_party(edge.target) else None
    users = tuple(screener.screen(o, day) for o in _operators(screener, edge.target, day)) if last else ()
    return HopScreen(edge, day, sender, recipient, users)


def verdict_of(screening: RouteScreen | None) -> Verdict:
    """A route's verdict (an unscreened route: neither)."""
    return screening.verdict if screening else Verdict.neither


def _verdict(item: bool, party: bool) -> Verdict:
    """Why a licence is needed: for the item, a party, both, or neither."""
    return Verdict.both if item and party else Verdict.item if item else Verdict.party if party else Verdict.neither


def screen_route(
    screener: Screener, edges: tuple[Edge, ...], restriction: Decision | None, as_of: dt.date
) -> RouteScreen:
    screener.prefetch({i for e in edges for i in (e.source, e.target)})
    hops = tuple(screen_hop(screener, e, as_of, i == len(edges) - 1) for i, e in enumerate(edges))
    item = bool(restriction and restriction.restricted)
    flagged = [(n, s) for n, h in enumerate(hops, 1) for s in h.receivers if s.flagged]
    unsure = [(n, s) for n, h in enumerate(hops, 1) for s in h.receivers if s.status == "undetermined"]
    result = _verdict(item, bool(flagged))
    reasons = []
    if item and restriction:
        deciding = [f.reason for f in restriction.findings if f.outcome in ("met", "targeted")]
        reasons.append(f"{restriction.explanation.split('. ')[0]} ({'; '.join(deciding)})")
    reasons += [f"party, hop {n}: {s.name} {s.status} on {s.day}" for n, s in flagged]
    reasons += [f"hop {n}: {s.name} undetermined on {s.day} (an ownership share is unknown)" for n, s in unsure]
    head = {
        "both": "Licence required for the item and for a party",
        "item": "Licence required for the item",
        "party": "Licence required for a party",
        "neither": "No licence requirement found for the item or the parties",
    }[result]
    return RouteScreen(hops, item, result, head + (": " + "; ".join(reasons) if reasons else "") + ".")


def party_view(screen: PartyScreen | None) -> PartyRef | None:
    if screen is None:
        return None
    explained = screen.status != PartyStatus.clear or bool(screen.affiliates)
    return PartyRef(
        id=screen.party,
        name=screen.name,
        status=screen.status,
        illustrative=True if screen.illustrative else None,
        explanation=screen.explanation if explained else None,
    )


def route_screen_view(screen: RouteScreen) -> RouteScreening:
    hops = [
        HopScreening(
            edge=h.edge.id,
            date=h.day.isoformat(),
            sender=party_view(h.sender),
            recipient=party_view(h.recipient),
            end_users=[u for u in map(party_view, h.end_users) if u is not None],
        )
        for h in screen.hops
    ]
    party = any(s.flagged for h in screen.hops for s in h.receivers)
    return RouteScreening(
        verdict=screen.verdict, item=screen.item, party=party, explanation=screen.explanation, hops=hops
    )
