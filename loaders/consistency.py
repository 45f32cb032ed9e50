"""Checks across records that no single record can fail: the known stakes in one company on one date.

Direct stakes held in one organisation add up to at most 100% on any date. Dates are where an
OWNS edge starts or the day after one ends; an edge without dates holds on every date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ontology.errors import Problem
from ontology.records import Dataset, Edge, valid_on
from ontology.vocab import Prop, Rel

TOLERANCE = 1e-6  # percentages are decimals written by hand


def _days(edges: Iterable[Edge]) -> list[dt.date | None]:
    """Every date on which the set of valid edges can change, or None when no edge is dated."""
    days: set[dt.date] = set()
    for edge in edges:
        start, end = edge.props.get(Prop.VALID_FROM), edge.props.get(Prop.VALID_TO)
        if isinstance(start, dt.date):
            days.add(start)
        if isinstance(end, dt.date):
            days.add(end)
    found: list[dt.date | None] = [*sorted(days)]
    return found or [None]


def _share(edge: Edge) -> float | None:
    value = edge.props.get(Prop.PERCENTAGE)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def stake_problems(data: Dataset) -> list[Problem]:
    """One problem per owned organisation and first date on which its known direct stakes pass 100%."""
    by_owned: dict[str, list[Edge]] = defaultdict(list)
    for edge in data.edges.values():
        if edge.type == Rel.OWNS and _share(edge) is not None:
            by_owned[edge.target].append(edge)
    problems = []
    for owned, edges in sorted(by_owned.items()):
        for day in _days(edges):
            held = [e for e in edges if valid_on(e.props, day)]
            total = sum(_share(e) or 0.0 for e in held)
            if total > 100 + TOLERANCE:
                origin = held[-1].origin
                when = f" on {day}" if day else ""
                listed = ", ".join(f"{e.source} {_share(e):g}%" for e in held)
                problems.append(
                    Problem(
                        f"the stakes held in {owned}{when} add up to {total:g}% (over 100%): {listed}",
                        file=origin.file if origin else None,
                        line=origin.line if origin else None,
                        record=held[-1].id,
                        field=Prop.PERCENTAGE,
                    )
                )
                break
    return problems
