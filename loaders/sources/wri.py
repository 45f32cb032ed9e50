"""The WRI Global Power Plant Database (CSV, 36 columns): each row becomes one `PowerPlant`.

- record key and id from `gppd_idnr`; `capacity_mw`; `fuel` from `primary_fuel` then
  `other_fuel1..3`, in the ontology's fuel vocabulary (lower case: `Wave and Tidal` is
  `wave_and_tidal`);
- `commissioning_year` is a whole year or the capacity-weighted mean of the units' years (`1997.4`):
  a whole year becomes `start_year`, a fractional one is kept in the note as published;
- latitude and longitude with `coord_precision` approximate: the database states no accuracy, and
  many positions come from matching plants to other databases, which WRI says can match wrongly;
  `geolocation_source` is kept in the note;
- `country` (ISO alpha-3) becomes the alpha-2 `country` and LOCATED_IN that country when the graph
  holds it; `url` the plant's `page_url`, `source` in the note;
- `owner` (free text, no share) becomes an `Organization` keyed in the dataset by its folded name,
  which OWNS the plant without a percentage. The resolver may join it to the same company from
  another source; nothing here claims more.

Only the columns used are required: `country, name, gppd_idnr, capacity_mw, latitude, longitude,
primary_fuel`. Owners are gathered in memory and written after the last row.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pycountry

from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, SourceInfo
from loaders.sources.csl_files import RowError, repaired, sniff
from loaders.sources.gem_places import curated_places
from ontology.errors import DataError, Problem
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

INFO = SourceInfo(
    name="wri",
    dataset="wri_gppd",
    title="Global Power Plant Database",
    publisher="World Resources Institute",
    licence="CC BY 4.0",
    home="http://datasets.wri.org/dataset/globalpowerplantdatabase",
    url="http://datasets.wri.org/dataset/globalpowerplantdatabase",
    confidence="reported",
    formats=("csv",),
)
REQUIRED = ("country", "name", "gppd_idnr", "capacity_mw", "latitude", "longitude", "primary_fuel")
# Read when present (older releases and re-saves drop some): other_fuel1..3, commissioning_year,
# owner, source, url, geolocation_source.
FUELS = {
    name.lower(): name.lower().replace(" ", "_")
    for name in (
        "Coal", "Gas", "Oil", "Hydro", "Nuclear", "Solar", "Wind", "Biomass", "Waste", "Geothermal", "Storage",
        "Cogeneration", "Petcoke", "Wave and Tidal", "Other",
    )
}  # fmt: skip
_ID = re.compile(r"^[A-Za-z0-9]{4,20}$")


@cache
def _labels(label: str) -> tuple[str, ...]:
    return load_schema().closure((label,))


@cache
def alpha2(alpha3: str) -> str | None:
    """ISO 3166-1 alpha-3 -> alpha-2 (None for a code ISO does not assign, e.g. XKX)."""
    found = pycountry.countries.get(alpha_3=alpha3.upper()) if len(alpha3) == 3 else None
    return str(found.alpha_2) if found is not None else None


def _number(row: dict[str, str], name: str, low: float | None = None, high: float | None = None) -> float | None:
    text = row.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"{text!r} is not a number", name) from None
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        raise RowError(f"{text} is outside {low:g}–{high:g}" if high is not None else f"{text} is negative", name)
    return value


def _fuels(row: dict[str, str]) -> list[str]:
    found: list[str] = []
    for name in ("primary_fuel", "other_fuel1", "other_fuel2", "other_fuel3"):
        text = row.get(name, "").strip()
        if not text:
            if name == "primary_fuel":
                raise RowError("the row has no primary fuel", name)
            continue
        fuel = FUELS.get(text.lower())
        if fuel is None:
            raise RowError(f"{text!r} is not a fuel of the database ({', '.join(FUELS)})", name)
        if fuel not in found:
            found.append(fuel)
    return found


def _year(row: dict[str, str], notes: list[str]) -> int | None:
    value = _number(row, "commissioning_year", 1800, 2100)
    if value is None:
        return None
    if value.is_integer():
        return int(value)
    notes.append(f"commissioning year {value:g} as published (a capacity-weighted mean of its units' years)")
    return None


def org_id(owner: str) -> tuple[str, str]:
    """The record key and node id of an owner named `owner` (keyed by its folded name)."""
    key = f"owner:{' '.join(owner.casefold().split())}"
    return key, f"wri-org-{hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]}"


def _plant(row: dict[str, str], origin: Origin) -> tuple[Node, list[Edge], str, str | None]:
    ident = row.get("gppd_idnr", "").strip()
    if not _ID.match(ident):
        raise RowError(f"{ident!r} is not a database id (letters and digits)", "gppd_idnr")
    name = row.get("name", "").strip()
    if not name:
        raise RowError("the row has no name", "name")
    capacity = _number(row, "capacity_mw", 0)
    if capacity is None:
        raise RowError("the row has no capacity", "capacity_mw")
    notes: list[str] = []
    props: Props = {Prop.NAME: name, Prop.CAPACITY_MW: capacity, Prop.FUEL: _fuels(row)}
    if (year := _year(row, notes)) is not None:
        props[Prop.START_YEAR] = year
    latitude, longitude = _number(row, "latitude", -90, 90), _number(row, "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        raise RowError("a coordinate without the other", "latitude" if latitude is None else "longitude")
    if latitude is not None and longitude is not None:
        props.update({Prop.LATITUDE: latitude, Prop.LONGITUDE: longitude, Prop.COORD_PRECISION: "approximate"})
        if geolocated := row.get("geolocation_source", "").strip():
            notes.append(f"geolocation source: {geolocated}")
    if (url := row.get("url", "").strip()).startswith(("http://", "https://")):
        props[Prop.PAGE_URL] = url
    if source := row.get("source", "").strip():
        notes.append(f"data source: {source}")
    code = alpha2(row.get("country", "").strip())
    if code:
        props[Prop.COUNTRY] = code
    if notes:
        props[Prop.NOTE] = "; ".join(notes)
    plant_id = f"wri-{ident.lower()}"
    country = curated_places().country(code) if code else None
    edges = [Edge(f"{plant_id}-in-{country.id}", Rel.LOCATED_IN, plant_id, country.id, {}, origin)] if country else []
    owner = " ".join(row.get("owner", "").split())
    if owner:
        _, owner_node = org_id(owner)
        note: Props = {Prop.NOTE: "owner as the database names it; no share given"}
        edges.append(Edge(f"{plant_id}-owner-{owner_node}", Rel.OWNS, owner_node, plant_id, note, origin))
    node = Node(plant_id, _labels(Label.POWER_PLANT), props, origin)
    return (
        node,
        edges,
        "placed in a country" if country else "not placed (country not among the graph's places)",
        owner or None,
    )


def _header(path: Path, headers: list[str]) -> None:
    for name in REQUIRED:
        if name not in headers:
            raise DataError([Problem(f"the WRI database CSV has no column {name!r}", file=str(path), line=1)])


class WriSource:
    """The WRI Global Power Plant Database as a `Source` (`global_power_plant_database.csv`)."""

    info = INFO

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """The CSV states no date: None (the file's date)."""
        return None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        """Each row's plant as it is read; the owners once the last row is read."""
        sniff(path, "CSV")
        owners: dict[str, tuple[str, Origin]] = {}
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            try:
                _header(path, [h.strip() for h in reader.fieldnames or []])
                for raw in reader:
                    origin = Origin(str(path), reader.line_num)
                    # Windows-1252 punctuation read as Latin-1 (U+0096 for an en dash) gets its character back.
                    row = {(k or "").strip(): repaired(v) for k, v in raw.items() if isinstance(v, str)}
                    try:
                        node, edges, tally, owner = _plant(row, origin)
                    except RowError as exc:
                        yield Invalid(Problem(exc.message, file=str(path), line=origin.line, field=exc.field))
                        continue
                    if owner:
                        owners.setdefault(org_id(owner)[0], (owner, origin))
                    yield Mapped(row["gppd_idnr"].strip(), origin, [node], edges, (tally,))
            except (UnicodeDecodeError, csv.Error) as exc:
                raise DataError(
                    [Problem(f"cannot read the CSV ({exc})", file=str(path), line=reader.line_num)]
                ) from exc
        for key, (name, origin) in owners.items():
            node = Node(org_id(name)[1], _labels(Label.ORGANIZATION), {Prop.NAME: name}, origin)
            yield Mapped(key, origin, [node])


WRI = WriSource()
