"""One unit/phase row of a GEM tracker, read and checked: `Unit` (or a `RowError` naming the column)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.sources.csl_files import RowError
from loaders.sources.gem_files import COLUMNS, Sheet
from loaders.sources.gem_owners import Holder, holders
from ontology.records import Origin

# GEM's unit statuses (the word before " - inferred …") -> the plant status vocabulary.
STATUS = {
    "operating": "operating",
    "construction": "under_construction",
    "under construction": "under_construction",
    "pre-construction": "planned",
    "permitted": "planned",
    "pre-permit": "planned",
    "announced": "planned",
    "mothballed": "mothballed",
    "shelved": "shelved",
    "retired": "retired",
    "cancelled": "cancelled",
}
# A plant's status is the first of these any of its units has: operating if any unit operates.
PLANT_STATUS_ORDER = ("operating", "under_construction", "planned", "mothballed", "shelved", "retired", "cancelled")
_LOCATION = re.compile(r"^L\d{6,15}$")
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Unit:
    """What one unit/phase row says, as values."""

    origin: Origin
    location: str
    country: str
    plant: str
    label: str  # the unit or phase name, else its id, else the line
    capacity: float | None
    status: str  # GEM's word, lower-case ("" when not given)
    start_year: int | None
    owners: tuple[Holder, ...]
    parents: tuple[Holder, ...]
    local_name: str = ""
    wiki: str = ""
    technology: str = ""
    fuel: str = ""
    areas: tuple[str, str, str] = ("", "", "")  # subnational unit, major area, local area
    latitude: float | None = None
    longitude: float | None = None
    accuracy: str = ""


class Cells:
    """A row's cells by logical column, with the header each came from for messages."""

    def __init__(self, sheet: Sheet, cells: list[str]) -> None:
        self.sheet, self.cells = sheet, cells

    def header(self, name: str) -> str:
        at = self.sheet.columns.get(name)
        return self.sheet.headers[at] if at is not None else COLUMNS[name][0]

    def get(self, name: str) -> str:
        at = self.sheet.columns.get(name)
        return self.cells[at].strip() if at is not None and at < len(self.cells) else ""

    def number(self, name: str, low: float | None = None, high: float | None = None) -> float | None:
        text = self.get(name).replace(",", "")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise RowError(f"{self.get(name)!r} is not a number", self.header(name)) from None
        if value != value or (low is not None and value < low) or (high is not None and value > high):
            bound = f"{low:g}–{high:g}" if low is not None and high is not None else f"at least {low or 0:g}"
            raise RowError(f"{text} is outside {bound}", self.header(name))
        return value

    def year(self, name: str) -> int | None:
        text = self.get(name)
        if not text:
            return None
        match = _YEAR.match(text)
        if match is None or not 1800 <= int(match[1]) <= 2100:
            raise RowError(f"{text!r} is not a year", self.header(name))
        return int(match[1])


@lru_cache(maxsize=1 << 16)
def _holders(names: str, ids: str, names_field: str, ids_field: str) -> tuple[Holder, ...]:
    """`holders`, read once per distinct cell pair: the units of a plant, and one company's plants,
    repeat the same owner cells (a cell `holders` refuses raises each time)."""
    return tuple(holders(names, ids, names_field, ids_field))


def status_word(text: str) -> str:
    """`shelved - inferred 2 y` -> `shelved`."""
    return text.split(" - ")[0].strip().lower()


def read_unit(sheet: Sheet, origin: Origin, cells: list[str]) -> Unit:
    """The row as a `Unit`; raises `RowError` naming the column of the first bad value."""
    row = Cells(sheet, cells)
    location = row.get("location")
    if not _LOCATION.match(location):
        raise RowError(f"{location!r} is not a GEM location id (L followed by digits)", row.header("location"))
    plant = row.get("plant")
    if not plant:
        raise RowError("the row has no plant name", row.header("plant"))
    status = status_word(row.get("status"))
    if status and status not in STATUS:
        raise RowError(f"{row.get('status')!r} is not a GEM status ({', '.join(STATUS)})", row.header("status"))
    owners = _holders(row.get("owner"), row.get("owner_ids"), row.header("owner"), row.header("owner_ids"))
    parents = _holders(row.get("parent"), row.get("parent_ids"), row.header("parent"), row.header("parent_ids"))
    latitude, longitude = row.number("latitude", -90, 90), row.number("longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        raise RowError("a coordinate without the other", row.header(missing))
    return Unit(
        origin=origin,
        location=location,
        country=row.get("country"),
        plant=plant,
        label=row.get("unit") or row.get("unit_id") or f"line {origin.line}",
        capacity=row.number("capacity", 0, None),
        status=status,
        start_year=row.year("start_year"),
        owners=owners,
        parents=parents,
        local_name=row.get("local_name"),
        wiki=row.get("wiki"),
        technology=row.get("technology"),
        fuel=row.get("fuel"),
        areas=(row.get("subnational"), row.get("major_area"), row.get("local_area")),
        latitude=latitude,
        longitude=longitude,
        accuracy=row.get("accuracy").lower(),
    )


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))
