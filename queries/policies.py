"""The policy layer an answer is computed under: export-control rules and designations.

Loaded from the store by default; a what-if overlay (queries/whatif.py) builds a modified copy,
so routes, screening and exposure can be evaluated under rules that are not (yet) in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph.store import GraphStore
from queries import prefetch
from queries.answers import ScreenAnswer
from queries.cache import per_version
from queries.resolve import resolve_organization
from queries.restrictions import Rule, load_rules
from queries.screening import Designation, Screener, load_designations


@dataclass(frozen=True)
class Policies:
    rules: tuple[Rule, ...]
    designations: tuple[Designation, ...]

    @classmethod
    def load(cls, store: GraphStore, *, designations: bool = True) -> Policies:
        """The rules in the store and (unless not needed) every designation, read and parsed once per
        data version on the embedded store."""

        def read() -> Policies:
            return cls(tuple(load_rules(store)), tuple(load_designations(store)) if designations else ())

        return per_version(store, ("policies", designations), read)

    def screener(self, store: GraphStore) -> Screener:
        return Screener(store, list(self.rules), list(self.designations))


def screen_party(store: GraphStore, party: str, as_of: dt.date | None = None) -> ScreenAnswer:
    """`chiptrail screen`: is the organisation (id, name or alias) designated on the date, and how."""
    node = resolve_organization(store, party)
    store = prefetch.party_view(store, node)
    screener = Policies.load(store).screener(store)
    return screener.view(screener.screen(node.id, as_of or dt.date.today()))
