"""`chiptrail changes`: what the snapshots of a dataset added, changed and ended after a date, and
which screening verdicts (and so which supply hops) change because of it — the delta feed.

Answered from the records' own stamps, so it reads the same on both backends: a record added
after `since` has `first_seen` after it, a changed one `changed_in`, an ended one `ended_in`.
Verdicts are compared on the `since` date and on the latest snapshot's date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from graph.store import GraphStore
from ontology import load_schema
from ontology.errors import NotFound
from ontology.records import Node
from ontology.vocab import Label, Prop, Rel
from queries.answers import Answer, PartyStatus, Ref
from queries.named import run
from queries.policies import Policies

OWNERSHIP_DEPTH = 3  # stakes below a changed party: the affiliates rule reads chains of owners


class SnapshotOut(Answer):
    id: str
    snapshot: str
    file_name: str | None
    sha256: str | None
    rows: int | None
    added: int | None
    changed: int | None
    ended: int | None
    skipped: int | None


class ChangeOut(Answer):
    OMIT_NONE = ("fields", "source", "target")
    op: str = Field(description="added | changed | ended")
    id: str
    kind: str = Field(description="A node label or a relationship type.")
    name: str | None
    snapshot: str = Field(description="The snapshot that made the change.")
    fields: list[str] | None = Field(default=None, description="For a change: the properties it changed.")
    source: str | None = None
    target: str | None = None
    record_key: str | None
    origin: str | None = Field(description="file:line of the row the current values come from.")


class VerdictChange(Answer):
    party: Ref
    before: PartyStatus
    after: PartyStatus
    explanation: str = Field(description="Why the party stands as it does after the change.")
    hops: list[str] = Field(
        description="Ids of the SUPPLIES hops into or out of the party: routes through them change."
    )


class ChangesAnswer(Answer):
    dataset: str
    since: str | None
    latest: str
    snapshots: list[SnapshotOut]
    added: list[ChangeOut]
    changed: list[ChangeOut]
    ended: list[ChangeOut]
    verdicts: list[VerdictChange]


def snapshots_of(store: GraphStore, dataset: str) -> list[Node]:
    """The dataset's snapshot Source nodes, oldest first."""
    found = [n for n in store.nodes(Label.SOURCE) if n.props.get(Prop.DATASET) == dataset]
    return sorted((n for n in found if isinstance(n.props.get(Prop.SNAPSHOT), dt.date)), key=_day)


def _day(node: Node) -> dt.date:
    day = node.props[Prop.SNAPSHOT]
    assert isinstance(day, dt.date)
    return day


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _snapshot_view(node: Node) -> SnapshotOut:
    p = node.props
    return SnapshotOut(
        id=node.id,
        snapshot=_day(node).isoformat(),
        file_name=str(p[Prop.FILE_NAME]) if Prop.FILE_NAME in p else None,
        sha256=str(p[Prop.SHA256]) if Prop.SHA256 in p else None,
        rows=_int(p.get(Prop.RECORD_COUNT)),
        added=_int(p.get(Prop.ADDED_COUNT)),
        changed=_int(p.get(Prop.CHANGED_COUNT)),
        ended=_int(p.get(Prop.ENDED_COUNT)),
        skipped=_int(p.get(Prop.SKIPPED_COUNT)),
    )


def _op(props: dict[str, Any], since: dt.date | None) -> tuple[str, dt.date]:
    """The latest thing that happened to a record after `since`, and in which snapshot."""
    ended, changed, first = (props.get(k) for k in (Prop.ENDED_IN, Prop.CHANGED_IN, Prop.FIRST_SEEN))
    if isinstance(ended, dt.date):
        return "ended", ended
    if isinstance(first, dt.date) and (since is None or first > since):
        return "added", first
    assert isinstance(changed, dt.date)
    return "changed", changed


def _most_specific(labels: list[str]) -> str:
    schema = load_schema()
    return max(labels, key=lambda label: (len(schema.ancestors(label)), label), default="Node")


def _change(row: dict[str, Any], since: dt.date | None) -> ChangeOut:
    props = row["props"]
    op, day = _op(props, since)
    kind = row["type"] or _most_specific(row["labels"])
    fields = props.get(Prop.CHANGED_FIELDS) if op == "changed" else None
    return ChangeOut(
        op=op,
        id=row["id"],
        kind=kind,
        name=props.get(Prop.NAME),
        snapshot=day.isoformat(),
        fields=list(fields) if isinstance(fields, list) else None,
        source=row["source"],
        target=row["target"],
        record_key=props.get(Prop.RECORD_KEY),
        origin=props.get(Prop.ORIGIN),
    )


def _affected(store: GraphStore, rows: list[dict[str, Any]]) -> set[str]:
    """Parties whose screening may change: changed organisations, the ends of changed
    designations and stakes, and what those parties own (down to OWNERSHIP_DEPTH)."""
    parties = {r["id"] for r in rows if Label.ORGANIZATION in r["labels"]}
    parties |= {r["source"] for r in rows if r["type"] in (Rel.DESIGNATED_BY, Rel.OWNS)}
    parties |= {r["target"] for r in rows if r["type"] == Rel.OWNS}
    frontier = set(parties)
    for _ in range(OWNERSHIP_DEPTH):
        frontier = {e.target for p in frontier for e in store.edges(Rel.OWNS, source=p)} - parties
        parties |= frontier
    orgs = store.nodes_by_id(parties)
    return {i for i, n in orgs.items() if Label.ORGANIZATION in n.labels}


def _verdicts(store: GraphStore, parties: set[str], before: dt.date, after: dt.date) -> list[VerdictChange]:
    screener = Policies.load(store).screener(store)
    found: list[VerdictChange] = []
    for party in sorted(parties):
        old, new = screener.screen(party, before), screener.screen(party, after)
        if old.status == new.status:
            continue
        hops = sorted(
            {e.id for e in store.edges(Rel.SUPPLIES, source=party)}
            | {e.id for e in store.edges(Rel.SUPPLIES, target=party)}
        )
        ref = Ref(id=party, name=new.name)
        found.append(
            VerdictChange(party=ref, before=old.status, after=new.status, explanation=new.explanation, hops=hops)
        )
    return found


def changes(store: GraphStore, dataset: str, since: dt.date | None = None) -> ChangesAnswer:
    """What the dataset's snapshots after `since` (default: the snapshot before the latest) did.
    Raises `NotFound` for a dataset never ingested into this store."""
    snapshots = snapshots_of(store, dataset)
    if not snapshots:
        known = sorted({str(n.props[Prop.DATASET]) for n in store.nodes(Label.SOURCE) if Prop.DATASET in n.props})
        raise NotFound("dataset", dataset, known)
    latest = _day(snapshots[-1])
    if since is None and len(snapshots) > 1:
        since = _day(snapshots[-2])
    rows = run(store, "dataset_changes", dataset=dataset, since=since)
    found = [_change(row, since) for row in rows]
    verdicts = _verdicts(store, _affected(store, rows), since, latest) if since is not None else []
    return ChangesAnswer(
        dataset=dataset,
        since=since.isoformat() if since else None,
        latest=latest.isoformat(),
        snapshots=[_snapshot_view(s) for s in snapshots],
        added=[c for c in found if c.op == "added"],
        changed=[c for c in found if c.op == "changed"],
        ended=[c for c in found if c.op == "ended"],
        verdicts=verdicts,
    )


class DatasetOut(Answer):
    dataset: str
    snapshots: list[SnapshotOut]


def datasets(store: GraphStore) -> list[DatasetOut]:
    """Every dataset ingested into the store, with its snapshots."""
    names = sorted({str(n.props[Prop.DATASET]) for n in store.nodes(Label.SOURCE) if Prop.SNAPSHOT in n.props})
    return [
        DatasetOut(dataset=name, snapshots=[_snapshot_view(s) for s in snapshots_of(store, name)]) for name in names
    ]
