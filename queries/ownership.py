"""Ownership arithmetic: indirect stakes along OWNS chains, summed across chains, as the affiliates rule counts.

A chain's stake is the product of its percentages (Redsand 60% of Kestrel × Kestrel 40% of
Jadeport = 24%). The stake held by listed parties is the sum over chains that start at a listed
party; each chain is cut at the listed party nearest the owned organisation, so a stake held
through another listed party is counted once. Stakes held through unlisted affiliates are
multiplied along the chain, not treated as held in full. An unknown percentage makes the
chain's stake unknown, never 0 or 100: the finding is then `undetermined` unless the known
stakes already reach the threshold.

A chain may cross positive SAME_AS edges (a stake recorded on another record of the same
organisation): they carry no share, are never where a chain is cut, and the answer names them
with who decided them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from ontology.records import Edge
from ontology.vocab import Prop, Rel
from queries.answers import AffiliateFindingOut, AffiliateRule, AffiliateStatus, ChainLink, StakeOut
from queries.evidence import fmt
from queries.merges import Merge
from queries.restrictions import Rule

Namer = Callable[[str], str]


def percentage(edge: Edge) -> Fraction | None:
    value = edge.props.get(Prop.PERCENTAGE)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Fraction(str(value))


def pct(value: Fraction) -> str:
    return f"{fmt(float(value))}%"


@dataclass(frozen=True)
class Stake:
    """One chain from a listed party down to the owned organisation."""

    holder: str
    edges: tuple[Edge, ...]
    listed_as: str | None = None  # the record designated, when the holder is listed through a SAME_AS merge
    listing_merges: tuple[Merge, ...] = ()

    @property
    def holdings(self) -> tuple[Edge, ...]:
        """The OWNS edges of the chain (without the SAME_AS edges it crosses)."""
        return tuple(e for e in self.edges if e.type != Rel.SAME_AS)

    @property
    def merges(self) -> tuple[Merge, ...]:
        """The SAME_AS judgements this stake rests on: the holder's listing's, then the chain's."""
        return self.listing_merges + tuple(Merge.of(e) for e in self.edges if e.type == Rel.SAME_AS)

    @property
    def share(self) -> Fraction | None:
        """Percent held through this chain, or None if a percentage on it is unknown."""
        total = Fraction(100)
        for edge in self.holdings:
            p = percentage(edge)
            if p is None:
                return None
            total = total * p / 100
        return total

    def describe(self, name: Namer) -> str:
        steps = [
            f"{name(e.source)} → {name(e.target)} {pct(p) if (p := percentage(e)) is not None else 'unknown %'}"
            for e in self.holdings
        ]
        share = self.share
        result = pct(share) if share is not None else "unknown"
        listed = f" [{name(self.holder)} listed as {name(self.listed_as)}]" if self.listed_as else ""
        merged = listed + "".join(f" [{m.describe(name)}]" for m in self.merges)
        return " × ".join(steps) + (f" = {result}" if len(self.holdings) > 1 or share is None else "") + merged


def holding_stakes(chains: Iterable[tuple[Edge, ...]], listed: set[str]) -> list[Stake]:
    """The distinct chains from listed parties, each cut at the listed party nearest the owned one."""
    found: dict[tuple[str, ...], Stake] = {}
    for chain in chains:
        for i in range(len(chain) - 1, -1, -1):
            if chain[i].type != Rel.SAME_AS and chain[i].source in listed:
                suffix = chain[i:]
                found.setdefault(tuple(e.id for e in suffix), Stake(chain[i].source, suffix))
                break
    return sorted(found.values(), key=lambda s: (len(s.edges), tuple(e.id for e in s.edges)))


@dataclass(frozen=True)
class AffiliateFinding:
    """Whether the party is owned at or above an affiliates rule's threshold by listed parties on a day."""

    party: str
    rule: Rule
    day: dt.date
    stakes: tuple[Stake, ...]

    @property
    def threshold(self) -> Fraction:
        return Fraction(str(self.rule.threshold if self.rule.threshold is not None else 50))

    @property
    def known_total(self) -> Fraction:
        return sum((s.share for s in self.stakes if s.share is not None), Fraction(0))

    @property
    def unknown(self) -> tuple[Stake, ...]:
        return tuple(s for s in self.stakes if s.share is None)

    @property
    def status(self) -> AffiliateStatus:
        if self.known_total >= self.threshold:
            return AffiliateStatus.affiliate
        return AffiliateStatus.undetermined if self.unknown else AffiliateStatus.below

    def explain(self, name: Namer) -> str:
        lists = ", ".join(sorted(name(x) for x in self.rule.extends)) or "its lists"
        chains = "; ".join(s.describe(name) for s in self.stakes)
        total = f"{pct(self.known_total)} known" + (
            f" + {len(self.unknown)} chain(s) of unknown share" if self.unknown else ""
        )
        verdict = {
            "affiliate": f"≥ {pct(self.threshold)} → treated as listed",
            "undetermined": f"< {pct(self.threshold)} so far; the unknown shares decide",
            "below": f"< {pct(self.threshold)} → not an affiliate",
        }[self.status]
        return (
            f"{name(self.party)} held by parties on the {lists} on {self.day}: {chains}; total {total} {verdict} "
            f"under {self.rule.name} ({self.rule.cite()})"
        )


def stake_view(stake: Stake, name: Namer) -> StakeOut:
    share = stake.share
    chain = [
        ChainLink(
            from_=e.source,
            to=e.target,
            percentage=float(p) if (p := percentage(e)) is not None else None,
            edge=e.id,
            sources=sources if isinstance(sources := e.props.get(Prop.SOURCES), list) else None,
            confidence=str(c) if (c := e.props.get(Prop.CONFIDENCE)) is not None else None,
        )
        for e in stake.holdings
    ]
    return StakeOut(
        holder=stake.holder,
        chain=chain,
        share=float(share) if share is not None else None,
        explanation=stake.describe(name),
        merges=[m.view(name) for m in stake.merges] or None,
    )


def affiliate_view(finding: AffiliateFinding, name: Namer) -> AffiliateFindingOut:
    rule = finding.rule
    return AffiliateFindingOut(
        rule=AffiliateRule(
            id=rule.id,
            name=rule.name,
            citation=rule.citation,
            valid_from=rule.valid_from.isoformat() if rule.valid_from else None,
            valid_to=rule.valid_to.isoformat() if rule.valid_to else None,
            threshold=float(finding.threshold),
            extends=sorted(rule.extends),
        ),
        status=finding.status,
        known_total=float(finding.known_total),
        unknown_chains=len(finding.unknown),
        stakes=[stake_view(s, name) for s in finding.stakes],
        explanation=finding.explain(name),
    )
