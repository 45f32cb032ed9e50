"""Read a whole download into a staging file before anything is written anywhere.

Every row is mapped, stamped with its provenance and checked against the ontology; the records
go to a temporary SQLite file (memory stays bounded whatever the download's size), and once the
last row is read every relationship's ends are checked. Only a download that passes as a whole
(or with its bad rows counted and skipped under `--skip-invalid`) reaches a store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from loaders.sources.base import Invalid, Mapped, ReadOptions, Skipped, Source, default_dataset
from loaders.sources.stamped import Settled, StageRow, Stamps, settled_rows, staging_row
from ontology.errors import DataError, Problem
from ontology.recordjson import Record, date_properties, loads
from ontology.records import Edge, Node
from ontology.schema import Schema

SHOWN_PROBLEMS = 50
BATCH = 5_000
READ_STEP = 1_000  # rows between two reports of the rows read
DROPPED = "relationship to a record not loaded"

Known = Callable[[set[str]], set[str]]  # which of these node ids the graph already holds


def file_sha256(path: Path) -> str:
    """SHA-256 of a file; of a folder download, of its files' names and contents in name order."""
    digest_ = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for one in files:
        if path.is_dir():
            digest_.update(one.name.encode() + b"\0")
        with one.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest_.update(block)
    return digest_.hexdigest()


def snapshot_source_id(dataset: str, snapshot: dt.date) -> str:
    """The id of the Source node a snapshot is cited as."""
    return f"src-{dataset.replace('_', '-')}-{snapshot.isoformat()}"


@dataclass
class Staged:
    """A download read, stamped and checked, waiting in a staging file."""

    source: Source
    dataset: str
    snapshot: dt.date
    path: Path
    sha256: str
    schema: Schema
    db: sqlite3.Connection
    folder: Path
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    invalid_rows: int = 0
    tallies: Counter[str] = field(default_factory=Counter)
    # values read but not used, once per field and message (the first row, and how many rows), the first 50
    warnings: dict[tuple[str | None, str], tuple[Problem, int]] = field(default_factory=dict)
    warning_count: int = 0

    @property
    def source_id(self) -> str:
        return snapshot_source_id(self.dataset, self.snapshot)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM stage").fetchone()[0])

    def records(self) -> Iterator[list[tuple[str, str, str]]]:
        """Every staged record's id, digest and text (`record` reads it), in batches, nodes first:
        a delta reads only the records whose digest differs from the graph's."""
        cursor = self.db.execute("SELECT id, digest, body FROM stage ORDER BY kind DESC, id")
        while batch := cursor.fetchmany(BATCH):
            yield batch

    def record(self, text: str) -> Record:
        """The record a staged text says."""
        return loads(text, self._dates)

    @cached_property
    def _dates(self) -> frozenset[str]:
        return date_properties(self.schema)

    def refs(self) -> Iterator[list[tuple[str, str | None, str]]]:
        """Every staged record's id, relationship type (None for a node) and origin, in batches,
        nodes first, as `records` orders them, without reading the records back."""
        cursor = self.db.execute(
            "SELECT id, CASE kind WHEN 'edge' THEN json_extract(body, '$.type') END, origin "
            "FROM stage ORDER BY kind DESC, id"
        )
        while batch := cursor.fetchmany(BATCH):
            yield [(str(i), None if t is None else str(t), str(origin)) for i, t, origin in batch]

    def contains(self, ids: Iterable[str]) -> set[str]:
        """Which of these ids the download holds."""
        return {str(i) for (i,) in _by_ids(self.db, "id", ids)}

    def keep_held(self, held: Mapping[str, Held]) -> None:
        """Remember what the graph holds under some of the download's ids, so that applying the
        download reads it here, not from the graph once more."""
        rows = ((i, dataset, fingerprint, ended) for i, (dataset, fingerprint, ended) in held.items())
        self.db.execute("BEGIN")  # one transaction: a commit per row cost 1 s per 10^5 ids
        self.db.executemany("INSERT OR REPLACE INTO held VALUES (?, ?, ?, ?)", rows)
        self.db.execute("COMMIT")

    def held(self, ids: Iterable[str]) -> dict[str, Held]:
        """What `keep_held` was told of these ids (an id it was not told of is not held)."""
        rows = _by_ids(self.db, "id, dataset, digest, ended", ids, table="held")
        return {str(i): (_text(dataset), _text(fingerprint), bool(ended)) for i, dataset, fingerprint, ended in rows}

    def close(self) -> None:
        """Drop the staging file."""
        self.db.close()
        (self.folder / "stage.sqlite").unlink(missing_ok=True)
        self.folder.rmdir()


# What the graph holds under an id of the download: its dataset, digest and whether it ended.
Held = tuple[str | None, str | None, bool]


def _text(value: object) -> str | None:
    return str(value) if value else None


def _by_ids(
    db: sqlite3.Connection, columns: str, ids: Iterable[str], table: str = "stage"
) -> Iterator[tuple[object, ...]]:
    """The `columns` of the rows of `table` (the staged records) among `ids`, looked up 500 at a time."""
    wanted = list(ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = f"SELECT {columns} FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})"  # noqa: S608 - placeholders only
        yield from db.execute(query, chunk)


def _open(folder: Path) -> sqlite3.Connection:
    db = sqlite3.connect(folder / "stage.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE TABLE stage (id TEXT PRIMARY KEY, kind TEXT, digest TEXT, body TEXT, "
        "origin TEXT, source TEXT, target TEXT)"
    )
    db.execute("CREATE TABLE skipped (id TEXT PRIMARY KEY)")
    db.execute("CREATE TABLE held (id TEXT PRIMARY KEY, dataset TEXT, digest TEXT, ended INTEGER)")
    return db


class _Reader:
    def __init__(self, staged: Staged) -> None:
        self.staged = staged
        self.pending: list[StageRow] = []

    def problem(self, problem: Problem) -> None:
        self.staged.invalid_rows += 1
        if len(self.staged.problems) < SHOWN_PROBLEMS:
            self.staged.problems.append(problem)

    def mapped(self, row: Mapped, settled: Settled) -> None:
        staged = self.staged
        if settled.problems:
            for problem in settled.problems[:3]:
                self.problem(problem)
            return
        staged.tallies.update(row.tallies)
        for warning in row.warnings:
            staged.warning_count += 1
            same = (warning.field, warning.message)
            if same in staged.warnings:
                staged.warnings[same] = (staged.warnings[same][0], staged.warnings[same][1] + 1)
            elif len(staged.warnings) < SHOWN_PROBLEMS:
                staged.warnings[same] = (warning, 1)
        self.pending.extend(settled.rows)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Stage the pending rows in one statement. A row whose id is staged already is left out;
        it is a conflict if it says something else (another digest) than the staged one."""
        db = self.staged.db
        before = db.total_changes
        db.executemany("INSERT OR IGNORE INTO stage VALUES (?, ?, ?, ?, ?, ?, ?)", self.pending)
        if db.total_changes - before < len(self.pending):
            staged = self._staged({item[0] for item in self.pending})
            for item in self.pending:
                first, fingerprint = staged[item[0]]
                if fingerprint != item[2]:
                    self.problem(
                        Problem(
                            f"conflicts with the record of the same id made at {first}",
                            file=item[4],
                            record=item[0],
                        )
                    )
        self.pending.clear()

    def _staged(self, ids: set[str]) -> dict[str, tuple[str, str]]:
        """(origin, digest) of the staged record of each id."""
        rows = _by_ids(self.staged.db, "id, origin, digest", sorted(ids))
        return {str(i): (str(origin), str(fingerprint)) for i, origin, fingerprint in rows}

    def read(self, options: ReadOptions, told: Callable[[int], None] | None = None) -> None:
        staged, db = self.staged, self.staged.db
        db.execute("BEGIN")
        stamps = Stamps(staged.schema, staged.source.info.confidence, staged.dataset, staged.source_id)
        with closing(
            settled_rows(staged.source, staged.path, options, stamps)
        ) as rows:  # closed: no process outlives a failure
            for row, settled in rows:
                staged.rows += 1
                if told and staged.rows % READ_STEP == 0:
                    told(staged.rows)
                if isinstance(row, Invalid):
                    self.problem(row.problem)
                elif isinstance(row, Skipped):
                    staged.skipped[row.reason] += 1
                    db.executemany("INSERT OR IGNORE INTO skipped VALUES (?)", [(i,) for i in row.ids])
                elif settled is not None:
                    self.mapped(row, settled)
        self.flush()
        db.execute("COMMIT")
        if told:
            told(staged.rows)


def namespace(dataset: str) -> str:
    """The prefix of the ids a download filed under a dataset name of the user's gets."""
    return f"{dataset.replace('_', '-')}."


def _renamed(record: Record, prefix: str, own: Callable[[str], bool]) -> Record:
    def new(node_id: str) -> str:
        return prefix + node_id if own(node_id) else node_id

    if isinstance(record, Node):
        return Node(prefix + record.id, record.labels, record.props)
    return Edge(prefix + record.id, record.type, new(record.source), new(record.target), record.props)


def _namespace(staged: Staged) -> None:
    """Under a dataset name of the user's (`--dataset`), the download's records get ids of their
    own, so two datasets of one source (two OpenSanctions collections) never share a record; the
    resolver joins the same party across them. References to records outside the file stay."""
    prefix, db, dates = namespace(staged.dataset), staged.db, date_properties(staged.schema)
    db.execute("BEGIN")
    db.execute("ALTER TABLE stage RENAME TO unnamed")
    db.execute(
        "CREATE TABLE stage (id TEXT PRIMARY KEY, kind TEXT, digest TEXT, body TEXT, "
        "origin TEXT, source TEXT, target TEXT)"
    )
    query = "SELECT 1 FROM unnamed WHERE id = ? AND kind = 'node'"
    skipped = "SELECT 1 FROM skipped WHERE id = ?"

    def own(node_id: str) -> bool:
        found = db.execute(query, (node_id,)).fetchone() or db.execute(skipped, (node_id,)).fetchone()
        return found is not None

    cursor = db.cursor().execute("SELECT body, origin FROM unnamed")
    while batch := cursor.fetchmany(BATCH):
        for body, origin in batch:
            record = _renamed(loads(body, dates), prefix, own)
            db.execute("INSERT INTO stage VALUES (?, ?, ?, ?, ?, ?, ?)", staging_row(record, origin))
    db.execute("UPDATE skipped SET id = ? || id", (prefix,))
    db.execute("DROP TABLE unnamed")
    db.execute("COMMIT")


def _check_ends(staged: Staged, known: Known) -> None:
    """Every relationship joins nodes of the download or of the graph; those whose end was skipped
    on purpose are dropped and counted."""
    db = staged.db
    loose = db.execute(
        "SELECT id, origin, source, target FROM stage s WHERE kind = 'edge' AND ("
        "NOT EXISTS (SELECT 1 FROM stage n WHERE n.id = s.source AND n.kind = 'node') OR "
        "NOT EXISTS (SELECT 1 FROM stage n WHERE n.id = s.target AND n.kind = 'node'))"
    ).fetchall()
    if not loose:
        return
    ends = {end for _, _, source, target in loose for end in (source, target)}
    in_file = staged.contains(ends)
    outside = known(ends - in_file)
    skipped = {i for (i,) in db.execute("SELECT id FROM skipped")} & ends
    db.execute("BEGIN")
    for edge_id, origin, source, target in loose:
        missing = [end for end in (source, target) if end not in in_file and end not in outside]
        if not missing:
            continue
        if all(end in skipped for end in missing):
            staged.skipped[DROPPED] += 1
            db.execute("DELETE FROM stage WHERE id = ?", (edge_id,))
            continue
        staged.invalid_rows += 1
        if len(staged.problems) < SHOWN_PROBLEMS:
            staged.problems.append(
                Problem(
                    f"points at {missing[0]!r}, which neither the file nor the graph contains",
                    file=origin,
                    record=edge_id,
                )
            )
        db.execute("DELETE FROM stage WHERE id = ?", (edge_id,))
    db.execute("COMMIT")


def stage(
    source: Source,
    path: Path,
    *,
    dataset: str,
    snapshot: dt.date,
    schema: Schema,
    known: Known,
    options: ReadOptions,
    skip_invalid: bool = False,
    workdir: Path | None = None,
    read: Callable[[int], None] | None = None,
) -> Staged:
    """Read `path` whole into a staging file. Raises `DataError` naming every bad row (the first
    fifty) unless `skip_invalid`, in which case they are counted in `invalid_rows` and left out.
    `read` is told how many rows have been read, every `READ_STEP` rows and at the end."""
    folder = Path(tempfile.mkdtemp(prefix="chiptrail-stage-", dir=workdir))
    db = _open(folder)
    staged = Staged(source, dataset, snapshot, path, file_sha256(path), schema, db, folder)
    try:
        _Reader(staged).read(options, read)
        if dataset != default_dataset(source, path):
            _namespace(staged)
        _check_ends(staged, known)
        if staged.invalid_rows and not skip_invalid:
            more = staged.invalid_rows - len(staged.problems)
            tail = [Problem(f"… and {more} more rows like these (not shown)", file=str(path))] if more > 0 else []
            raise DataError([*staged.problems, *tail])
    except BaseException:
        staged.close()
        raise
    return staged
