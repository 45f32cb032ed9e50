"""Typo-tolerant search over names, aliases and Chinese names, ranked; the same on every backend."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from graph.store import GraphStore
from ontology.names import NAME_KEYS, names_in, normalise
from ontology.records import Node
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


FUZZY_BELOW = 0.75  # no fuzzy score is above this; every hit above it holds the term in a name


def search(store: GraphStore, q: str, limit: int = 20) -> list[SearchHit]:
    """Entities whose name, alias or Chinese name matches `q`, best first (ties by name, then id).

    A hit that is not fuzzy holds the folded term in one of its folded names (a word of a name is a
    piece of it), so those come from a look-up (`GraphStore.containing`). Every fuzzy hit scores
    below every other, so only when the look-up gives fewer than `limit` hits above `FUZZY_BELOW` are
    every entity's names read and scored."""
    wanted = normalise(q)
    if not wanted:
        return []
    hits = ranked(store.containing(Label.ENTITY, wanted), wanted)
    if sum(h.score > FUZZY_BELOW for h in hits) < limit:
        hits = ranked(store.nodes(Label.ENTITY), wanted)
    return hits[:limit]


def ranked(nodes: Iterable[Node], wanted: str) -> list[SearchHit]:
    """The nodes that match the folded term, best first."""
    hits = []
    for node in nodes:
        names = names_in(node.props, NAME_KEYS)
        scored = [(_score(wanted, name), name) for name in names]
        scored += [(0.85 * _score(wanted, word), name) for name in names for word in re.split(r"[\s,()/-]+", name)]
        best = max(scored, default=(0.0, ""))
        if best[0] > 0:
            name = node.props.get(Prop.NAME)
            label = str(name) if name is not None else None
            hits.append(SearchHit(id=node.id, name=label, labels=sorted(node.labels), matched=best[1], score=best[0]))
    hits.sort(key=lambda h: (-h.score, h.name or "", h.id))
    return hits
