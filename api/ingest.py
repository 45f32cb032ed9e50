"""Ingest one download of a source as a dated snapshot of its dataset, on either backend.

read → map to records → validate (the whole file, before anything is written) → compare with what
the target holds → write what was added, changed and ended, then the snapshot's Source node.
Other datasets and the curated data are never touched; a record is never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.ledger import Ledger
from graph.target import Fingerprint, IngestTarget, ref
from loaders import load_paths
from loaders.sources import ReadOptions, Source, registry
from loaders.sources.base import default_dataset
from loaders.sources.delta import Op, end, settle
from loaders.sources.stage import BATCH, Staged, snapshot_source_id, stage
from ontology import load_schema
from ontology.errors import DataError, InvalidParameter, NotFound, Problem, Refused
from ontology.records import Node, Props
from ontology.schema import Schema
from ontology.vocab import Label, Prop

Progress = Callable[[int], None]
SHOWN = 20


@dataclass(frozen=True)
class IngestRequest:
    source: Source
    path: Path
    dataset: str | None = None
    snapshot: dt.date | None = None
    include_individuals: bool = False
    skip_invalid: bool = False


@dataclass
class IngestReport:
    dataset: str
    snapshot: dt.date
    source_id: str
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    invalid_rows: int = 0
    tallies: Counter[str] = field(default_factory=Counter)  # what the source counts rows under
    # values read but not used: the first row of each field and message, and how many rows (the first 50)
    warnings: dict[tuple[str | None, str], tuple[Problem, int]] = field(default_factory=dict)
    warning_count: int = 0
    already: bool = False  # the same file was already ingested as this snapshot: nothing changed


def source_named(name: str) -> Source:
    """The source a user named. Raises `NotFound` with the names there are."""
    sources = registry()
    if name not in sources:
        raise NotFound("source", name, sorted(sources))
    return sources[name]


def snapshot_date(source: Source, path: Path, given: dt.date | None) -> dt.date:
    """The snapshot a download is: as given, as the file states, or the day the file was saved."""
    if given is not None:
        return given
    stated = source.stated_snapshot(path)
    return stated or dt.date.fromtimestamp(path.stat().st_mtime)


def _check_order(target: IngestTarget, dataset: str, day: dt.date, sha256: str) -> bool:
    """True if this very file is already the snapshot `day`; refuses an older or a clashing one."""
    done = target.snapshots(dataset)
    if not done:
        return False
    latest = done[-1]
    latest_day = latest.props.get(Prop.SNAPSHOT)
    assert isinstance(latest_day, dt.date)
    if day < latest_day:
        raise Refused(
            f"{dataset} already holds the snapshot of {latest_day}; a snapshot of {day} is older. "
            "Snapshots are applied in order: ingest downloads oldest first.",
            status=409,
        )
    if day == latest_day:
        if latest.props.get(Prop.SHA256) == sha256:
            return True
        raise Refused(
            f"{dataset} already holds a snapshot of {day} made from another file "
            f"({latest.props.get(Prop.FILE_NAME)}); give this one its own date with --snapshot.",
            status=409,
        )
    return False


def _snapshot_node(source: Source, staged: Staged, report: IngestReport) -> Node:
    info = source.info
    props: Props = {
        Prop.NAME: f"{info.title}, snapshot of {staged.snapshot}",
        Prop.TITLE: f"{info.title} ({staged.path.name}, snapshot of {staged.snapshot})",
        Prop.PUBLISHER: info.publisher,
        Prop.URL: info.url,
        Prop.SOURCE_KIND: "dataset",
        Prop.DATASET: staged.dataset,
        Prop.SNAPSHOT: staged.snapshot,
        Prop.SHA256: staged.sha256,
        Prop.FILE_NAME: staged.path.name,
        Prop.LICENCE: info.licence,
        Prop.RECORD_COUNT: staged.rows,
        Prop.ADDED_COUNT: report.counts[Op.ADDED],
        Prop.CHANGED_COUNT: report.counts[Op.CHANGED],
        Prop.ENDED_COUNT: report.counts[Op.ENDED],
        Prop.SKIPPED_COUNT: sum(staged.skipped.values()) + staged.invalid_rows,
    }
    return Node(staged.source_id, (Label.SOURCE,), props)


def _check_ownership(staged: Staged, target: IngestTarget) -> bool:
    """Records belong to one dataset: a download may not take over ids another dataset holds.
    True when the target holds none of the download's ids (a first ingest: every record is added)."""
    taken: list[Problem] = []
    first = True
    for batch in staged.refs():
        held = target.fingerprints([(record_id, rel_type) for record_id, rel_type, _ in batch])
        staged.keep_held(held)  # read once: the comparison below reads them from the staging file
        first = first and not held
        elsewhere = target.known({record_id for record_id, rel_type, _ in batch if rel_type is None} - set(held))
        for record_id, _, origin in batch:
            owner = held[record_id].dataset if record_id in held else staged.dataset
            if record_id in elsewhere:
                owner = None  # a node of the data the embedded store loads from files
            if owner != staged.dataset and len(taken) < SHOWN:
                where = "the curated data" if owner is None else f"the dataset {owner}"
                message = f"this id already belongs to {where}; a download feeds one dataset only"
                taken.append(Problem(message, file=origin, record=record_id))
    if taken:
        raise DataError(taken)
    return first


def _apply(staged: Staged, target: IngestTarget, report: IngestReport, progress: Progress | None) -> None:
    first = _check_ownership(staged, target)
    live = list(target.live(staged.dataset))
    kept = staged.contains(record_id for record_id, _ in live)
    gone = [r for r in live if r[0] not in kept]
    for start in range(0, len(gone), BATCH):
        ended = target.stored(gone[start : start + BATCH]).values()
        target.write([end(old, staged.snapshot, staged.source_id) for old in ended])
    report.counts[Op.ENDED] = len(gone)
    for batch in staged.records():
        held = {} if first else {i: Fingerprint(*f) for i, f in staged.held(i for i, _, _ in batch).items()}
        same = {i for i, f in held.items() if not f.ended and f.digest is not None}
        todo = [(staged.record(text), fp) for i, fp, text in batch if not (i in same and held[i].digest == fp)]
        report.counts[Op.UNCHANGED] += len(batch) - len(todo)
        stored = target.stored([ref(record) for record, _ in todo if record.id in held]) if held else {}
        writes = []
        for record, fingerprint in todo:
            settled = settle(record, fingerprint, stored.get(record.id), staged.snapshot)
            report.counts[settled.op] += 1
            if settled.record is not None:
                writes.append(settled.record)
        target.write(writes)
        if progress:
            progress(len(batch))
    target.stamp_seen(staged.dataset, staged.snapshot, [r for r in live if r[0] in kept])


def ingest(
    request: IngestRequest,
    target: IngestTarget,
    *,
    schema: Schema | None = None,
    progress: Callable[[int], None] | None = None,
    read: Callable[[int], None] | None = None,
) -> IngestReport:
    """Apply one download to `target`. Raises `DataError` (bad rows, nothing written), `Refused`
    (an older snapshot than the dataset's latest), `NotFound` (unknown source). `read` is told the
    rows read so far while the file is staged, `progress` the records compared and written."""
    source = request.source
    if not request.path.is_file() and not request.path.is_dir():  # a folder for sources of several files (eto)
        raise DataError([Problem("no such file", file=str(request.path))])
    schema = schema or load_schema()
    dataset = request.dataset or default_dataset(source, request.path)
    if not dataset.replace("_", "").replace("-", "").isalnum() or dataset != dataset.lower():
        raise InvalidParameter(f"a dataset name is lower-case letters, digits, '_' and '-', got {dataset!r}")
    day = snapshot_date(source, request.path, request.snapshot)
    report = IngestReport(dataset, day, snapshot_source_id(dataset, day))
    staged = stage(
        source,
        request.path,
        dataset=dataset,
        snapshot=day,
        schema=schema,
        known=target.known,
        options=ReadOptions(include_individuals=request.include_individuals),
        skip_invalid=request.skip_invalid,
        read=read,
    )
    try:
        report.rows, report.skipped, report.invalid_rows = staged.rows, staged.skipped, staged.invalid_rows
        report.tallies, report.warnings, report.warning_count = staged.tallies, staged.warnings, staged.warning_count
        if _check_order(target, dataset, day, staged.sha256):
            report.already = True
            return report
        try:
            _apply(staged, target, report, progress)
            target.write([_snapshot_node(source, staged, report)])
            target.commit()
        except BaseException:
            target.abort()
            raise
    finally:
        staged.close()
    return report


def open_ledger(home: Path, data: Sequence[Path], schema: Schema | None = None) -> Ledger:
    """The embedded backend's ledger in `home`; ingested records may point at nodes of `data`."""
    outside = set(load_paths(list(data)).nodes)
    return Ledger(home, schema or load_schema(), outside)
