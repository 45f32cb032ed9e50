"""What the Epoch AI readers share: CSV files read by header name, numbers, dates, names and matches.

Epoch renames columns between releases (`Memory (bytes)` / `Memory size per board (Byte)`), so a
column is found by any of its known names, never by position. Numbers may be written in scientific
notation (`1.979e+15`). A `.zip` download is read through the CSV it contains.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from loaders import BUNDLED_DATA
from ontology.errors import DataError, Problem
from ontology.records import Origin
from ontology.schema import load_schema

_DMS = re.compile(
    r"(?P<d>\d{1,3}(?:\.\d+)?)°(?:(?P<m>\d{1,2}(?:\.\d+)?)['′])?(?:(?P<s>\d{1,2}(?:\.\d+)?)(?:\"|″|''))?(?P<h>[NSEWnsew])"
)
CERTAINTY = {
    "confirmed": "confirmed",
    "likely": "reported",
    "unlikely": "alleged",
    "speculative": "alleged",
}
"""Epoch's `Certainty` (and `Likely`/`Speculative` tags) → chiptrail confidence: Confirmed →
confirmed; Likely → reported (a source reports it, Epoch judges it likely); Unlikely and
Speculative → alleged (claimed or inferred, not established). A blank certainty → reported."""


class RowError(Exception):
    """A field of one row that cannot be read."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class CsvRow:
    """One row of an Epoch CSV: its values by canonical column name, and where it was read."""

    values: dict[str, str]
    origin: Origin

    def text(self, column: str) -> str:
        return " ".join(self.values.get(column, "").split())

    def number(self, column: str) -> float | None:
        """The value of `column` as a finite number (scientific notation allowed), None when blank."""
        raw = self.text(column).replace(",", "")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise RowError(f"{raw[:40]!r} is not a number", column) from None
        if math.isnan(value):
            return None
        if math.isinf(value) or value < 0:
            raise RowError(f"{raw[:40]!r} is not a possible figure", column)
        return value

    def number_signed(self, column: str) -> float | None:
        """A coordinate: decimal degrees (`-99.73`) or degrees-minutes-seconds (`32°35'25"N`)."""
        raw = self.text(column)
        if not raw:
            return None
        if match := _DMS.fullmatch(raw.replace(" ", "")):
            minutes, seconds = float(match["m"] or 0), float(match["s"] or 0)
            value = float(match["d"]) + minutes / 60 + seconds / 3600
            return round(-value if match["h"].upper() in "SW" else value, 6)
        try:
            return float(raw)
        except ValueError:
            raise RowError(f"{raw[:40]!r} is not a coordinate", column) from None

    def integer(self, column: str) -> int | None:
        """A count; Epoch's spreadsheet arithmetic leaves float noise (30000.000000000004)."""
        value = self.number(column)
        if value is None:
            return None
        if abs(value - round(value)) > 1e-6 * max(1.0, value):
            raise RowError(f"{self.text(column)!r} is not a whole number", column)
        return round(value)

    def date(self, column: str, *, end: bool = False) -> dt.date | None:
        """An ISO date (a timestamp's date part), or a month or year (its first day, or its last when
        `end`); None when blank."""
        raw = self.text(column)
        if not raw:
            return None
        try:
            if re.fullmatch(r"\d{4}", raw):
                return dt.date(int(raw), 12, 31) if end else dt.date(int(raw), 1, 1)
            if re.fullmatch(r"\d{4}-\d{2}", raw):
                first = dt.date.fromisoformat(f"{raw}-01")
                return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1) if end else first
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            raise RowError(f"{raw[:40]!r} is not a date YYYY-MM-DD", column) from None


def _canon(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).casefold()


def csv_text(path: Path, member: str) -> tuple[str, str]:
    """The text of a CSV download and the name to cite it by: the file, or `member` in a .zip."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if Path(n).name.casefold() == member.casefold()]
                if not names:
                    listed = ", ".join(archive.namelist()[:8])
                    raise DataError([Problem(f"the archive holds no {member} (it holds {listed})", file=str(path))])
                return archive.read(names[0]).decode("utf-8-sig"), f"{path}!{names[0]}"
        return path.read_text(encoding="utf-8-sig"), str(path)
    except UnicodeDecodeError as exc:
        raise DataError([Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path))]) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError([Problem(f"cannot be read: {exc}", file=str(path))]) from None


def read_rows(text: str, cited: str, columns: Mapping[str, Sequence[str]], required: Sequence[str]) -> Iterator[CsvRow]:
    """The rows of a CSV, values under the canonical names in `columns` (each with the header names
    it has had). A missing required column refuses the whole file, naming it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise DataError([Problem("the file is empty", file=cited)])
    where = {_canon(h): i for i, h in enumerate(header)}
    found: dict[str, int] = {}
    for name, spellings in columns.items():
        for spelling in (name, *spellings):
            if _canon(spelling) in where:
                found[name] = where[_canon(spelling)]
                break
    missing = [name for name in required if name not in found]
    if missing:
        raise DataError(
            [Problem(f"no column {name!r} in the header", file=cited, line=1, field=name) for name in missing]
        )
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cells[i] if i < len(cells) else "" for name, i in found.items()}
        yield CsvRow(values, Origin(cited, reader.line_num))


def slug(text: str) -> str:
    """`NVIDIA H100 SXM5 80GB` -> `nvidia-h100-sxm5-80gb` (a short hash keeps distinct names apart)."""
    base = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "x"
    return f"{base}-{short_hash(text)}"


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]


def name_key(text: str) -> str:
    return " ".join(text.casefold().split())


def confidence(certainty: str, field: str) -> str:
    """Epoch's certainty word as a chiptrail confidence (see `CERTAINTY`)."""
    word = name_key(certainty)
    if not word:
        return "reported"
    if word not in CERTAINTY:
        raise RowError(f"{certainty!r} is not an Epoch certainty ({', '.join(sorted(CERTAINTY))})", field)
    return CERTAINTY[word]


def _curated(name: str) -> list[dict[str, Any]]:
    path = BUNDLED_DATA / "curated" / name
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    nodes = document.get("nodes", []) if isinstance(document, dict) else []
    return [n for n in nodes if isinstance(n, dict)]


@cache
def curated_chips() -> dict[str, str]:
    """Curated chip ids by the Epoch name (`epoch:` identifier), name and alias, case-folded."""
    found: dict[str, str] = {}
    for node in _curated("chips.yaml"):
        if "ChipModel" not in node.get("labels", []):
            continue
        names = [str(node.get("name", "")), *(str(a) for a in node.get("aliases", []) or [])]
        epoch = [str(i).partition(":")[2] for i in node.get("identifiers", []) or [] if str(i).startswith("epoch:")]
        for name in [*epoch, *names]:
            found.setdefault(name_key(name), str(node["id"]))
    return found


@cache
def curated_countries() -> dict[str, str]:
    """Curated country place ids by name, alias and ISO code, case-folded."""
    found: dict[str, str] = {}
    country = load_schema().closure(("Country",))
    for node in _curated("places.yaml"):
        if not set(node.get("labels", [])) & set(country):
            continue
        names = [str(node.get("name", "")), str(node.get("iso3166", "")), *(str(a) for a in node.get("aliases") or [])]
        for name in names:
            if name:
                found.setdefault(name_key(name), str(node["id"]))
    return found


def country_place(text: str) -> str | None:
    """The curated country a name stands for (`United States of America` → the United States)."""
    key = name_key(text)
    places = curated_countries()
    return places.get(key) or places.get(re.sub(r"\s+of america$", "", key))
