"""The FollowTheMoney entity format, read as documented (no followthemoney package needed).

An `entities.ftm.json` file holds one JSON object per line: `id`, `schema`, `properties` (a map
of property name to a list of strings: every FtM value is text, percentages and dates too),
`referents` and bookkeeping such as `caption`, `datasets`, `first_seen`. This module turns lines
into `Entity` values or a `Problem` naming the file, line and field, and reads the two value
kinds whose text needs care: ISO date prefixes ("2023-05") and ownership percentages ("60%").
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology.errors import DataError, Problem
from ontology.records import Origin

_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_ARCHIVES = ((b"\x1f\x8b", "gzip-compressed"), (b"PK\x03\x04", "a zip archive"), (b"BZh", "bzip2-compressed"))
_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]*Z?)?$")
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%?$")
# Shares published as a bound or a range: "> 50", ">=25%", "50-75", "25 – 50 %".
_BOUND_OR_RANGE = re.compile(
    r"^(?:[<>≤≥]=?\s*\d+(?:[.,]\d+)?\s*%?|\d+(?:[.,]\d+)?\s*%?\s*[-–]\s*\d+(?:[.,]\d+)?\s*%?)$"
)


class ValueProblem(Exception):
    """A property value that cannot be read; the caller names the field."""


@dataclass(frozen=True)
class Entity:
    """One FtM entity as published: every property a list of strings."""

    id: str
    schema: str
    props: dict[str, list[str]]
    referents: tuple[str, ...]
    origin: Origin

    def values(self, *names: str) -> list[str]:
        """The values of these properties in order, without blanks or repeats."""
        found: list[str] = []
        for name in names:
            for value in self.props.get(name, []):
                text = value.strip()
                if text and text not in found:
                    found.append(text)
        return found

    def first(self, *names: str) -> str | None:
        """The first value of the first of these properties that has one."""
        values = self.values(*names)
        return values[0] if values else None


def lines(path: Path) -> Iterator[tuple[int, str]]:
    """Stream (line number, text) of a UTF-8 file, skipping blank lines.

    Raises `DataError` when the file is UTF-16/32 or binary, or when a line is not UTF-8."""
    try:
        with path.open("rb") as stream:
            sniff(stream.read(8192), path)
            stream.seek(0)
            for number, raw in enumerate(stream, start=1):
                text = _decode(raw, path, number)
                if text.strip():
                    yield number, text
    except OSError as exc:
        raise DataError([Problem(f"cannot read file: {exc.strerror}", file=str(path))]) from exc


def sniff(head: bytes, path: Path) -> None:
    """Refuse a file whose first bytes show UTF-16/32 text or binary data, saying which."""
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            raise DataError([Problem(f"the file is {name} text; save it as UTF-8", file=str(path), line=1)])
    for magic, name in _ARCHIVES:
        if head.startswith(magic):
            raise DataError([Problem(f"the file is {name}; unpack it first", file=str(path))])
    if b"\x00" in head:
        raise DataError([Problem("the file is binary (it holds NUL bytes), not text", file=str(path))])


def _decode(raw: bytes, path: Path, number: int) -> str:
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot start a character; save the file as UTF-8"
        raise DataError([Problem(message, file=str(path), line=number)]) from exc


def json_entities(path: Path, hint: str | None = None) -> Iterator[Entity | Problem]:
    """Stream the entities of a JSON lines file; with `hint`, only lines holding that text are parsed
    (a quick first pass for one schema)."""
    for number, text in lines(path):
        if hint is None or hint in text:
            yield parse_entity(text, Origin(str(path), number))


def parse_entity(text: str, origin: Origin) -> Entity | Problem:
    """One line as an entity, or the problem with it (never an exception)."""

    def problem(message: str, field: str | None = None, record: str | None = None) -> Problem:
        return Problem(message, file=origin.file, line=origin.line, record=record, field=field)

    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        return problem(f"not JSON ({exc.msg} at column {exc.colno}); a truncated line?")
    if not isinstance(data, dict):
        return problem(f"expected one JSON object per line, found a JSON {type(data).__name__}")
    for key in ("id", "schema"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            return problem(f"an entity needs a non-empty text '{key}'", key, data.get("id") if key != "id" else None)
    entity_id, schema = data["id"].strip(), data["schema"].strip()
    props = data.get("properties", {})
    if not isinstance(props, dict):
        return problem("'properties' must be a map of property names to lists of text", "properties", entity_id)
    for name, values in props.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return problem("an FtM property is a list of text values", f"properties.{name}", entity_id)
    referents = data.get("referents", [])
    if not isinstance(referents, list) or not all(isinstance(r, str) for r in referents):
        return problem("'referents' must be a list of entity ids", "referents", entity_id)
    return Entity(entity_id, schema, props, tuple(referents), origin)


def prefix_date(text: str, *, end: bool = False) -> dt.date:
    """An ISO date prefix as a day: the first day it covers, or with `end` the last.

    "2023-05" is 2023-05-01 (or 2023-05-31), "2023" is 2023-01-01 (or 2023-12-31); a time part
    is ignored. Raises `ValueProblem` for text that is not a prefix or not a real date."""
    match = _PREFIX.match(text.strip())
    if not match:
        raise ValueProblem(f"'{text}' is not an ISO date or date prefix (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        if month is None:
            return dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1)
        if day is None:
            last = calendar.monthrange(int(year), int(month))[1]
            return dt.date(int(year), int(month), last if end else 1)
        return dt.date(int(year), int(month), int(day))
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise ValueProblem(f"'{text}' is not a real date ({exc})") from exc


def percentage(text: str) -> float | int | None:
    """A published share as a number 0–100, or None when it is a bound, a range or words.

    Raises `ValueProblem` for a number outside 0–100 and for text that is neither a number nor
    a share described in words (e.g. "60%%")."""
    shown = text.strip()
    match = _NUMBER.match(shown)
    if match:
        number = match.group(1).replace(",", ".")
        value: float | int = float(number) if "." in number else int(number)
        if not 0 <= value <= 100:
            raise ValueProblem(f"share '{text}' is outside 0–100")
        return value
    if _BOUND_OR_RANGE.match(shown) or re.search(r"[^\W\d_]", shown):
        return None
    raise ValueProblem(f"'{text}' is not a percentage, a bound ('> 50'), a range or words")
