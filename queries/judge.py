"""A person's decision about a pair, checked before it is written: both records exist, and a positive
does not make a cluster holding two different LEI or USCC values (nor two records judged different)
unless forced. Undoing a merge is a negative line superseding the positive in force."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from graph.store import GraphStore
from loaders.judgements import Judgement
from ontology.errors import InvalidParameter, NotFound, Refused
from ontology.records import Node
from ontology.vocab import Prop
from queries.candidates import score
from queries.clusters import Clusters
from queries.resolution import anchor, resolve
from queries.same_as import organizations, read_all

VERDICTS = {"same": "positive", "different": "negative", "unsure": "unsure"}


@dataclass(frozen=True)
class Decision:
    judgement: Judgement
    cluster: list[str]  # the records a positive joins (both clusters together); [left, right] otherwise
    conflict: str | None  # what the guard found (only written when forced)


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _record(nodes: dict[str, Node], term: str) -> Node:
    if term in nodes:
        return nodes[term]
    by_name = {str(n.props.get(Prop.NAME, n.id)): n.id for n in nodes.values()}
    close = difflib.get_close_matches(term, [*nodes, *by_name], n=5, cutoff=0.5)
    raise NotFound("organisation id", term, [by_name.get(c, c) for c in close])


def decide(
    store: GraphStore,
    files: Sequence[Path],
    left: str,
    right: str,
    verdict: str,
    *,
    reason: str,
    user: str,
    force: bool = False,
) -> Decision:
    """The line `chiptrail resolve judge` appends. Raises `NotFound` (with suggestions) for an unknown id,
    `InvalidParameter` for an empty reason or a pair of one record, `Refused` for a guarded positive."""
    if verdict not in VERDICTS.values():
        raise InvalidParameter(f"judgement must be one of {', '.join(VERDICTS.values())}")
    if not reason.strip():
        raise InvalidParameter("--reason must say why")
    nodes = organizations(store)
    a, b = _record(nodes, left), _record(nodes, right)
    if a.id == b.id:
        raise InvalidParameter("a record is always the same as itself: give two different ids")
    in_force = resolve(nodes, read_all(files)).in_force
    clusters = Clusters(nodes, [p for p, j in in_force.items() if j.judgement != "positive"])
    for (x, y), j in sorted(in_force.items()):
        if j.judgement == "positive":
            clusters.join(x, y)
    conflict = clusters.conflict(a.id, b.id) if verdict == "positive" else None
    cluster = sorted({*clusters.members(a.id), *clusters.members(b.id)}) if verdict == "positive" else [a.id, b.id]
    if conflict and not force:
        raise Refused(f"refused: {conflict} (cluster {', '.join(cluster)}); use --force to record it anyway", 409)
    line = Judgement(
        left=a.id,
        right=b.id,
        judgement=verdict,
        user=user,
        at=now(),
        reason=reason.strip(),
        score=score(a, b).score,
        supersedes=previous.key if (previous := in_force.get(pair(a.id, b.id))) else None,
        anchors={"left": anchor(a), "right": anchor(b)},
    )
    return Decision(line, cluster, conflict)


def undo(store: GraphStore, files: Sequence[Path], left: str, right: str, *, reason: str, user: str) -> Judgement:
    """A negative line superseding the positive judgement in force about the pair.
    Raises `InvalidParameter` when no merge of the pair is in force."""
    nodes = organizations(store)
    a, b = _record(nodes, left), _record(nodes, right)
    current = resolve(nodes, read_all(files)).in_force.get(pair(a.id, b.id))
    if current is None or current.judgement != "positive":
        raise InvalidParameter(f"no merge of {a.id} and {b.id} is in force to undo")
    decision = decide(store, files, a.id, b.id, "negative", reason=reason, user=user)
    return replace(decision.judgement, supersedes=current.key)
