"""Epoch AI's Frontier Data Centers (`data_centers.csv` with `data_center_timelines.csv` beside it, or
a .zip holding both): one site a row of `data_centers.csv`.

Each site becomes a `DataCenter` record keyed by its `Handle` (older releases: `Name`), named by its
`Title` where there is one (the handle is then an alias):

- `capacity_mw` and `h100_equivalents` are Epoch's current figures (`Current power (MW)`,
  `Current H100 equivalents`); `status` is operating when the current power is above zero, else
  under_construction (every site of the hub is a frontier build-out);
- the timeline (`data_center_timelines.csv`, rows joined by `Data center`) is kept whole, oldest
  first, in `timeline` ("date: construction status; power MW; H100e"), future rows included as
  Epoch projects them; the note says the last projected figure and date;
- `Latitude` / `Longitude` in decimal or degrees-minutes-seconds (`32°35'25"N`), coord_precision
  exact; `Address` in `location_text`; `Country` (where the release has it) → the curated place;
- each `Owner` `OPERATES` the site and each `User` that is not also an owner gets
  `LEASES_COMPUTE_TO`; a tag `#confident` / `#likely` / `#speculative` (or `(Likely)`) sets that
  edge's confidence (confirmed / reported / alleged), untagged → reported;
- `Project`, `Investors`, `Construction companies`, `Energy companies` go in the note as Epoch
  writes them (the ontology has no edge for them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, SourceInfo
from loaders.sources.epoch_files import CsvRow, RowError, country_place, csv_text, name_key, read_rows, slug
from loaders.sources.epoch_sites import Party, edge, labels, operators, organization, parties
from ontology.errors import DataError, Problem
from ontology.records import Edge, Node, Props
from ontology.vocab import Label, Prop, Rel

INFO = SourceInfo(
    name="epoch-datacenters",
    dataset="epoch_frontier_data_centers",
    title="Epoch AI, Frontier Data Centers",
    publisher="Epoch AI",
    licence="CC BY 4.0 (credit Epoch AI)",
    home="https://epoch.ai/data/data-centers",
    url="https://epoch.ai/data/data_centers.csv",
    confidence="reported",
    formats=("csv", "zip"),
)
PREFIX = "epoch-dc"
SITES, TIMELINES = "data_centers.csv", "data_center_timelines.csv"
COLUMNS: dict[str, tuple[str, ...]] = {
    "Handle": ("Name",),
    "Title": (),
    "Project": (),
    "Address": (),
    "Latitude": ("latitude",),
    "Longitude": ("longitude",),
    "Owner": (),
    "Users": (),
    "Investors": (),
    "Construction companies": (),
    "Energy companies": (),
    "Country": (),
    "Current H100 equivalents": (),
    "Current power (MW)": (),
}
TIMELINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Data center": (),
    "Date": (),
    "Construction status": (),
    "Power (MW)": (),
    "H100 equivalents": (),
}
NOTED = ("Project", "Investors", "Construction companies", "Energy companies")


def _timeline(rows: list[CsvRow]) -> list[str]:
    lines = []
    for row in sorted(rows, key=lambda r: (r.date("Date") or dt.date.min, r.origin.line or 0)):
        day = row.date("Date")
        power, h100 = row.number("Power (MW)"), row.number("H100 equivalents")
        parts = [row.text("Construction status") or "no status given"]
        parts += [f"{power:g} MW"] if power is not None else []
        parts += [f"{h100:,.0f} H100e"] if h100 is not None else []
        lines.append(f"{day.isoformat() if day else 'undated'}: {'; '.join(parts)}")
    return lines


def _site_props(row: CsvRow, timeline: list[CsvRow]) -> Props:
    handle, title = row.text("Handle"), row.text("Title")
    props: Props = {Prop.NAME: title or handle}
    if title and title != handle:
        props[Prop.ALIASES] = [handle]
    power = row.number("Current power (MW)")
    if power is not None:
        props[Prop.CAPACITY_MW] = power
        props[Prop.STATUS] = "operating" if power > 0 else "under_construction"
    if (h100 := row.number("Current H100 equivalents")) is not None:
        props[Prop.H100_EQUIVALENTS] = h100
    lat, lon = row.number_signed("Latitude"), row.number_signed("Longitude")
    if lat is not None and lon is not None:
        props |= {Prop.LATITUDE: lat, Prop.LONGITUDE: lon, Prop.COORD_PRECISION: "exact"}
    country = "" if country_place(row.text("Country")) else row.text("Country")
    place = ", ".join(t for t in (row.text("Address"), country) if t)
    if place:
        props[Prop.LOCATION_TEXT] = place
    notes = [f"{column} (Epoch AI): {row.text(column)}." for column in NOTED if row.text(column)]
    if timeline:
        lines = _timeline(timeline)
        props[Prop.TIMELINE] = lines
        notes.append(f"Last timeline entry (may be a projection): {lines[-1]}.")
    if notes:
        props[Prop.NOTE] = " ".join(notes)
    return props


def _users(site: str, users: list[Party], owners: list[Party], origin_row: CsvRow) -> list[Node | Edge]:
    owned = {name_key(o.name) for o in owners}
    made: list[Node | Edge] = []
    for user in (u for u in users if name_key(u.name) not in owned):
        org = organization(user.name, PREFIX)
        props: Props = {Prop.CONFIDENCE: user.confidence or "reported"}
        made += [org, edge(Rel.LEASES_COMPUTE_TO, site, org.id, props, origin_row.origin)]
    return made


def map_row(row: CsvRow, timeline: list[CsvRow]) -> Mapped:
    key = row.text("Handle")
    if not key:
        raise RowError("the row has no handle or name", "Handle")
    site = Node(f"{PREFIX}-{slug(key)}", labels(Label.DATA_CENTER), _site_props(row, timeline), row.origin)
    owners, users = parties(row.text("Owner"), "Owner"), parties(row.text("Users"), "Users")
    made: list[Node | Edge] = [site, *operators(site.id, owners, PREFIX, "reported", row.origin)]
    made += _users(site.id, users, owners, row)
    if place := country_place(row.text("Country")):
        made.append(edge(Rel.LOCATED_IN, site.id, place, {}, row.origin))
    return Mapped(key, row.origin, [r for r in made if isinstance(r, Node)], [r for r in made if isinstance(r, Edge)])


def _files(path: Path) -> tuple[tuple[str, str], tuple[str, str] | None]:
    """The sites CSV and the timelines CSV (None when the download has none) as (text, cited)."""
    if path.suffix.lower() == ".zip":
        sites = csv_text(path, SITES)
        try:
            return sites, csv_text(path, TIMELINES)
        except DataError:
            return sites, None
    beside = path.with_name(TIMELINES)
    return csv_text(path, SITES), (csv_text(beside, TIMELINES) if beside.is_file() else None)


class EpochDataCentersSource:
    """Epoch AI's Frontier Data Centers hub as a `Source`."""

    info = INFO

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """The CSVs state no date of their own."""
        return None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in INFO.formats:
            kind = suffix or "(none)"
            message = f"a Frontier Data Centers download is {SITES} (with {TIMELINES} beside it) or a .zip, not .{kind}"
            raise DataError([Problem(message, file=str(path))])
        (text, cited), timelines = _files(path)
        sites = list(read_rows(text, cited, COLUMNS, ("Handle",)))
        by_site: dict[str, list[CsvRow]] = defaultdict(list)
        if timelines is not None:
            known = {name_key(r.text("Handle")) for r in sites}
            for line in read_rows(*timelines, TIMELINE_COLUMNS, ("Data center", "Date")):
                if name_key(line.text("Data center")) not in known:
                    message = f"{line.text('Data center')!r} is no data centre of {SITES}"
                    yield Invalid(Problem(message, file=line.origin.file, line=line.origin.line, field="Data center"))
                    continue
                try:
                    line.date("Date"), line.number("Power (MW)"), line.number("H100 equivalents")
                except RowError as exc:
                    yield Invalid(Problem(exc.message, file=line.origin.file, line=line.origin.line, field=exc.field))
                    continue
                by_site[name_key(line.text("Data center"))].append(line)
        for row in sites:
            try:
                yield map_row(row, by_site.get(name_key(row.text("Handle")), []))
            except RowError as exc:
                yield Invalid(Problem(exc.message, file=row.origin.file, line=row.origin.line, field=exc.field))


EPOCH_DATACENTERS = EpochDataCentersSource()
