"""Is a party designated on a date, by which listing — or owned enough by listed parties to count as listed?

Designations are DESIGNATED_BY edges with dates, citation and licence terms. Affiliates rules
(`effect: affiliates`) are data: a threshold, the lists they extend and their dates in force,
so a change or suspension is a new record, not a code change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from graph.store import GraphStore
from ontology.records import Edge, Node, valid_on
from ontology.vocab import Effect, Label, Prop, Rel
from queries.answers import AffiliateStatus, DesignationOut, PartyStatus, Ref, ScreenAnswer
from queries.merges import Merge
from queries.named import run, to_edge
from queries.ownership import AffiliateFinding, Stake, affiliate_view, holding_stakes
from queries.restrictions import Rule
from queries.scope import suspension


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _text(props: dict[str, object], key: str) -> str | None:
    value = props.get(key)
    return str(value) if value is not None else None


@dataclass(frozen=True)
class Designation:
    party: str
    listing: str
    listing_name: str
    lists: tuple[str, ...]
    valid_from: dt.date | None
    valid_to: dt.date | None
    citation: str | None
    license_requirement: str | None
    license_policy: str | None
    confidence: str | None
    sources: tuple[str, ...]
    illustrative: bool = False
    member: str | None = None  # the record designated, when another member of the party's SAME_AS cluster
    merges: tuple[Merge, ...] = ()

    def in_force(self, day: dt.date) -> bool:
        bounds = {Prop.VALID_FROM: self.valid_from, Prop.VALID_TO: self.valid_to}
        return valid_on({k: v for k, v in bounds.items() if v is not None}, day)

    def describe(self) -> str:
        cite = f" ({self.citation})" if self.citation else ""
        since = f" from {self.valid_from}" if self.valid_from else ""
        until = f" to {self.valid_to}" if self.valid_to else ""
        terms = f"; licence requirement: {self.license_requirement}" if self.license_requirement else ""
        policy = f"; review policy: {self.license_policy}" if self.license_policy else ""
        return f"{self.listing_name}{cite}{since}{until}{terms}{policy}"

    def crossing(self, name: Callable[[str], str]) -> str:
        """How the designation reached the party across SAME_AS judgements ('' when it is the party's own)."""
        if self.member is None:
            return ""
        return f" [designation of {name(self.member)}: " + "; ".join(m.describe(name) for m in self.merges) + "]"


def load_designations(store: GraphStore, org_ids: list[str] | None = None) -> list[Designation]:
    """Designations of the given organisations (every designation when None)."""
    out = []
    for row in run(store, "designations", org_ids=org_ids):
        edge, listing = row["edge"], row["listing"]
        sources = edge.get(Prop.SOURCES)
        out.append(
            Designation(
                party=row["party"],
                listing=listing[Prop.ID],
                listing_name=str(listing.get(Prop.NAME, listing[Prop.ID])),
                lists=tuple(row["lists"]),
                valid_from=_date(edge.get(Prop.VALID_FROM)) or _date(listing.get(Prop.VALID_FROM)),
                valid_to=_date(edge.get(Prop.VALID_TO)) or _date(listing.get(Prop.VALID_TO)),
                citation=_text(edge, Prop.CITATION) or _text(listing, Prop.CITATION),
                license_requirement=_text(edge, Prop.LICENSE_REQUIREMENT),
                license_policy=_text(edge, Prop.LICENSE_POLICY),
                confidence=_text(edge, Prop.CONFIDENCE),
                sources=tuple(sources) if isinstance(sources, list) else (),
                illustrative=edge.get(Prop.ILLUSTRATIVE) is True,
                member=row["member"] if row["member"] != row["party"] else None,
                merges=tuple(Merge.of(to_edge(m)) for m in row["merges"]),
            )
        )
    return out


@dataclass(frozen=True)
class PartyScreen:
    """The screening of one party on one day."""

    party: str
    name: str
    day: dt.date
    designations: tuple[Designation, ...]
    affiliates: tuple[AffiliateFinding, ...]
    explanation: str
    illustrative: bool = False

    @property
    def status(self) -> PartyStatus:
        if self.designations:
            return PartyStatus.listed
        found = {f.status for f in self.affiliates}
        if AffiliateStatus.affiliate in found:
            return PartyStatus.affiliate
        return PartyStatus.undetermined if AffiliateStatus.undetermined in found else PartyStatus.clear

    @property
    def flagged(self) -> bool:
        return self.status in ("listed", "affiliate")


class Screener:
    """Screens parties against the designations and affiliates rules it holds, caching per party and day.

    The designations and rules are passed in (loaded from the store, or modified by a what-if
    overlay); ownership chains are read from the store.
    """

    def __init__(self, store: GraphStore, rules: list[Rule], designations: list[Designation]) -> None:
        self.store = store
        self.rules = rules
        self.affiliate_rules = [r for r in rules if r.effect == Effect.AFFILIATES]
        self.by_party: dict[str, list[Designation]] = defaultdict(list)
        for d in designations:
            self.by_party[d.party].append(d)
        self.designations = designations
        self._names: dict[str, Node | None] = {}
        self._screens: dict[tuple[str, dt.date], PartyScreen] = {}
        self._chains: dict[str, list[tuple[Edge, ...]]] = {}
        self._operators: dict[str, list[Edge]] = {}

    def node(self, node_id: str) -> Node | None:
        if node_id not in self._names:
            self._names[node_id] = self.store.node(node_id)
        return self._names[node_id]

    def name(self, node_id: str) -> str:
        node = self.node(node_id)
        return str(node.props.get(Prop.NAME, node_id)) if node else node_id

    def is_party(self, node_id: str) -> bool:
        node = self.node(node_id)
        return node is not None and Label.ORGANIZATION in node.labels

    def listed(self, lists: frozenset[str], day: dt.date) -> set[str]:
        return {d.party for d in self.designations if d.in_force(day) and set(d.lists) & lists}

    def chains(self, party: str) -> list[tuple[Edge, ...]]:
        """Every ownership chain into the party, whatever its dates (filtered per day by the caller)."""
        if party not in self._chains:
            rows = run(self.store, "owners", org_id=party, as_of=None)
            self._chains[party] = [tuple(to_edge(e) for e in row["edges"]) for row in rows]
        return self._chains[party]

    def operators(self, site: str) -> list[Edge]:
        """OPERATES edges into a site, whatever their dates."""
        if site not in self._operators:
            self._operators[site] = self.store.edges(Rel.OPERATES, target=site)
        return self._operators[site]

    def prefetch(self, ids: set[str]) -> None:
        """Look up many nodes in one round trip."""
        wanted = ids - self._names.keys()
        found = self.store.nodes_by_id(wanted) if wanted else {}
        self._names.update({i: found.get(i) for i in wanted})

    def _affiliate(self, party: str, rule: Rule, day: dt.date) -> AffiliateFinding | None:
        chains = [c for c in self.chains(party) if all(valid_on(e.props, day) for e in c)]
        stakes = [self._listed_as(s, rule.extends, day) for s in holding_stakes(chains, self.listed(rule.extends, day))]
        if not stakes:
            return None
        self.prefetch({i for s in stakes for e in s.edges for i in (e.source, e.target)})
        return AffiliateFinding(party, rule, day, tuple(stakes))

    def _listed_as(self, stake: Stake, lists: frozenset[str], day: dt.date) -> Stake:
        """The stake with the merge its holder is listed through, when it has no designation of its own."""
        found = [d for d in self.by_party.get(stake.holder, []) if d.in_force(day) and set(d.lists) & lists]
        if not found or any(d.member is None for d in found):
            return stake
        first = min(found, key=lambda d: (len(d.merges), d.member or ""))
        return replace(stake, listed_as=first.member, listing_merges=first.merges)

    def screen(self, party: str, day: dt.date) -> PartyScreen:
        if (party, day) not in self._screens:
            self._screens[party, day] = self._screen(party, day)
        return self._screens[party, day]

    def _screen(self, party: str, day: dt.date) -> PartyScreen:
        listed = tuple(d for d in self.by_party.get(party, []) if d.in_force(day))
        findings: list[AffiliateFinding] = []
        paused: list[str] = []
        if not listed:
            for rule in (r for r in self.affiliate_rules if r.in_force(day)):
                if (held := suspension(rule, self.rules, day)) is not None:
                    paused.append(_suspended(rule, held, day))
                elif (finding := self._affiliate(party, rule, day)) is not None:
                    findings.append(finding)
        name = self.name(party)
        if listed:
            words = f"{name} is listed on {day}: " + "; ".join(d.describe() + d.crossing(self.name) for d in listed)
        elif findings:
            words = "; ".join(f.explain(self.name) for f in findings)
        elif paused:
            words = f"{name}: no designation in force on {day}; " + "; ".join(paused)
        else:
            words = f"{name}: no designation in force on {day} and no listed owner found"
        node = self.node(party)
        fictional = bool(node and node.props.get(Prop.ILLUSTRATIVE) is True)
        return PartyScreen(party, name, day, listed, tuple(findings), words.rstrip(".") + ".", fictional)

    def view(self, screen: PartyScreen) -> ScreenAnswer:
        party = Ref(id=screen.party, name=screen.name, illustrative=True if screen.illustrative else None)
        return ScreenAnswer(
            party=party,
            as_of=screen.day.isoformat(),
            status=screen.status,
            designations=[designation_view(d, self.name) for d in screen.designations],
            affiliates=[affiliate_view(f, self.name) for f in screen.affiliates],
            explanation=screen.explanation,
        )


def _suspended(rule: Rule, held: Rule, day: dt.date) -> str:
    """Why an affiliates rule's ownership test is not run on a day: the suspension, its citation and dates."""
    until = f" to {held.valid_to}" if held.valid_to else ""
    return (
        f"ownership not counted: {rule.name} ({rule.cite()}) is suspended on {day} by {held.name} "
        f"({held.citation}, from {held.valid_from}{until})"
    )


def designation_view(d: Designation, name: Callable[[str], str] = str) -> DesignationOut:
    return DesignationOut(
        listing=Ref(id=d.listing, name=d.listing_name),
        lists=list(d.lists),
        valid_from=d.valid_from.isoformat() if d.valid_from else None,
        valid_to=d.valid_to.isoformat() if d.valid_to else None,
        citation=d.citation,
        license_requirement=d.license_requirement,
        license_policy=d.license_policy,
        confidence=d.confidence,
        sources=list(d.sources),
        illustrative=d.illustrative,
        via=Ref(id=d.member, name=name(d.member)) if d.member else None,
        merges=[m.view(name) for m in d.merges] if d.member else None,
    )
