"""Pairs of organisations a person should look at: blocked on rare name tokens and identifiers, scored, never merged.

Blocking: two records are compared only if they share an identifier, or a fingerprinted name token
(legal forms dropped) held by at most `RARE` records, and their countries are compatible (equal,
or one side has none). Score (`chiptrail-names-v1`, see queries/names.py): the best name similarity
over names, aliases and Chinese names in the same script; +0.05 for the same country, -0.2 for
different countries; at least 0.9 with a shared identifier; then -0.3 when both carry an LEI or
USCC and the values differ. Pairs below 0.5, pairs already judged
(any judgement, between any members of their two clusters) and pairs already in one cluster are
dropped; at most 50 per record.
A parent and its sub-unit are shown with the veto `org_unit_suffix` and suggested `different`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from loaders.judgements import Judgement
from ontology.records import Node
from ontology.vocab import Prop
from queries.clusters import SINGLE_VALUED, identifiers
from queries.names import ALGORITHM, similarity, sub_unit, tokens

RARE = 50
THRESHOLD = 0.5
PER_RECORD = 50


@dataclass(frozen=True)
class Candidate:
    left: str
    right: str
    score: float
    features: dict[str, float | str] = field(default_factory=dict)
    suggestion: str | None = None
    algorithm: str = ALGORITHM


def names(node: Node) -> list[str]:
    found: list[str] = []
    for key in (Prop.NAME, Prop.NAME_ZH, Prop.ALIASES):
        value = node.props.get(key)
        found += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return found


def countries(node: Node) -> set[str]:
    value, more = node.props.get(Prop.COUNTRY), node.props.get(Prop.COUNTRIES)
    found = {value} if isinstance(value, str) else set()
    return found | (set(more) if isinstance(more, list) else set())


def _blocks(nodes: dict[str, Node]) -> set[tuple[str, str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for node in nodes.values():
        for key in {f"t:{t}" for n in names(node) for t in tokens(n)} | {f"i:{i}" for i in identifiers(node)}:
            index[key].add(node.id)
    pairs: set[tuple[str, str]] = set()
    for key, ids in index.items():
        if len(ids) > 1 and (key.startswith("i:") or len(ids) <= RARE):
            pairs.update(combinations(sorted(ids), 2))
    return {
        (a, b)
        for a, b in pairs
        if not (countries(nodes[a]) and countries(nodes[b]))
        or countries(nodes[a]) & countries(nodes[b])
        or _shared_ids(nodes[a], nodes[b])
    }


def _shared_ids(a: Node, b: Node) -> list[str]:
    return sorted(set(identifiers(a)) & set(identifiers(b)))


def _clash(a: Node, b: Node) -> str:
    """The schemes (LEI, USCC) both records carry with different values, or ''."""
    values = [{i.partition(":")[0]: i for i in identifiers(n) if i.partition(":")[0] in SINGLE_VALUED} for n in (a, b)]
    return ", ".join(sorted(s for s in values[0].keys() & values[1].keys() if values[0][s] != values[1][s]))


def score(a: Node, b: Node) -> Candidate:
    """The pair's score and the features that make it."""
    name = max((similarity(x, y) for x in names(a) for y in names(b)), default=0.0)
    features: dict[str, float | str] = {"name_similarity": name}
    total = name
    ca, cb = countries(a), countries(b)
    if ca and cb:
        features["country"] = 0.05 if ca & cb else -0.2
        total += float(features["country"])
    if shared := _shared_ids(a, b):
        features["shared_identifier"] = ", ".join(shared)
        total = max(total, 0.9)
    if clash := _clash(a, b):
        features["identifier_conflict"] = -0.3
        features["conflicting"] = clash
        total -= 0.3
    suffix = sub_unit(str(a.props.get(Prop.NAME, a.id)), str(b.props.get(Prop.NAME, b.id)))
    if suffix:
        features["org_unit_suffix"] = suffix
    total = round(min(max(total, 0.0), 1.0), 4)
    return Candidate(a.id, b.id, total, features, "different" if suffix else None)


def _across(a: str, b: str, cluster_of: dict[str, str]) -> tuple[str, str]:
    x, y = cluster_of.get(a, a), cluster_of.get(b, b)
    return (x, y) if x <= y else (y, x)


def candidates(
    nodes: dict[str, Node], judged: dict[tuple[str, str], Judgement], cluster_of: dict[str, str]
) -> list[Candidate]:
    """Pairs to review, best first (score, then ids). A judgement between two clusters covers every
    pair across them, so a pair whose clusters are judged (or are one) is not suggested."""
    found = []
    seen = {_across(x, y, cluster_of) for x, y in judged}
    for a, b in sorted(_blocks(nodes)):
        if cluster_of.get(a, a) == cluster_of.get(b, b) or _across(a, b, cluster_of) in seen:
            continue
        candidate = score(nodes[a], nodes[b])
        if candidate.score >= THRESHOLD:
            found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.left, c.right))
    per: dict[str, int] = defaultdict(int)
    kept = []
    for c in found:
        if per[c.left] < PER_RECORD and per[c.right] < PER_RECORD:
            per[c.left] += 1
            per[c.right] += 1
            kept.append(c)
    return kept
