"""Typo-tolerant search over names, aliases and Chinese names, ranked; the same on every backend."""

from __future__ import annotations

import difflib
import re

from graph.store import GraphStore
from ontology.names import NAME_KEYS, names_in, normalise
from ontology.vocab import Label, Prop
from queries.answers import SearchHit


def _score(wanted: str, candidate: str) -> float:
    """1.0 exact, 0.9 prefix, 0.8 contains; else a fuzzy ratio scaled below 0.75 (0 if too far)."""
    have = normalise(candidate)
    if not wanted or not have:
        return 0.0
    if have == wanted:
        return 1.0
    if have.startswith(wanted):
        return 0.9
    if wanted in have:
        return 0.8
    ratio = difflib.SequenceMatcher(None, wanted, have).ratio()
    return round(0.75 * ratio, 4) if ratio >= 0.6 else 0.0


def search(store: GraphStore, q: str, limit: int = 20) -> list[SearchHit]:
    """Entities whose name, alias or Chinese name matches `q`, best first (ties by name, then id)."""
    wanted = normalise(q)
    hits = []
    for node in store.nodes(Label.ENTITY):
        names = names_in(node.props, NAME_KEYS)
        scored = [(_score(wanted, name), name) for name in names]
        scored += [(0.85 * _score(wanted, word), name) for name in names for word in re.split(r"[\s,()/-]+", name)]
        best = max(scored, default=(0.0, ""))
        if best[0] > 0:
            name = node.props.get(Prop.NAME)
            label = str(name) if name is not None else None
            hits.append(SearchHit(id=node.id, name=label, labels=sorted(node.labels), matched=best[1], score=best[0]))
    hits.sort(key=lambda h: (-h.score, h.name or "", h.id))
    return hits[:limit]
