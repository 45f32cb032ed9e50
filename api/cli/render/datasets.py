"""Tables for the dataset commands: ingested snapshots and the changes they made."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from queries.changes import ChangeOut, ChangesAnswer, DatasetOut

SHOWN = 50  # rows per table; --format json gives every row


def print_datasets(console: Console, found: list[DatasetOut]) -> None:
    if not found:
        console.print("No dataset ingested yet: chiptrail ingest SOURCE FILE")
        return
    table = Table("dataset", "snapshot", "file", "rows", "added", "changed", "ended", "skipped")
    for item in found:
        for s in item.snapshots:
            counts = (s.rows, s.added, s.changed, s.ended, s.skipped)
            table.add_row(
                item.dataset, s.snapshot, s.file_name or "", *(f"{n:,}" if n is not None else "" for n in counts)
            )
    console.print(table)


def _changes(console: Console, title: str, items: list[ChangeOut]) -> None:
    if not items:
        return
    table = Table("snapshot", "kind", "record", "fields", "row", title=f"{title} ({len(items):,})")
    for c in items[:SHOWN]:
        label = c.name or (f"{c.source} → {c.target}" if c.source else c.id)
        row = Path(c.origin).name if c.origin else ""
        table.add_row(c.snapshot, c.kind, label, ", ".join(c.fields or []), row)
    console.print(table)
    if len(items) > SHOWN:
        console.print(f"… and {len(items) - SHOWN:,} more (--format json lists them all)")


def print_changes(console: Console, answer: ChangesAnswer) -> None:
    since = f"after {answer.since}" if answer.since else "since the first snapshot"
    console.print(f"[bold]{answer.dataset}[/]: changes {since}, up to the snapshot of {answer.latest}")
    _changes(console, "added", answer.added)
    _changes(console, "changed", answer.changed)
    _changes(console, "ended", answer.ended)
    if not (answer.added or answer.changed or answer.ended):
        console.print("nothing added, changed or ended")
    for v in answer.verdicts:
        hops = f"; {len(v.hops)} supply hops through it" if v.hops else ""
        console.print(
            f"screening of {v.party.name} ({v.party.id}): {v.before} → [bold]{v.after}[/]{hops}. {v.explanation}"
        )
