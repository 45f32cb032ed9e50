"""Small facts about evidence every answer uses: how strong a confidence is, a hop's date, numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ontology.records import Edge
from ontology.vocab import CONFIDENCE_LEVELS, Prop

_RANKS = {level: i for i, level in enumerate(CONFIDENCE_LEVELS)}
_UNKNOWN = len(CONFIDENCE_LEVELS)  # the rank of a value that is no level


def rank(confidence: str) -> int:
    """Position in CONFIDENCE_LEVELS (0 = strongest); unknown values sort last."""
    return _RANKS.get(confidence, _UNKNOWN)


def weakest(edges: Iterable[Edge]) -> str:
    """The weakest confidence among the edges (the first such): a route is as strong as its weakest hop."""
    found, worst = "", -1
    for edge in edges:
        confidence = str(edge.props.get(Prop.CONFIDENCE))
        if (level := rank(confidence)) > worst:
            found, worst = confidence, level
    return found


def edge_rank(edge: Edge) -> int:
    """`rank` of an edge's confidence, read without its text (an unhashable value is no level)."""
    try:
        return _RANKS.get(edge.props.get(Prop.CONFIDENCE), _UNKNOWN)  # type: ignore[arg-type]
    except TypeError:
        return _UNKNOWN


def weakest_rank(edges: Iterable[Edge]) -> int:
    """`rank(weakest(edges))`, read without the confidence's text (routes are sorted by it)."""
    return max(map(edge_rank, edges), default=_UNKNOWN)


RouteOrder = tuple[int, int, tuple[str, ...], tuple[str, ...]]


def path_nodes(edges: tuple[Edge, ...]) -> tuple[str, ...]:
    """The ids of the nodes a path of edges passes through, in order."""
    return (edges[0].source, *[e.target for e in edges])


def route_order(edges: tuple[Edge, ...]) -> RouteOrder:
    """Where a route's edges sort among routes: strongest weakest-confidence first, then shorter,
    then by node ids and edge ids."""
    return (
        weakest_rank(edges),
        len(edges),
        path_nodes(edges),
        tuple([e.id for e in edges]),
    )


def hop_date(edge: Edge) -> dt.date | None:
    """The date a hop happened: when the relationship began (None when no source dates it)."""
    value = edge.props.get(Prop.VALID_FROM)
    return value if isinstance(value, dt.date) else None


def number(value: object) -> float | None:
    """A property value as a float, or None when it is not a number (booleans are not numbers)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def fmt(value: float) -> str:
    """15832.0 -> '15,832'; 5.92 -> '5.92'."""
    return f"{value:,.0f}" if float(value).is_integer() or value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
