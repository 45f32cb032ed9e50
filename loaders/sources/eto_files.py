"""Read the five CSVs of the ETO chip explorer's data folder into rows of text, with their lines.

The folder holds `inputs.csv`, `providers.csv`, `provision.csv`, `sequence.csv` and `stages.csv`
(UTF-8, commas and quotes inside descriptions, so a CSV parser, and quoted fields may span lines).
A missing file or column is a problem of the whole file; a line that is a merge-conflict marker
(`<<<<<<<`, `=======`, `>>>>>>>`: older commits of the repository held some) is a problem of its
line, and the conflicting rows on both sides are read as they come (the ingest refuses the file
unless `--skip-invalid`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import DataError, Problem
from ontology.records import Origin

FILES = ("stages", "inputs", "providers", "provision", "sequence")
COLUMNS: dict[str, tuple[str, ...]] = {
    "stages": ("stage_id", "stage_name", "description"),
    "inputs": ("input_id", "input_name", "type", "stage_id", "description", "year"),
    "providers": ("provider_name", "alias", "provider_id", "provider_type", "country"),
    "provision": ("provider_name", "provider_id", "provided_name", "provided_id", "share_provided", "year", "source"),
    "sequence": ("input_name", "input_id", "goes_into_name", "goes_into_id", "is_type_of_name", "is_type_of_id"),
}
MARKERS = ("<<<<<<<", "=======", ">>>>>>>")


@dataclass(frozen=True)
class CsvRow:
    """One row of one file: its values by column (stripped) and where it starts."""

    origin: Origin
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class LineProblem:
    """A line that is not a row (a merge-conflict marker) or a header that lacks a column."""

    problem: Problem


def folder_of(path: Path) -> Path:
    """The data folder: the path itself, or the folder of one of its five files."""
    if path.is_file() and path.stem in FILES and path.suffix.lower() == ".csv":
        return path.parent
    if not path.is_dir():
        raise DataError(
            [Problem("an ETO download is the data folder with inputs.csv, providers.csv, …", file=str(path))]
        )
    missing = [f"{name}.csv" for name in FILES if not (path / f"{name}.csv").is_file()]
    if missing:
        raise DataError([Problem(f"the folder lacks {', '.join(missing)}", file=str(path))])
    return path


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(f"not UTF-8 (byte {exc.start})", file=str(path))]) from exc


def read_rows(folder: Path, name: str) -> Iterator[CsvRow | LineProblem]:
    """The rows of `name`.csv in `folder`, each with the line it starts on."""
    path = folder / f"{name}.csv"
    text = _text(path)
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    numbers: list[int] = []  # the file's line number of each kept line
    for number, line in enumerate(lines, start=1):
        if line.startswith(MARKERS):
            message = f"merge-conflict marker {line.strip()[:40]!r}: resolve the conflict in the file first"
            yield LineProblem(Problem(message, file=str(path), line=number))
            continue
        kept.append(line)
        numbers.append(number)
    reader = csv.reader(io.StringIO("".join(kept)))
    header = [column.strip() for column in next(reader, [])]
    absent = [column for column in COLUMNS[name] if column not in header]
    if absent:
        problem = Problem(f"missing column {', '.join(absent)}", file=str(path), line=numbers[0] if numbers else 1)
        yield LineProblem(Problem(problem.message, file=problem.file, line=problem.line, field=absent[0]))
        return
    start = reader.line_num
    for values in reader:
        first = numbers[start] if start < len(numbers) else start + 1
        start = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            message = f"{len(values)} fields where the header has {len(header)}"
            yield LineProblem(Problem(message, file=str(path), line=first))
            continue
        yield CsvRow(Origin(str(path), first), {k: v.strip() for k, v in zip(header, values, strict=True)})
