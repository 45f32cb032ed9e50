"""Epoch AI's AI supercomputers (`ai_supercomputers.csv`, formerly `gpu_clusters.csv`): one site a row.

Each row becomes a `DataCenter` record keyed by its `Name`:

- `status`: Existing → operating, Planned → planned, Decommissioned → retired; `capacity_mw` from
  `Power Capacity (MW)`; `h100_equivalents`, `sector`, `location_text` (`Location`), `latitude` /
  `longitude` (`coord_precision` exact) where given; `Builds Upon` / `Superseded by` as the names of
  the linked records (an upgrade is a record of its own); `Users` in the note (Epoch's users are
  often kinds — "Cloud", "US Companies" — not parties);
- its confidence is Epoch's `Certainty` (Confirmed → confirmed, Likely → reported, Unlikely or
  Speculative → alleged; see `epoch_files.CERTAINTY`), on the site and on every edge of the row;
- `LOCATED_IN` the curated country; each owner `OPERATES` it (see `epoch_sites`);
- each chip type (primary, secondary) `DEPLOYS` with its quantity as `count`, status installed
  (Existing, Decommissioned — then with `valid_to` the decommissioning date) or planned, and
  `valid_from` the first operational date.

Anonymised rows ("We anonymized the data of Chinese systems by concealing names and rounding values
of numerical fields to one significant figure", Epoch AI's documentation) stay anonymised: they are
marked `anonymised: true` with a note quoting Epoch, their figures are kept as rounded, and they are
keyed by their content (country, status, sector, chips, figures, date), since they have no name;
two identical rows get `|2`, `|3`. Nothing joins them to a named site: they carry no identifier and
the resolver considers organisations only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, SourceInfo
from loaders.sources.epoch_files import (
    CsvRow,
    RowError,
    confidence,
    country_place,
    csv_text,
    name_key,
    read_rows,
    short_hash,
    slug,
)
from loaders.sources.epoch_sites import chip, edge, labels, operators, parties
from ontology.errors import DataError, Problem
from ontology.records import Edge, Node, Props
from ontology.vocab import Label, Prop, Rel

INFO = SourceInfo(
    name="epoch-supercomputers",
    dataset="epoch_ai_supercomputers",
    title="Epoch AI, Data on AI Supercomputers",
    publisher="Epoch AI",
    licence="CC BY 4.0 (credit Epoch AI)",
    home="https://epoch.ai/data/ai-supercomputers",
    url="https://epoch.ai/data/ai_supercomputers.csv",
    confidence="reported",
    formats=("csv", "zip"),
)
PREFIX = "epoch-sc"
ANONYMISED_NOTE = (
    "Anonymised by Epoch AI: 'We anonymized the data of Chinese systems by concealing names and rounding "
    "values of numerical fields to one significant figure.' Figures are as rounded; never joined to a named site."
)
STATUS = {"existing": "operating", "planned": "planned", "decommissioned": "retired"}
COLUMNS: dict[str, tuple[str, ...]] = {
    "Name": (),
    "Status": (),
    "Certainty": (),
    "H100 equivalents": (),
    "Chip type (primary)": (),
    "Chip quantity (primary)": (),
    "GPU Supplier (primary)": (),
    "Chip type (secondary)": (),
    "Chip quantity (secondary)": (),
    "GPU supplier (secondary)": (),
    "Country": (),
    "Location": (),
    "latitude": ("Latitude",),
    "longitude": ("Longitude",),
    "Owner": (),
    "Users": (),
    "Sector": (),
    "First Operational Date": (),
    "Decommissioned Date (if applicable)": ("Decommissioned Date",),
    "Power Capacity (MW)": (),
    "Builds Upon": (),
    "Superseded by": (),
}
REQUIRED = ("Name", "Status", "Certainty", "Chip type (primary)", "Chip quantity (primary)")
CONTENT = (
    "Country", "Status", "Sector", "Chip type (primary)", "Chip quantity (primary)", "Chip type (secondary)",
    "Chip quantity (secondary)", "H100 equivalents", "Power Capacity (MW)", "First Operational Date",
)  # fmt: skip


def anonymised(row: CsvRow) -> bool:
    """Epoch's placeholder name for a hidden system (`Anonymized Chinese System`)."""
    return "anonymi" in row.text("Name").casefold()


def _status(row: CsvRow) -> str:
    word = name_key(row.text("Status"))
    if word not in STATUS:
        raise RowError(f"{row.text('Status')!r} is not an Epoch status (Existing, Planned, Decommissioned)", "Status")
    return STATUS[word]


def _site_props(row: CsvRow, status: str, sure: str, hidden: bool) -> Props:
    props: Props = {Prop.NAME: row.text("Name"), Prop.STATUS: status, Prop.CONFIDENCE: sure}
    figures = ((Prop.CAPACITY_MW, "Power Capacity (MW)"), (Prop.H100_EQUIVALENTS, "H100 equivalents"))
    for key, column in figures:
        if (value := row.number(column)) is not None:
            props[key] = value
    for key, column in ((Prop.SECTOR, "Sector"), (Prop.LOCATION_TEXT, "Location")):
        if text := row.text(column):
            props[key] = text
    if country_place(row.text("Country")) is None and row.text("Country"):
        props[Prop.LOCATION_TEXT] = ", ".join(t for t in (row.text("Location"), row.text("Country")) if t)
    lat, lon = row.number_signed("latitude"), row.number_signed("longitude")
    if lat is not None and lon is not None:
        props |= {Prop.LATITUDE: lat, Prop.LONGITUDE: lon, Prop.COORD_PRECISION: "rounded" if hidden else "exact"}
    for key, column in ((Prop.BUILDS_UPON, "Builds Upon"), (Prop.SUPERSEDED_BY, "Superseded by")):
        if names := [n.strip() for n in row.text(column).split(",") if n.strip()]:
            props[key] = names
    notes = [ANONYMISED_NOTE] if hidden else []
    if users := row.text("Users"):
        notes.append(f"Users (Epoch AI): {users}.")
    if notes:
        props[Prop.NOTE] = " ".join(notes)
    if hidden:
        props[Prop.ANONYMISED] = True
    return props


def _deploys(row: CsvRow, site: str, status: str, sure: str, first: dt.date | None) -> list[Node | Edge]:
    made: list[Node | Edge] = []
    ended = row.date("Decommissioned Date (if applicable)", end=True)
    for which, supplier in (("primary", "GPU Supplier (primary)"), ("secondary", "GPU supplier (secondary)")):
        kind = row.text(f"Chip type ({which})")
        count = row.integer(f"Chip quantity ({which})")
        if not kind:
            continue
        target, node = chip(kind, PREFIX, row.text(supplier))
        props: Props = {Prop.STATUS: "planned" if status == "planned" else "installed", Prop.CONFIDENCE: sure}
        if count is not None:
            props[Prop.COUNT] = count
        if first is not None:
            props[Prop.VALID_FROM] = first
        if ended is not None and status == "retired":
            props[Prop.VALID_TO] = ended
        made += [*([node] if node else []), edge(Rel.DEPLOYS, site, target, props, row.origin)]
    return made


class _Keys:
    def __init__(self) -> None:
        self.seen: set[str] = set()

    def key(self, row: CsvRow, hidden: bool) -> str:
        """The name; an anonymised row its content; a repeat `|2`, `|3` in reading order."""
        if hidden:
            content = "|".join(row.text(c) for c in CONTENT)
            key = f"anonymised:{row.text('Country') or 'unknown'}:{short_hash(content)}"
        else:
            key = row.text("Name")
        unique, count = key, 1
        while name_key(unique) in self.seen:
            count += 1
            unique = f"{key}|{count}"
        self.seen.add(name_key(unique))
        return unique


def map_row(row: CsvRow, keys: _Keys) -> Mapped:
    if not row.text("Name"):
        raise RowError("the row has no name", "Name")
    hidden, status, sure = anonymised(row), _status(row), confidence(row.text("Certainty"), "Certainty")
    props = _site_props(row, status, sure, hidden)
    first = row.date("First Operational Date")
    key = keys.key(row, hidden)
    site = Node(f"{PREFIX}-{slug(key)}", labels(Label.DATA_CENTER), props, row.origin)
    made: list[Node | Edge] = [site, *_deploys(row, site.id, status, sure, first)]
    if place := country_place(row.text("Country")):
        made.append(edge(Rel.LOCATED_IN, site.id, place, {Prop.CONFIDENCE: sure}, row.origin))
    if not hidden:
        made += operators(site.id, parties(row.text("Owner"), "Owner"), PREFIX, sure, row.origin)
    nodes = [r for r in made if isinstance(r, Node)]
    return Mapped(key, row.origin, nodes, [r for r in made if isinstance(r, Edge)])


class EpochClustersSource:
    """Epoch AI's AI supercomputers CSV as a `Source`."""

    info = INFO

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """The CSV states no date of its own."""
        return None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in INFO.formats:
            message = f"an Epoch AI supercomputers download is a .csv or a .zip holding it, not .{suffix or '(none)'}"
            raise DataError([Problem(message, file=str(path))])
        member = path.name if suffix == "csv" else "ai_supercomputers.csv"
        text, cited = _text(path, member)
        keys = _Keys()
        for row in read_rows(text, cited, COLUMNS, REQUIRED):
            try:
                yield map_row(row, keys)
            except RowError as exc:
                yield Invalid(Problem(exc.message, file=row.origin.file, line=row.origin.line, field=exc.field))


def _text(path: Path, member: str) -> tuple[str, str]:
    if path.suffix.lower() != ".zip":
        return csv_text(path, member)
    try:
        return csv_text(path, member)
    except DataError:
        return csv_text(path, "gpu_clusters.csv")


EPOCH_SUPERCOMPUTERS = EpochClustersSource()
