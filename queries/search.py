"""Typo-tolerant search over names, aliases and Chinese names, ranked; the same on every backend."""

from __future__ import annotations

import difflib
import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from graph.store import GraphStore
from ontology.names import NAME_KEYS, names_in, normalise
from ontology.records import Node
from ontology.vocab import Label, Prop
from queries import fuzzy
from queries.answers import SearchHit
from queries.cache import per_version

WORDS = re.compile(r"[\s,()/-]+")
FUZZY = 0.6  # the least difflib ratio a fuzzy hit has
READ = 500  # fuzzy candidates read and scored at a time
TABLE_KEY = ("search", "names")  # the `NameTable` kept per data version


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
    if not fuzzy.may_reach(wanted, have, FUZZY):
        return 0.0
    ratio = difflib.SequenceMatcher(None, wanted, have).ratio()
    return round(0.75 * ratio, 4) if ratio >= FUZZY else 0.0


FUZZY_BELOW = 0.75  # no fuzzy score is above this; every hit above it holds the term in a name


def search(store: GraphStore, q: str, limit: int = 20) -> list[SearchHit]:
    """Entities whose name, alias or Chinese name matches `q`, best first (ties by name, then id).

    A hit that is not fuzzy holds the folded term in one of its folded names (a word of a name is a
    piece of it), so those come from a look-up (`GraphStore.containing`). Every fuzzy hit scores
    below every other, so only when the look-up gives fewer than `limit` hits above `FUZZY_BELOW`
    are fuzzy hits looked for, among the entities one of whose folded names or words is near the
    term (`NameTable.near`, which holds every entity with a fuzzy score and bounds that score from
    above): read and scored best bound first, until no entity left can enter the first `limit`.
    The hits are those a reading of every entity would give."""
    wanted = normalise(q)
    if not wanted:
        return []
    found = {n.id: n for n in store.containing(Label.ENTITY, wanted)}
    hits = ranked(found.values(), wanted)
    if sum(h.score > FUZZY_BELOW for h in hits) >= limit:
        return hits[:limit]
    bounds = {i: bound for i, bound in name_table(store).near(wanted).items() if i not in found}
    order = sorted(bounds, key=lambda i: (-bounds[i], i))
    for start in range(0, len(order), READ):
        if len(hits) >= limit and hits[limit - 1].score > bounds[order[start]]:
            break  # the rest score no more than their bound, below the last hit kept
        more = store.nodes_by_id(order[start : start + READ])
        hits = sorted([*hits, *ranked(more.values(), wanted)], key=_rank)
    return hits[:limit]


def _texts(names: list[str]) -> Iterable[tuple[str, str, float]]:
    """(a name or a word of it, the name, the weight of its score): what `ranked` scores."""
    for name in names:
        yield name, name, 1.0
    for name in names:
        for word in WORDS.split(name):
            yield word, name, 0.85


def ranked(nodes: Iterable[Node], wanted: str) -> list[SearchHit]:
    """The nodes that match the folded term, best first."""
    hits = []
    for node in nodes:
        names = names_in(node.props, NAME_KEYS)
        best = max(((weight * _score(wanted, text), name) for text, name, weight in _texts(names)), default=(0.0, ""))
        if best[0] > 0:
            name = node.props.get(Prop.NAME)
            label = str(name) if name is not None else None
            hits.append(SearchHit(id=node.id, name=label, labels=sorted(node.labels), matched=best[1], score=best[0]))
    hits.sort(key=_rank)
    return hits


def _rank(hit: SearchHit) -> tuple[float, str, str]:
    """Best first; ties by name, then id."""
    return -hit.score, hit.name or "", hit.id


@dataclass(frozen=True)
class NameTable:
    """Every entity's folded names and name words, each once, with the entities that hold it."""

    texts: list[str]
    ids: list[str]
    # texts[i] is held by ids[k // 2] for k in owners[starts[i]:starts[i + 1]]: as a name if k is
    # even, else as a word of a name only (whose score `ranked` weighs by 0.85)
    starts: NDArray[np.int64]
    owners: NDArray[np.int64]

    def near(self, wanted: str) -> dict[str, float]:
        """The entities holding a text difflib may find close to `wanted` (`fuzzy.near`), each with
        the most `ranked` can score it by such a text: every entity `_score` gives a fuzzy score,
        and a few more."""
        places, scores = fuzzy.near(wanted, self.texts, FUZZY)
        bounds: dict[str, float] = {}
        for i in places:
            top = 0.75 * float(scores[i]) + 1e-4  # at least `_score`'s, rounding included
            for k in self.owners[self.starts[i] : self.starts[i + 1]].tolist():
                entity, bound = self.ids[k // 2], top * (0.85 if k % 2 else 1.0)
                if bound > bounds.get(entity, 0.0):
                    bounds[entity] = bound
        return bounds


def prepare(store: GraphStore) -> None:
    """Build now what the first search of the data version would (the API does at its start, in the
    background): the table of names and words, and the look-up of folded names where the store
    builds one (the embedded store does; on Neo4j it is an index)."""
    name_table(store)
    store.named(Label.ENTITY, "prepared")  # any term: the embedded store builds its look-up on the first


def name_table(store: GraphStore) -> NameTable:
    """The store's `NameTable`, made once per data version (on Neo4j, per API request's version)."""
    return per_version(store, TABLE_KEY, lambda: table_of(store.nodes(Label.ENTITY, keys=NAME_KEYS)))


def table_of(nodes: Iterable[Node]) -> NameTable:
    index: dict[str, int] = {}  # text -> its place in the table
    held, owners = array("q"), array("q")  # one entry per (text, entity): the text's place, the owner
    ids: list[str] = []
    folded: dict[str, str] = {}  # the words of names repeat ('co', 'ltd', 'holdings'): folded once
    for place, node in enumerate(nodes):
        ids.append(node.id)
        for text, word in _folded(node.props, folded).items():
            held.append(index.setdefault(text, len(index)))
            owners.append(2 * place + word)
    order = np.argsort(np.frombuffer(held, dtype=np.int64), kind="stable")
    starts = np.zeros(len(index) + 1, dtype=np.int64)
    np.cumsum(np.bincount(np.frombuffer(held, dtype=np.int64), minlength=len(index)), out=starts[1:])
    return NameTable(list(index), ids, starts, np.frombuffer(owners, dtype=np.int64)[order])


def _folded(props: Mapping[str, object], cache: dict[str, str]) -> dict[str, bool]:
    """The folded texts `ranked` scores a node's names by (`_texts`), each True if only a word of a
    name (empty ones, which score 0, left out)."""
    found: dict[str, bool] = {}
    for text, _, weight in _texts(names_in(props, NAME_KEYS)):
        folded = cache.get(text)
        if folded is None:
            folded = cache[text] = normalise(text)
        if folded:
            found[folded] = found.get(folded, True) and weight < 1
    return found
