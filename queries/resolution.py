"""Entity resolution: identifiers merge automatically, people decide the rest.

The rule `rule:shared-identifier` judges two organisations the same when they share an identifier
of a scheme in `MERGE_SCHEMES`:

- `csl` (a CSL `_id`: the CSL row and the OpenSanctions entity `trade-csl-<id>` both carry it),
- `ofac` (the OFAC entity number), `lei`, `uscc`, `isin`, `opensanctions` (an FtM entity id) and
  `gem` (a Global Energy Monitor entity id `E…`, the same company across GEM trackers).

`reg` (a registration number) is left out: without its registry and jurisdiction two companies in
two countries can share one. A name never merges anything. The rule does not merge a pair a
judgement in force calls different (or unsure), a pair where one name is the other plus an
org-unit suffix (a parent and its listed "… Research Institute"), nor a join whose cluster would
hold two different LEI or USCC values (even transitively): those are reported as refusals.

Judgements in force (the last line about a pair, bundled file then the user's) are applied over
the rules; a judgement whose record id has vanished is re-attached through its anchors
(`rule:rekey`). Every judgement in force becomes one SAME_AS edge carrying it; only positive
edges merge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import pairwise

from loaders.judgements import Anchor, Judgement, latest
from ontology.records import Edge, Node
from ontology.vocab import Prop, Rel
from queries.clusters import Clusters, identifiers
from queries.names import fingerprint, sub_unit

MERGE_SCHEMES = ("csl", "ofac", "lei", "uscc", "isin", "opensanctions", "epoch", "gem")
# The properties resolution reads of each organisation (identifiers to merge on, and what an anchor keeps).
READS = (Prop.IDENTIFIERS, Prop.NAME, Prop.COUNTRY, Prop.DATASET)
RULE = "rule:shared-identifier"
REKEY = "rule:rekey"


@dataclass(frozen=True)
class Refusal:
    """A merge an identifier suggested and a guard refused."""

    left: str
    right: str
    identifier: str
    reason: str


@dataclass
class Resolution:
    """What resolution decided: the judgements in force, the SAME_AS edges, refusals and re-keyed lines."""

    in_force: dict[tuple[str, str], Judgement] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    rekeyed: list[Judgement] = field(default_factory=list)

    def edges(self) -> list[Edge]:
        return [same_as_edge(j) for _, j in sorted(self.in_force.items())]


def edge_id(a: str, b: str) -> str:
    x, y = sorted((a, b))
    return f"{x}|{Rel.SAME_AS}|{y}"


def same_as_edge(j: Judgement) -> Edge:
    a, b = j.pair
    props: dict[str, str | float] = {Prop.JUDGEMENT: j.judgement, Prop.DECIDED_BY: j.user, Prop.REASON: j.reason}
    if j.at:
        props[Prop.DECIDED_AT] = j.at
    if j.score is not None:
        props[Prop.SCORE] = j.score
    return Edge(edge_id(a, b), Rel.SAME_AS, a, b, dict(props))


def anchor(node: Node) -> Anchor:
    """What a judgement remembers of a record."""
    country = node.props.get(Prop.COUNTRY)
    dataset = node.props.get(Prop.DATASET)
    return Anchor(
        identifiers=tuple(identifiers(node)),
        name=str(node.props.get(Prop.NAME, node.id)),
        country=country if isinstance(country, str) else None,
        dataset=dataset if isinstance(dataset, str) else None,
    )


def _find(anchor_: Anchor, nodes: dict[str, Node]) -> str | None:
    """The one record matching an anchor by identifier, else by dataset + name fingerprint + country."""
    wanted = {i for i in anchor_.identifiers if i.partition(":")[0] in MERGE_SCHEMES}
    by_id = [n.id for n in nodes.values() if wanted & set(identifiers(n))] if wanted else []
    if len(by_id) == 1:
        return by_id[0]
    if by_id or anchor_.name is None:
        return None
    print_ = fingerprint(anchor_.name)
    by_name = [
        n.id
        for n in nodes.values()
        if fingerprint(str(n.props.get(Prop.NAME, ""))) == print_
        and n.props.get(Prop.COUNTRY) == anchor_.country
        and n.props.get(Prop.DATASET) == anchor_.dataset
    ]
    return by_name[0] if len(by_name) == 1 else None


def rekey(judgements: list[Judgement], nodes: dict[str, Node]) -> list[Judgement]:
    """New lines re-attaching judgements whose records vanished (skipped if an earlier run appended them,
    or if a line already decides the re-attached pair: a later decision is never overridden)."""
    done = {j.supersedes for j in judgements if j.user == REKEY}
    decided = {j.pair for j in judgements}
    out: list[Judgement] = []
    for j in latest(judgements).values():
        if (j.left in nodes and j.right in nodes) or j.key in done:
            continue
        sides = (("left", j.left), ("right", j.right))
        ids = {side: old if old in nodes else _find(j.anchors.get(side, Anchor()), nodes) for side, old in sides}
        left, right = ids["left"], ids["right"]
        if left is None or right is None or left == right or tuple(sorted((left, right))) in decided:
            continue
        moved = [f"{old} -> {ids[s]}" for s, old in sides if old != ids[s]]
        out.append(
            replace(
                j,
                left=left,
                right=right,
                user=REKEY,
                reason=f"re-keyed by anchors ({'; '.join(moved)}); was: {j.reason} ({j.user})",
                supersedes=j.key,
                anchors={"left": anchor(nodes[left]), "right": anchor(nodes[right])},
            )
        )
    return out


def _rule_pairs(nodes: dict[str, Node]) -> list[tuple[str, str, str]]:
    """(a, b, identifier) for records sharing a merge-scheme identifier, chained in id order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for node in nodes.values():
        for ident in identifiers(node):
            if ident.partition(":")[0] in MERGE_SCHEMES:
                groups[ident].append(node.id)
    pairs = []
    for ident, members in sorted(groups.items()):
        ordered = sorted(set(members))
        pairs += [(a, b, ident) for a, b in pairwise(ordered)]
    return pairs


def resolve(nodes: dict[str, Node], judgements: list[Judgement]) -> Resolution:
    """The judgements in force over these organisations: people's lines (re-keyed where needed), then the rule."""
    rekeyed = rekey(judgements, nodes)
    people = {p: j for p, j in latest([*judgements, *rekeyed]).items() if p[0] in nodes and p[1] in nodes}
    clusters = Clusters(nodes, [p for p, j in people.items() if j.judgement != "positive"])
    for (a, b), j in sorted(people.items()):
        if j.judgement == "positive":
            clusters.join(a, b)
    result = Resolution(in_force=dict(people), rekeyed=rekeyed)
    for a, b, ident in _rule_pairs(nodes):
        if (a, b) in people:
            continue
        names = str(nodes[a].props.get(Prop.NAME, a)), str(nodes[b].props.get(Prop.NAME, b))
        why = None
        if (suffix := sub_unit(*names)) is not None:
            why = f"one name is the other plus the org-unit suffix '{suffix}' (a parent and its sub-unit)"
        why = why or clusters.conflict(a, b)
        if why is not None:
            result.refusals.append(Refusal(a, b, ident, why))
            continue
        clusters.join(a, b)
        reason = f"shared identifier {ident}"
        result.in_force[(a, b)] = Judgement(a, b, "positive", RULE, "", reason, score=1.0)
    return result


def cluster_of(in_force: dict[tuple[str, str], Judgement]) -> dict[str, str]:
    """Each record joined by a positive judgement -> the smallest id of its cluster."""
    clusters = Clusters({})
    for (a, b), j in in_force.items():
        if j.judgement == "positive":
            clusters.join(a, b)
    return {x: min(clusters.members(x)) for x in list(clusters.parent)}
