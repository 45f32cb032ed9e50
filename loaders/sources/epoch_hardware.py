"""Epoch AI's ML hardware dataset (`ml_hardware.csv`, or the .zip holding it): one chip model a row.

Each row becomes a `ChipModel` record of the dataset keyed by its `Hardware name`, with the
identifier `epoch:<Hardware name>`; a curated chip carrying the same identifier is the same model,
and the spec view (queries/specs.py) lists both records' figures side by side — an Epoch figure
never overwrites a curated one. Figures are converted into the ontology's units:

- `peak_tops_fp16` = Tensor-FP16/BF16 FLOP/s ÷ 1e12 (else the plain FP16 figure, for chips
  without tensor units); `peak_tops_fp8` = FP8 FLOP/s ÷ 1e12, else
  INT8 OP/s ÷ 1e12 (the ontology's 8-bit figure is FP8 or INT8); `peak_tops_fp4` = FP4 ÷ 1e12;
- `memory_gb` = bytes ÷ 1e9; `memory_bandwidth_tbps` = byte/s ÷ 1e12; `interconnect_gbps` =
  intranode byte/s ÷ 1e9; `tdp_w`, `die_area_mm2`, `process_nm` as given;
- `vendor` = Manufacturer; `foundry_name`, `hardware_type`, `release_date`, `datasheet_url` and
  `release_price_usd` as given.

No `tpp` is set: the restriction checks derive it from the peak figures (queries/restrictions.py).
A row without a name, or with a figure that is not a number, is invalid; a row without a
manufacturer is skipped and counted (a chip model names its vendor, and none is guessed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, Skipped, SourceInfo
from loaders.sources.epoch_files import CsvRow, RowError, csv_text, name_key, read_rows, slug
from ontology.errors import DataError, Problem
from ontology.records import Node, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop

INFO = SourceInfo(
    name="epoch-hardware",
    dataset="epoch_ml_hardware",
    title="Epoch AI, Data on Machine Learning Hardware",
    publisher="Epoch AI",
    licence="CC BY 4.0 (credit Epoch AI)",
    home="https://epoch.ai/data/machine-learning-hardware",
    url="https://epoch.ai/data/ml_hardware.csv",
    confidence="reported",
    formats=("csv", "zip"),
)

NAME, MAKER = "Hardware name", "Manufacturer"
# canonical column -> earlier or later header names
COLUMNS: dict[str, tuple[str, ...]] = {
    NAME: (),
    MAKER: (),
    "Type": (),
    "Release date": (),
    "Release price (USD)": (),
    "Tensor-FP16/BF16 performance (FLOP/s)": (),
    "FP16 (half precision) performance (FLOP/s)": (),
    "FP8 performance (FLOP/s)": (),
    "INT8 performance (OP/s)": (),
    "FP4 performance (FLOP/s)": (),
    "Memory (bytes)": ("Memory size per board (Byte)", "Memory size per board (bytes)"),
    "Memory bandwidth (byte/s)": (),
    "Intranode bandwidth (byte/s)": (),
    "TDP (W)": (),
    "Die Size (mm^2)": ("Die size (mm^2)", "Die Size (mm2)"),
    "Process size (nm)": (),
    "Foundry": (),
    "Link to datasheet": ("Datasheet",),
}
REQUIRED = (NAME, MAKER)
NO_VENDOR = "no manufacturer given"
# (ontology property, column, divisor into the property's unit)
FIGURES: tuple[tuple[str, str, float], ...] = (
    (Prop.PEAK_TOPS_FP4, "FP4 performance (FLOP/s)", 1e12),
    (Prop.MEMORY_GB, "Memory (bytes)", 1e9),
    (Prop.MEMORY_BANDWIDTH, "Memory bandwidth (byte/s)", 1e12),
    (Prop.INTERCONNECT, "Intranode bandwidth (byte/s)", 1e9),
    (Prop.TDP, "TDP (W)", 1),
    (Prop.DIE_AREA, "Die Size (mm^2)", 1),
    (Prop.PROCESS_NM, "Process size (nm)", 1),
    (Prop.RELEASE_PRICE_USD, "Release price (USD)", 1),
)
TEXTS: tuple[tuple[str, str], ...] = (
    (Prop.HARDWARE_TYPE, "Type"),
    (Prop.FOUNDRY_NAME, "Foundry"),
)


def chip_id(name: str) -> str:
    return f"epoch-hw-{slug(name)}"


def _unit(value: float | None, divisor: float) -> float | None:
    """A figure in the ontology's unit, without float noise (9.89e+14 / 1e12 = 989.0)."""
    return None if value is None else float(f"{value / divisor:.6g}")


def _link(row: CsvRow) -> str | None:
    """The first http(s) address of the datasheet column (Epoch sometimes lists several)."""
    words = row.text("Link to datasheet").split()
    return next((w for w in words if w.startswith(("http://", "https://"))), None)


def chip_props(row: CsvRow) -> Props:
    name, maker = row.text(NAME), row.text(MAKER)
    if not name:
        raise RowError("the row has no hardware name", NAME)
    props: Props = {Prop.NAME: name, Prop.VENDOR: maker, Prop.IDENTIFIERS: [f"epoch:{name}"]}
    for key, column, divisor in FIGURES:
        value = _unit(row.number(column), divisor)
        if value:  # Epoch writes 0 for "none": the ontology's figures are positive
            props[key] = value
    tensor = row.number("Tensor-FP16/BF16 performance (FLOP/s)")
    half = row.number("FP16 (half precision) performance (FLOP/s)")
    if sixteen := _unit(tensor or half, 1e12):
        props[Prop.PEAK_TOPS_FP16] = sixteen
    fp8, int8 = row.number("FP8 performance (FLOP/s)"), row.number("INT8 performance (OP/s)")
    if eight := _unit(fp8 or int8, 1e12):
        props[Prop.PEAK_TOPS_FP8] = eight
        if not fp8:
            props[Prop.NOTE] = "The 8-bit figure is INT8 (no FP8 figure given)."
    for key, column in TEXTS:
        if text := row.text(column):
            props[key] = text
    released = row.date("Release date")
    if released is not None:
        props[Prop.RELEASE_DATE] = released.isoformat()
    if link := _link(row):
        props[Prop.DATASHEET_URL] = link
    return props


class EpochHardwareSource:
    """Epoch AI's ML hardware CSV as a `Source`."""

    info = INFO

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """The CSV states no date of its own (a row's `Last modified` dates the row, not the file)."""
        return None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        _check_kind(path)
        text, cited = csv_text(path, "ml_hardware.csv")
        labels = load_schema().closure((Label.CHIP_MODEL,))
        seen: set[str] = set()
        for row in read_rows(text, cited, COLUMNS, REQUIRED):
            if row.text(NAME) and not row.text(MAKER):
                yield Skipped(NO_VENDOR, row.origin, ids=(chip_id(row.text(NAME)),))
                continue
            try:
                props = chip_props(row)
            except RowError as exc:
                yield Invalid(Problem(exc.message, file=row.origin.file, line=row.origin.line, field=exc.field))
                continue
            name = str(props[Prop.NAME])
            if name_key(name) in seen:
                message = f"{name!r} appears twice; Epoch names each hardware model once"
                yield Invalid(Problem(message, file=row.origin.file, line=row.origin.line, field=NAME))
                continue
            seen.add(name_key(name))
            yield Mapped(name, row.origin, [Node(chip_id(name), labels, props, row.origin)])


def _check_kind(path: Path) -> None:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in INFO.formats:
        message = f"an Epoch hardware download is ml_hardware.csv or a .zip holding it, not .{suffix or '(none)'}"
        raise DataError([Problem(message, file=str(path))])


EPOCH_HARDWARE = EpochHardwareSource()
