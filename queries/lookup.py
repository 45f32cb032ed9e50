"""Restriction lookups by what a user types: a chip (or family) and a destination."""

from __future__ import annotations

import datetime as dt
import re

from graph.store import GraphStore
from ontology.vocab import Label
from queries.answers import Ref, RestrictionAnswer, Status
from queries.decide import decide
from queries.gap_fill import deciding_chip, deciding_chips, groups
from queries.places import country_of
from queries.resolve import resolve_chips, resolve_place
from queries.restrictions import Decision, load_rules
from queries.specs import Destination, SpecAnswer, spec_answer
from queries.views import restriction_view


def destination_code(store: GraphStore, term: str) -> str:
    """An ISO 3166-1 code from a code ('CN') or a place name ('China', 'Xinjiang' -> CN)."""
    if re.fullmatch(r"[A-Za-z]{2}", term):
        return term.upper()
    code = country_of(store, resolve_place(store, term).id)
    return code or term.upper()


def restrictions_for(store: GraphStore, chip: str, destination: str, as_of: dt.date | None = None) -> list[Decision]:
    """One decision per chip model the term covers ('H100' covers SXM and PCIe), from the figures of
    every record of the model (curated first, gaps filled from other sources: queries/gap_fill.py)."""
    day = as_of or dt.date.today()
    code = destination_code(store, destination)
    rules = load_rules(store)
    # one per model, in the order found
    tied = {(n := deciding_chip(store, c)).id: n for c in resolve_chips(store, chip)}
    return [decide(n, rules, code, day) for n in tied.values()]


def all_decisions(store: GraphStore, destination: str, as_of: dt.date) -> list[Decision]:
    """Every chip model in the store, decided for one destination and date."""
    rules = load_rules(store)
    return [decide(c, rules, destination, as_of) for c in deciding_chips(store.nodes(Label.CHIP_MODEL))]


def restrictions_view(term: str, decisions: list[Decision]) -> RestrictionAnswer:
    """The `restrictions` answer: one decision's fields at the top; a family adds `variants`.

    For a family, `restricted` is true only if every variant is; `status` is shared or 'mixed'.
    """
    views = [restriction_view(d) for d in decisions]
    if len(views) == 1:
        return RestrictionAnswer(**dict(views[0]), query=term, variants=[])
    statuses = {v.status for v in views}
    return RestrictionAnswer(
        query=term,
        chip=Ref(id=None, name=term),
        destination=views[0].destination,
        as_of=views[0].as_of,
        restricted=all(v.restricted for v in views),
        status=statuses.pop() if len(statuses) == 1 else Status.mixed,
        license_policy=None,
        metrics=None,
        rules=[r for v in views for r in v.rules],
        explanation=" ".join(v.explanation for v in views),
        variants=views,
    )


def specs_for(store: GraphStore, chip: str, destination: str | None, as_of: dt.date | None = None) -> list[SpecAnswer]:
    """Each chip model the term covers, its figures from every source side by side, and (given a
    destination) the decision from the gap-filled figures and from each source's."""
    where = None
    if destination:
        where = Destination(destination_code(store, destination), as_of or dt.date.today(), load_rules(store))
    by_id = {n.id: g for g in groups(store.nodes(Label.CHIP_MODEL)) for n in g}
    tied = {by_id[c.id][0].id: by_id[c.id] for c in resolve_chips(store, chip)}
    return [spec_answer(g, where) for g in tied.values()]
