"""Global Energy Monitor trackers (coal, solar, wind; oil & gas): unit/phase rows become plants.

Every unit/phase row of one GEM location id becomes one `PowerPlant` (record key: the location id):

- name from the first unit's plant name; `name_zh` from the local name when it is Chinese (another
  local name becomes an alias);
- `capacity_mw` the sum of its units' capacities (every status), `capacity_by_status` the split by
  GEM's status words (`operating: 1320 MW, 2 units`), `unit_count` the rows;
- `status` by the rule: operating if any unit operates, else under construction if any unit is,
  else planned (announced, pre-permit, permitted, pre-construction), mothballed, shelved, retired,
  cancelled — the first any unit has;
- `start_year` the earliest unit start year; `fuel` the tracker's (solar thermal units of the solar
  tracker: `solar_thermal`; the oil & gas tracker: each unit's fuel);
- latitude and longitude of the first unit with coordinates, `coord_precision` from its "Location
  accuracy" (exact | approximate); `page_url` the GEM wiki page;
- LOCATED_IN the most specific curated place the row names (see `gem_places`).

Owners and parents (`Name [60%]; Other [40%]` with their `E…` entity ids) become `Organization`
records keyed by the entity id (the name when there is none) with the identifier `gem:E…`, so the
resolver joins one company across trackers. The direct owner OWNS the plant with its share (a
number when one is given, `percentage_text` as published; no share, no percentage); a parent OWNS
the plant with `stake_level` ultimate_parent — the share GEM attributes to it through the owners,
not a direct stake. When the units of a plant name different holders, a holder's share of the plant
is weighted by unit capacity (and said so in the note), or unknown when a unit's share is.

Each tracker is a dataset of its own (`gem_coal`, `gem_solar`, `gem_wind`, `gem_oil_gas`), so a new
download of one tracker never ends the plants of another. Plants and owners are gathered in memory
(a few hundred bytes per location) and written once the last row is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, SourceInfo
from loaders.sources.csl_files import RowError
from loaders.sources.gem_files import COLUMNS, Sheet, Tracker, read_sheet, read_sheets, sheet_rows
from loaders.sources.gem_owners import Holder
from loaders.sources.gem_places import Placed, curated_places
from loaders.sources.gem_units import PLANT_STATUS_ORDER, STATUS, Unit, is_chinese, read_unit
from ontology.errors import Problem
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel, StakeLevel

INFO = SourceInfo(
    name="gem",
    dataset="gem",  # each file goes to its tracker's dataset: gem_coal | gem_solar | gem_wind | gem_oil_gas
    title="Global Energy Monitor tracker",
    publisher="Global Energy Monitor",
    licence="CC BY 4.0",
    home="https://globalenergymonitor.org/",
    url="https://globalenergymonitor.org/projects/",  # files come through a request form: no stable address
    confidence="reported",
    formats=("xlsx", "csv"),
)
PARENT = StakeLevel.ULTIMATE_PARENT
AREAS = (Label.PROVINCE, Label.PREFECTURE, Label.COUNTY)


@cache
def _labels(label: str) -> tuple[str, ...]:
    return load_schema().closure((label,))


def _slug(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


def holder_key(holder: Holder) -> str:
    """The record key of a holder: its GEM entity id, else `name:<folded name>`."""
    return holder.entity or f"name:{_folded(holder.name)}"


@dataclass
class _Org:
    id: str
    key: str
    name: str
    origin: Origin
    entity: str | None
    aliases: set[str] = field(default_factory=set)

    def mapped(self) -> Mapped:
        props: Props = {Prop.NAME: self.name}
        if self.aliases - {self.name}:
            props[Prop.ALIASES] = sorted(self.aliases - {self.name})
        if self.entity:
            props[Prop.IDENTIFIERS] = [f"gem:{self.entity}"]
        node = Node(self.id, _labels(Label.ORGANIZATION), props, self.origin)
        return Mapped(self.key, self.origin, [node])


@dataclass
class _Plant:
    first: Unit
    units: list[Unit] = field(default_factory=list)


class _Reading:
    """One file's plants and holders, gathered row by row."""

    def __init__(self, sheet: Sheet) -> None:
        self.tracker = sheet.tracker
        # the headers of the subnational unit, major area and local area, as this file spells them
        self.area_fields = tuple(
            sheet.headers[sheet.columns[name]] if name in sheet.columns else COLUMNS[name][0]
            for name in ("subnational", "major_area", "local_area")
        )
        self.plants: dict[str, _Plant] = {}
        self.orgs: dict[str, _Org] = {}

    def add(self, unit: Unit) -> None:
        self.plants.setdefault(unit.location, _Plant(unit)).units.append(unit)
        for holder in (*unit.owners, *unit.parents):
            key = holder_key(holder)
            org = self.orgs.get(key)
            if org is None:
                org_id = f"gem-{self.tracker.name.replace('_', '-')}-"
                org_id += holder.entity.lower() if holder.entity else f"org-{_slug(key)}"
                self.orgs[key] = org = _Org(org_id, key, holder.name, unit.origin, holder.entity)
            org.aliases.add(holder.name)


def _status(units: list[Unit]) -> str | None:
    found = {STATUS[u.status] for u in units if u.status}
    return next((s for s in PLANT_STATUS_ORDER if s in found), None)


def _by_status(units: list[Unit]) -> list[str]:
    words = sorted(
        {u.status or "unknown" for u in units},
        key=lambda w: (PLANT_STATUS_ORDER.index(STATUS[w]) if w in STATUS else 99, w),
    )
    found = []
    for word in words:
        mine = [u for u in units if (u.status or "unknown") == word]
        total = sum(u.capacity or 0.0 for u in mine)
        count = f"{len(mine)} unit{'s' if len(mine) != 1 else ''}"
        found.append(f"{word}: {total:g} MW, {count}")
    return found


def _fuels(tracker: Tracker, units: list[Unit]) -> list[str]:
    if tracker.name == "solar":
        return sorted({"solar_thermal" if "thermal" in u.technology.lower() else "solar" for u in units})
    if tracker.fuel:
        return [tracker.fuel]
    found = set()
    for unit in units:
        text = unit.fuel.lower()
        found.add("gas" if "gas" in text else "oil" if "oil" in text or "diesel" in text else "other")
    return sorted(found)


def _plant_props(tracker: Tracker, plant: _Plant, placed: Placed) -> Props:
    units, first = plant.units, plant.first
    capacities = [u.capacity for u in units if u.capacity is not None]
    years = [u.start_year for u in units if u.start_year is not None]
    located = next((u for u in units if u.latitude is not None), None)
    props: Props = {
        Prop.NAME: first.plant,
        Prop.UNIT_COUNT: len(units),
        Prop.CAPACITY_BY_STATUS: _by_status(units),
        Prop.FUEL: _fuels(tracker, units),
    }
    if first.local_name and first.local_name != first.plant:
        props[Prop.NAME_ZH if is_chinese(first.local_name) else Prop.ALIASES] = (
            first.local_name if is_chinese(first.local_name) else [first.local_name]
        )
    if capacities:
        props[Prop.CAPACITY_MW] = round(sum(capacities), 6)
    if (status := _status(units)) is not None:
        props[Prop.STATUS] = status
    if years:
        props[Prop.START_YEAR] = min(years)
    if located is not None and located.latitude is not None and located.longitude is not None:
        props[Prop.LATITUDE], props[Prop.LONGITUDE] = located.latitude, located.longitude
        if located.accuracy:
            props[Prop.COORD_PRECISION] = "exact" if located.accuracy == "exact" else "approximate"
    if first.wiki.startswith(("http://", "https://")):
        props[Prop.PAGE_URL] = first.wiki
    if placed.place is not None:
        props[Prop.COUNTRY] = placed.place.country
    return props


@dataclass(frozen=True)
class Stake:
    holder: Holder  # the first mention (name and entity)
    percentage: float | None
    text: str | None
    note: str | None = None


def stakes(units: list[Unit], parents: bool) -> list[Stake]:
    """Each holder's share of the plant from its units' owner (or parent) cells."""
    lists = [u.parents if parents else u.owners for u in units]
    shape = [tuple((holder_key(h), h.share, h.text) for h in held) for held in lists]
    if all(s == shape[0] for s in shape):
        return [Stake(h, h.share, h.text) for h in lists[0]]
    first: dict[str, Holder] = {}
    for held in lists:
        for holder in held:
            first.setdefault(holder_key(holder), holder)
    return [_weighted(key, holder, units, lists) for key, holder in first.items()]


def _weighted(key: str, holder: Holder, units: list[Unit], lists: list[tuple[Holder, ...]]) -> Stake:
    texts, weighted, total, known = [], 0.0, 0.0, True
    for unit, held in zip(units, lists, strict=True):
        mine = next((h for h in held if holder_key(h) == key), None)
        if mine is not None:
            texts.append(f"{unit.label}: {mine.text or 'share not given'}")
        if unit.capacity is None or not held or any(h.share is None for h in held):
            known = False
            continue
        weighted += unit.capacity * (mine.share or 0.0 if mine else 0.0)
        total += unit.capacity
    percentage = round(weighted / total, 4) if known and total > 0 else None
    note = "share of the plant weighted by unit capacity over units that name different holders"
    return Stake(holder, percentage, "; ".join(texts), note if percentage is not None else None)


def _owns(plant_id: str, stake: Stake, org_id: str, parent: bool, origin: Origin) -> Edge:
    props: Props = {}
    if stake.percentage is not None:
        props[Prop.PERCENTAGE] = stake.percentage
    if stake.text:
        props[Prop.PERCENTAGE_TEXT] = stake.text
    if stake.note:
        props[Prop.NOTE] = stake.note
    if parent:
        props[Prop.STAKE_LEVEL] = PARENT
    kind = "parent" if parent else "owner"
    return Edge(f"{plant_id}-{kind}-{org_id}", Rel.OWNS, org_id, plant_id, props, origin)


def _placed(reading: _Reading, plant: _Plant) -> Placed:
    places, first = curated_places(), plant.first
    areas = list(zip(AREAS, reading.area_fields, first.areas, strict=True))
    return places.place(first.origin, places.country(first.country), areas)


def plant_row(reading: _Reading, plant: _Plant) -> Mapped:
    """The plant of one location with its place and its owners' and parents' OWNS edges."""
    tracker, first = reading.tracker, plant.first
    plant_id = f"gem-{tracker.name.replace('_', '-')}-{first.location.lower()}"
    placed = _placed(reading, plant)
    node = Node(plant_id, _labels(Label.POWER_PLANT), _plant_props(tracker, plant, placed), first.origin)
    edges = []
    if placed.place is not None:
        edges.append(
            Edge(f"{plant_id}-in-{placed.place.id}", Rel.LOCATED_IN, plant_id, placed.place.id, {}, first.origin)
        )
    for parent in (False, True):
        for stake in stakes(plant.units, parent):
            org_id = reading.orgs[holder_key(stake.holder)].id
            edges.append(_owns(plant_id, stake, org_id, parent, first.origin))
    warnings = (placed.warning,) if placed.warning else ()
    tallies = (placed.tally, *["unit/phase rows"] * len(plant.units))
    return Mapped(first.location, first.origin, [node], edges, tallies, warnings)


class GemSource:
    """The GEM trackers as a `Source`: the XLSX as distributed, or its data sheet as CSV."""

    info = INFO

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """GEM files state their release only in their name and About sheet: None (the file's date)."""
        return None

    def dataset_of(self, path: Path) -> str:
        """The tracker's own dataset: `gem_coal`, `gem_solar`, `gem_wind` or `gem_oil_gas`."""
        return read_sheet(path).tracker.dataset

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        """Every unit row is read and checked first (a bad one yields `Invalid`), then each
        location's plant and every holder are yielded."""
        sheets = read_sheets(path)
        reading = _Reading(sheets[0])
        for sheet in sheets:
            for origin, cells in sheet_rows(path, sheet):
                try:
                    reading.add(read_unit(sheet, origin, cells))
                except RowError as exc:
                    yield Invalid(Problem(exc.message, file=origin.file, line=origin.line, field=exc.field))
        for org in reading.orgs.values():
            yield org.mapped()
        for plant in reading.plants.values():
            yield plant_row(reading, plant)


GEM = GemSource()
