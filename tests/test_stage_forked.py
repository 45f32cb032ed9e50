"""Staging shared with forked processes: the same rows, problems and counts as one process, in order."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from pathlib import Path
from typing import NamedTuple

import pytest

from loaders.sources import forked
from loaders.sources.base import ReadOptions, pieces
from loaders.sources.opensanctions import OPENSANCTIONS
from loaders.sources.stage import Staged, stage
from ontology import load_schema

FIXTURES = Path(__file__).parent / "fixtures" / "opensanctions"
FIRST = FIXTURES / "entities-2026-11-01.ftm.json"
STATEMENTS = FIXTURES / "statements-2026-11-01.csv"


def tagged(factor: int, batch: list[int]) -> list[tuple[int, int]]:
    """The work of the tests: each item times `factor`, with the process that worked on it."""
    if 4321 in batch:
        raise ValueError("item 4321 cannot be worked on")
    return [(os.getpid(), factor * item) for item in batch]


def test_items_come_back_in_order_with_the_answers_of_forked_processes() -> None:
    found = list(forked.in_order(range(4000), tagged, 3, processes=2, start_at=100, chunk=64))
    assert [item for item, _ in found] == list(range(4000))
    assert [answer for _, (_, answer) in found] == [3 * i for i in range(4000)]
    workers = {pid for _, (pid, _) in found[100:]}
    assert {pid for _, (pid, _) in found[:100]} == {os.getpid()}
    assert len(workers) == 2 and os.getpid() not in workers
    assert multiprocessing.active_children() == []


def test_a_short_stream_or_one_process_forks_nothing() -> None:
    short = list(forked.in_order(range(50), tagged, 1, processes=2, start_at=100, chunk=8))
    alone = list(forked.in_order(range(500), tagged, 1, processes=1, start_at=0, chunk=8))
    assert [answer for _, (_, answer) in short] == list(range(50))
    assert {pid for _, (pid, _) in short + alone} == {os.getpid()}


def test_an_error_in_a_forked_process_reaches_the_caller_and_stops_every_process() -> None:
    with pytest.raises(ValueError, match="item 4321 cannot be worked on"):
        list(forked.in_order(range(10_000), tagged, 1, processes=2, start_at=10, chunk=100))
    assert multiprocessing.active_children() == []


def test_a_caller_that_stops_reading_stops_every_process() -> None:
    answers = forked.in_order(range(10_000), tagged, 1, processes=2, start_at=0, chunk=10)
    assert [next(answers)[1][1] for _ in range(25)] == list(range(25))
    assert len(multiprocessing.active_children()) == 2
    answers.close()
    assert multiprocessing.active_children() == []


def staged_as(tmp_path: Path, path: Path, processes: int, monkeypatch: pytest.MonkeyPatch) -> Staged:
    monkeypatch.setattr(forked, "processes_here", lambda: processes)
    monkeypatch.setattr(forked, "START_AT", 3)
    monkeypatch.setattr(forked, "CHUNK", 2)
    found = stage(
        OPENSANCTIONS,
        path,
        dataset="opensanctions",
        snapshot=dt.date(2026, 11, 1),
        schema=load_schema(),
        known=lambda ids: {i for i in ids if i == "list-bis-entity-list"},
        options=ReadOptions(),
        skip_invalid=True,
        workdir=tmp_path,
    )
    assert multiprocessing.active_children() == []
    return found


class Contents(NamedTuple):
    rows: list[tuple[object, ...]]
    skipped: list[tuple[object, ...]]
    counts: tuple[int, dict[str, int], int, dict[str, int], int]  # rows, skipped, invalid, tallies, warnings
    problems: list[tuple[str, str | None, int | None, str | None, str | None]]
    warnings: list[tuple[tuple[str | None, str], str, int]]


def contents(staged: Staged) -> Contents:
    try:
        rows = staged.db.execute("SELECT * FROM stage ORDER BY id").fetchall()
        skipped = staged.db.execute("SELECT id FROM skipped ORDER BY id").fetchall()
        counts = (staged.rows, dict(staged.skipped), staged.invalid_rows, dict(staged.tallies), staged.warning_count)
        problems = [(p.message, p.file, p.line, p.record, p.field) for p in staged.problems]
        warnings = [(key, str(first), count) for key, (first, count) in staged.warnings.items()]
        return Contents(rows, skipped, counts, problems, warnings)
    finally:
        staged.close()


def test_an_entities_file_staged_by_forked_processes_is_staged_as_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = FIRST.read_text(encoding="utf-8").splitlines()
    assert any('"Address"' in line for line in lines)  # the first pass's table reaches the processes
    bad = [
        "{not json",  # an Invalid row
        '{"id": "NK-Ctl", "schema": "Company", "properties": {"name": ["Bad\\u0007Name"]}}',  # mapped, then refused
    ]
    download = tmp_path / "entities.ftm.json"
    download.write_text("\n".join([*lines[:6], *bad, *lines[6:]]) + "\n", encoding="utf-8")
    alone = contents(staged_as(tmp_path, download, 0, monkeypatch))
    shared = contents(staged_as(tmp_path, download, 2, monkeypatch))
    assert shared == alone
    read, skips, invalid, _, _ = alone.counts
    assert read == len(lines) + 2 and len(alone.rows) >= 20 and alone.skipped and skips
    assert invalid == len(alone.problems) == 2
    assert [line for _, _, line, _, _ in alone.problems] == [7, 8]  # each bad line named where it is


def test_a_statements_csv_staged_by_forked_processes_is_staged_as_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pieces(OPENSANCTIONS, STATEMENTS, ReadOptions()) is not None
    assert contents(staged_as(tmp_path, STATEMENTS, 2, monkeypatch)) == contents(
        staged_as(tmp_path, STATEMENTS, 0, monkeypatch)
    )
