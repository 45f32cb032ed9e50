"""Read a Global Energy Monitor tracker: the XLSX as GEM distributes it, or its data sheet saved as CSV.

GEM headers are human-readable ("Capacity (MW)", "Subnational unit (province, state)") and differ
between trackers and releases: `Country` or `Country/Area`, `Owner` or `Owner(s)`, `State/Province`
or `Subnational unit (province, state)`. Each logical column is looked up under every spelling it
has had (`COLUMNS`), and only the columns the loader uses are required: a file without one is
refused as a whole, naming the file and the column.

The tracker is told by its headers: `Coal type` or `Combustion technology` (coal), `Technology
Type` or `Capacity Rating` (solar), `Installation Type` (wind), `Fuel` with plural `Owner(s)` (oil &
gas). In an XLSX the data sheet is the first sheet whose first rows hold such a header row (GEM's
workbooks open with an "About" sheet); it is streamed with openpyxl in read-only mode, so memory
stays bounded by one row.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loaders.sources.csl_files import repaired, sniff
from ontology.errors import DataError, Problem
from ontology.records import Origin

# Each logical column and the headers it has had, in the order they are tried.
COLUMNS: dict[str, tuple[str, ...]] = {
    "location": ("GEM location ID",),
    "unit_id": ("GEM unit/phase ID", "GEM phase ID", "GEM unit ID"),
    "country": ("Country/Area", "Country"),
    "wiki": ("Wiki URL",),
    "plant": ("Plant name", "Project Name", "Project name", "Plant name (English)"),
    "unit": ("Unit name", "Phase Name", "Phase name"),
    "local_name": ("Plant name (local)", "Project Name in Local Language / Script", "Other Name(s)"),
    "owner": ("Owner", "Owner(s)"),
    "owner_ids": ("Owner GEM Entity ID", "Owner(s) GEM Entity ID", "Owner GEM Entity IDs"),
    "parent": ("Parent", "Parent(s)"),
    "parent_ids": ("Parent GEM Entity ID", "Parent(s) GEM Entity ID", "Parent GEM Entity IDs"),
    "capacity": ("Capacity (MW)",),
    "status": ("Status",),
    "start_year": ("Start year", "Start Year"),
    "technology": ("Technology Type", "Turbine/Engine Technology"),
    "fuel": ("Fuel",),
    "subnational": ("Subnational unit (province, state)", "State/Province"),
    "major_area": ("Major area (prefecture, district)",),
    "local_area": ("Local area (taluk, county)",),
    "latitude": ("Latitude",),
    "longitude": ("Longitude",),
    "accuracy": ("Location accuracy",),
}
REQUIRED = ("location", "country", "plant", "capacity", "status")
_HEADER_ROWS = 5  # a data sheet's header is within its first rows


@dataclass(frozen=True)
class Tracker:
    """Which GEM tracker a file is, and the fuel its plants burn or harvest."""

    name: str  # coal | solar | wind | oil_gas
    title: str
    fuel: str  # the default fuel in the ontology's vocabulary ("" when each unit says)
    markers: tuple[str, ...]  # headers only this tracker has

    @property
    def dataset(self) -> str:
        return f"gem_{self.name}"


TRACKERS = (
    Tracker("coal", "Global Coal Plant Tracker", "coal", ("Coal type", "Combustion technology", "Coal source")),
    Tracker("solar", "Global Solar Power Tracker", "solar", ("Capacity Rating", "Technology Type")),
    Tracker("wind", "Global Wind Power Tracker", "wind", ("Installation Type",)),
    Tracker("oil_gas", "Global Oil and Gas Plant Tracker", "", ("Fuel", "Owner(s)")),
)


@dataclass(frozen=True)
class Sheet:
    """The header of a tracker's data sheet: which tracker, and where each logical column is."""

    tracker: Tracker
    columns: dict[str, int]  # logical column -> index
    file: str  # as rows name it: the path, with the sheet for an XLSX ("trackers.xlsx[Units]")
    headers: tuple[str, ...] = ()
    sheet: str | None = None  # the worksheet of an XLSX
    header_row: int = 1


Rows = Iterator[tuple[Origin, list[str]]]


def _problem(message: str, path: Path | str, line: int | None = None) -> DataError:
    return DataError([Problem(message, file=str(path), line=line)])


def _tracker(headers: list[str]) -> Tracker | None:
    present = set(headers)
    if "GEM location ID" not in present:
        return None
    for tracker in TRACKERS:
        if any(marker in present for marker in tracker.markers):
            return tracker
    return None


def _not_a_tracker(headers: list[str]) -> str:
    if "GEM location ID" not in headers:
        return "not a GEM tracker data sheet: no 'GEM location ID' column"
    markers = sorted({m for t in TRACKERS for m in t.markers})
    return f"a GEM sheet of no tracker chiptrail reads (coal, solar, wind, oil & gas): none of {', '.join(markers)}"


def _columns(headers: list[str], where: str, line: int) -> dict[str, int]:
    index = {header: i for i, header in reversed(list(enumerate(headers)))}
    found = {}
    for name, spellings in COLUMNS.items():
        at = next((index[s] for s in spellings if s in index), None)
        if at is not None:
            found[name] = at
    for name in REQUIRED:
        if name not in found:
            shown = " or ".join(repr(s) for s in COLUMNS[name])
            raise _problem(f"the GEM data sheet has no column {shown}", where, line)
    return found


def _header(row: list[Any]) -> list[str]:
    return [" ".join(str(cell).split()) if cell is not None else "" for cell in row]


def _cell(value: Any) -> str:
    """A cell as text: numbers without a spurious `.0`, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return repaired(str(value).strip())


def _csv_sheet(path: Path) -> Sheet:
    sniff(path, "CSV")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            headers = _header(next(csv.reader(handle), []))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _problem(f"the file is not UTF-8 CSV text ({exc})", path, 1) from exc
    tracker = _tracker(headers)
    if tracker is None:
        raise _problem(_not_a_tracker(headers), path, 1)
    return Sheet(tracker, _columns(headers, str(path), 1), str(path), tuple(headers))


def _csv_rows(path: Path) -> Rows:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            next(reader, None)
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield Origin(str(path), reader.line_num), [repaired(cell.strip()) for cell in row]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise _problem(f"cannot read the CSV ({exc})", path, reader.line_num + 1) from exc


def _workbook(path: Path) -> Any:
    import openpyxl  # loaded only for a workbook

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _problem(f"not a readable XLSX workbook ({exc})", path) from exc


def _xlsx_sheets(path: Path) -> list[Sheet]:
    """Every data sheet of the workbook's tracker (the solar tracker splits its phases by size
    into two sheets), found by its header row within the first rows."""
    book, found = _workbook(path), list[Sheet]()
    try:
        for worksheet in book.worksheets:
            head = list(worksheet.iter_rows(max_row=_HEADER_ROWS, values_only=True))
            for number, row in enumerate(head, start=1):
                headers = _header(list(row))
                tracker = _tracker(headers)
                if tracker is not None and (not found or tracker == found[0].tracker):
                    where = f"{path}[{worksheet.title}]"
                    columns = _columns(headers, where, number)
                    found.append(Sheet(tracker, columns, where, tuple(headers), worksheet.title, number))
                    break
    finally:
        book.close()
    if not found:
        message = "no sheet of the workbook is a GEM tracker data sheet (none has a 'GEM location ID' column)"
        raise _problem(message, path)
    return found


def _xlsx_rows(path: Path, sheet: Sheet) -> Rows:
    book = _workbook(path)
    try:
        rows = book[sheet.sheet].iter_rows(min_row=sheet.header_row + 1, values_only=True)
        for number, row in enumerate(rows, start=sheet.header_row + 1):
            cells = [_cell(value) for value in row]
            if any(cells):
                yield Origin(sheet.file, number), cells
    finally:
        book.close()


def _is_workbook(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise _problem(f"cannot read file: {exc.strerror}", path) from exc
    if magic != b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise _problem("the file is named .xlsx but is not a workbook (a ZIP file)", path)
    return magic == b"PK\x03\x04"


def read_sheets(path: Path) -> list[Sheet]:
    """The data sheets' headers: which tracker and where their columns are (a CSV is one sheet).
    Raises `DataError` when the file is not a tracker chiptrail reads or lacks a required column."""
    return _xlsx_sheets(path) if _is_workbook(path) else [_csv_sheet(path)]


def read_sheet(path: Path) -> Sheet:
    """The first data sheet's header."""
    return read_sheets(path)[0]


def sheet_rows(path: Path, sheet: Sheet) -> Rows:
    """The data rows of the sheet, streamed: (origin, cells as text); blank rows are left out."""
    return _xlsx_rows(path, sheet) if sheet.sheet is not None else _csv_rows(path)
