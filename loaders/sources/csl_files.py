"""Read the two CSL downloads, `consolidated.json` and `consolidated.csv`, into one row shape.

The JSON is streamed with `ijson` (the real file is about 34 MB; memory stays bounded by one row);
the CSV is read with the `csv` module (every field quoted, LF endings). Both become `RawRow`s that
hold the same values for the same content, except what the CSV flattens beyond recovery: the
city, state and postcode of an address (the CSV joins them into one string with the street).

Whatever the bytes, a file that cannot be read as a whole raises `DataError` naming the file; a
row that cannot be read becomes a `RowError` naming the file, the line (CSV) or item (JSON) and
the field.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson

from ontology.errors import DataError, Problem
from ontology.records import Origin

# fmt: off
COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
    "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type",
    "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
)  # the 29 columns of the CSV, in order
# fmt: on
_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
_ADDRESS_PARTS = ("address", "city", "state", "postal_code", "country")


@dataclass(frozen=True)
class RowError(Exception):
    """A row that cannot be read: which field and why (the reader adds where)."""

    message: str
    field: str | None = None


@dataclass
class RawRow:
    """One CSL result with its values as text and lists, in the same shape from JSON and CSV."""

    origin: Origin
    csl_id: str
    source: str
    name: str
    entity_number: str = ""
    type: str = ""
    programs: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # "address, city, state, postal_code, CC"
    cities: list[str] = field(default_factory=list)  # JSON only
    countries: list[str] = field(default_factory=list)  # one per address, "" when not an ISO code
    federal_register_notice: str = ""
    start_date: str = ""
    end_date: str = ""
    license_requirement: str = ""
    license_policy: str = ""
    remarks: str = ""
    alt_names: list[str] = field(default_factory=list)
    ids: list[tuple[str, str]] = field(default_factory=list)  # (type, number)


def _problem(message: str, path: Path, line: int | None = None) -> DataError:
    return DataError([Problem(message, file=str(path), line=line)])


def sniff(path: Path, kind: str) -> None:
    """Refuse, before parsing, a file that is not UTF-8 text: UTF-16/32 or binary."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise _problem(f"cannot read file: {exc.strerror}", path) from exc
    for bom, name in _WIDE_BOMS.items():
        if head.startswith(bom):
            raise _problem(f"the file is {name} text; save it as UTF-8", path, 1)
    if b"\x00" in head:
        raise _problem(f"the file is binary (it holds NUL bytes), not {kind} text", path)


_C1 = re.compile(r"[\x80-\x9f]")


def _windows_1252(match: re.Match[str]) -> str:
    try:
        return bytes([ord(match[0])]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no character; the check refuses them
        return match[0]


def repaired(text: str) -> str:
    """BIS text carries Windows-1252 punctuation read as Latin-1 (U+0092 for ’): give it back its
    character. Other control characters stay, and the row check refuses them."""
    return _C1.sub(_windows_1252, text) if _C1.search(text) else text


def _text(value: object, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return repaired(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise RowError(f"expected text, got {type(value).__name__}", name)


def _texts(value: object, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [repaired(value.strip())] if value.strip() else []
    if not isinstance(value, list):
        raise RowError(f"expected a list of text, got {type(value).__name__}", name)
    return [text for text in (_text(item, name) for item in value) if text]


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code, upper-case, when `text` is one; otherwise ""."""
    text = text.strip()
    return text.upper() if len(text) == 2 and text.isascii() and text.isalpha() else ""


def _json_address(value: object) -> tuple[str, str, str]:
    if not isinstance(value, dict):
        raise RowError(f"expected an address object, got {type(value).__name__}", "addresses")
    parts = {key: _text(value.get(key), "addresses") for key in _ADDRESS_PARTS}
    parts["country"] = country_code(parts["country"]) or parts["country"]
    joined = ", ".join(parts[key] for key in _ADDRESS_PARTS if parts[key])
    return joined, parts["city"], country_code(parts["country"])


def _json_ids(value: object) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowError(f"expected a list of ids, got {type(value).__name__}", "ids")
    found = []
    for item in value:
        if not isinstance(item, dict):
            raise RowError(f"expected an id object, got {type(item).__name__}", "ids")
        kind, number = _text(item.get("type"), "ids"), _text(item.get("number"), "ids")
        if kind and number:
            found.append((kind, number))
    return found


def json_row(item: object, origin: Origin) -> RawRow:
    """One element of `results` as a `RawRow` (raises `RowError`)."""
    if not isinstance(item, dict):
        raise RowError(f"expected an object, got {type(item).__name__}", None)
    raw_addresses = item.get("addresses") or []
    if not isinstance(raw_addresses, list):
        raise RowError(f"expected a list of addresses, got {type(raw_addresses).__name__}", "addresses")
    addresses = [_json_address(address) for address in raw_addresses]
    return RawRow(
        origin=origin,
        csl_id=_text(item.get("id", item.get("_id")), "id"),
        source=_text(item.get("source"), "source"),
        name=_text(item.get("name"), "name"),
        entity_number=_text(item.get("entity_number"), "entity_number"),
        type=_text(item.get("type"), "type"),
        programs=_texts(item.get("programs"), "programs"),
        addresses=[joined for joined, _, _ in addresses if joined],
        cities=list(dict.fromkeys(city for _, city, _ in addresses if city)),
        countries=[country for joined, _, country in addresses if joined],
        federal_register_notice=_text(item.get("federal_register_notice"), "federal_register_notice"),
        start_date=_text(item.get("start_date"), "start_date"),
        end_date=_text(item.get("end_date"), "end_date"),
        license_requirement=_text(item.get("license_requirement"), "license_requirement"),
        license_policy=_text(item.get("license_policy"), "license_policy"),
        remarks=_text(item.get("remarks"), "remarks"),
        alt_names=_texts(item.get("alt_names"), "alt_names"),
        ids=_json_ids(item.get("ids")),
    )


def _open_object(handle: IO[bytes], path: Path) -> None:
    """Refuse a document whose top level is not an object; leave `handle` at its start (past a BOM)."""
    head = handle.read(4096)
    start = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    first = head[start:].lstrip()[:1]
    if first != b"{":
        shown = {b"[": "a list", b"": "empty"}.get(first, f"{first.decode('latin-1')!r}")
        raise _problem(f"the top level is {shown}, not an object with a results list", path)
    handle.seek(start)


def _results_kind(path: Path) -> str | None:
    """The JSON kind of the top-level `results` member, None when there is none."""
    with path.open("rb") as handle:
        handle.seek(len(codecs.BOM_UTF8) if handle.read(3) == codecs.BOM_UTF8 else 0)
        for prefix, event, _ in ijson.parse(handle):
            if prefix == "results" and event not in ("map_key", "end_array", "end_map"):
                return str(event).replace("start_", "")
    return None


def _json_error(exc: Exception, path: Path, count: int) -> DataError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = f" after results[{count - 1}]" if count else ""
    return _problem(f"not valid JSON{where} (truncated or malformed): {reason}", path)


def read_json(path: Path) -> Iterator[tuple[Origin, RawRow | RowError]]:
    """Stream the results of `consolidated.json`, one at a time, with their item as origin (the
    parsing stays in ijson's C backend; a file without a `results` list is checked once at the end)."""
    sniff(path, "JSON")
    count = 0
    with path.open("rb") as handle:
        _open_object(handle, path)
        try:
            for count, item in enumerate(ijson.items(handle, "results.item", use_float=True), start=1):
                origin = Origin(str(path), item=f"results[{count - 1}]")
                try:
                    yield origin, json_row(item, origin)
                except RowError as exc:
                    yield origin, exc
        except ijson.JSONError as exc:
            raise _json_error(exc, path, count) from exc
        except UnicodeDecodeError as exc:
            raise _problem(f"not UTF-8: {exc.reason}; save the file as UTF-8", path) from exc
    if count == 0 and (kind := _results_kind(path)) != "array":
        message = f"'results' is {kind}, not a list" if kind else "the object has no 'results' list"
        raise _problem(f"{message}; is this the CSL consolidated.json?", path)


def _members(path: Path, prefix: str) -> list[Any]:
    """The values at `prefix`, found by ijson's C backend (the results are skipped, not built)."""
    with path.open("rb") as handle:
        _open_object(handle, path)
        try:
            return list(ijson.items(handle, prefix))
        except ijson.JSONError as exc:
            raise _json_error(exc, path, 0) from exc


def json_snapshot(path: Path) -> dt.date | None:
    """The date of `search_performed_at`, else the newest `sources_used[].last_imported`."""
    sniff(path, "JSON")
    performed = _members(path, "search_performed_at")
    if performed and (day := _day(performed[0])) is not None:
        return day
    days = [_day(stamp) for stamp in _members(path, "sources_used.item.last_imported")]
    return max((day for day in days if day is not None), default=None)


def _day(stamp: object) -> dt.date | None:
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("; ") if part.strip()]


def _has_digit(text: str) -> bool:
    return any(char.isdigit() for char in text)


def _csv_ids(text: str) -> list[tuple[str, str]]:
    """The flattened `ids` as (type, number) pairs. The importer writes each entry's values in the
    order of the OFAC XML, `"Registration ID, C122790; Passport, U00242309, TR"`; older files
    put the number first (`"XS0000000000, ISIN"`, `"CH, X0906223, Passport"`), told apart by
    where the digits are."""
    found = []
    for entry in _split(text):
        parts = [part.strip() for part in entry.split(", ") if part.strip()]
        if len(parts) < 2:
            continue
        kind, number = parts[0], parts[1]
        if _has_digit(kind) and not _has_digit(parts[-1]):
            kind, number = parts[-1], parts[-2]
        found.append((kind, number))
    return found


def csv_row(values: dict[str, str], origin: Origin) -> RawRow:
    """One CSV record, by column, as a `RawRow`."""
    addresses = _split(values["addresses"])
    return RawRow(
        origin=origin,
        csl_id=values["_id"].strip(),
        source=values["source"].strip(),
        name=values["name"].strip(),
        entity_number=values["entity_number"].strip(),
        type=values["type"].strip(),
        programs=_split(values["programs"]),
        addresses=addresses,
        countries=[country_code(address.rsplit(", ", 1)[-1]) for address in addresses],
        federal_register_notice=values["federal_register_notice"].strip(),
        start_date=values["start_date"].strip(),
        end_date=values["end_date"].strip(),
        license_requirement=values["license_requirement"].strip(),
        license_policy=values["license_policy"].strip(),
        remarks=values["remarks"].strip(),
        alt_names=_split(values["alt_names"].replace("; and", ";")),
        ids=_csv_ids(values["ids"]),
    )


def _header(reader: Any, path: Path) -> list[str]:
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise _problem(f"the header lacks the CSL column(s) {', '.join(missing)}", path, 1)
    return header


def _csv_records(handle: IO[str], path: Path) -> Iterator[tuple[Origin, RawRow | RowError]]:
    reader = csv.reader(handle, strict=True)
    header = _header(reader, path)
    line = reader.line_num + 1  # the physical line a record starts on (a quoted field may span lines)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _problem(f"not readable as CSV: {exc}", path, line) from exc
        origin, line = Origin(str(path), line), reader.line_num + 1
        if not record:
            continue
        if len(record) != len(header):
            where = header[len(record)] if len(record) < len(header) else None
            message = f"the row has {len(record)} fields, the header {len(header)}"
            yield origin, RowError(message, where)
            continue
        yield origin, csv_row(dict(zip(header, map(repaired, record), strict=True)), origin)


def read_csv(path: Path) -> Iterator[tuple[Origin, RawRow | RowError]]:
    """Stream the rows of `consolidated.csv` with their physical line as origin."""
    sniff(path, "CSV")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            yield from _csv_records(handle, path)
        except UnicodeDecodeError as exc:
            raise _problem(f"not UTF-8: {exc.reason}; save the file as UTF-8", path) from exc
