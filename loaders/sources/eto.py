"""The CSET/ETO Advanced Semiconductor Supply Chain dataset (the chip explorer's five CSVs).

- a stage (`S1`…) becomes a `SupplyStage`; an input (`N0`…) a `SupplyInput` of the class its type
  names, `IN_STAGE` of the stage the file gives it or, where it gives none, of the stage of the
  nearest input it goes into or is a type of (the edge's note says it was derived);
- an organisation provider (`P11`…) becomes an `Organization`, `LOCATED_IN` its country's place
  (ISO alpha-3 in the file, alpha-2 in the graph); a country provider is the graph's `Country`
  place itself (a row of its own is not made: where the graph has no place for the country, the
  country's provision is dropped and counted); `Various countries`, `Various companies` and the
  like are not one provider: their provision is kept as a note on the input;
- a provision row becomes `PROVIDES` (of an input, or of a whole stage) with the share (percent,
  `9.8` or the older `"61%"`), the year and the source's own words; a sequence row `GOES_INTO` or
  `TYPE_OF`.

Record keys are the ETO ids (`N20`, `P88`, `S2`; `P88>N20` for a provision, `N20>N19` for a
sequence row). Licence: CC BY-NC 4.0 — chiptrail reads the user's own download and never ships it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, Skipped, SourceInfo
from loaders.sources.eto_files import CsvRow, LineProblem, folder_of, read_rows
from ontology.errors import Problem
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

INFO = SourceInfo(
    name="eto",
    dataset="eto_chip_explorer",
    title="ETO Advanced Semiconductor Supply Chain dataset (Chip Explorer)",
    publisher="Emerging Technology Observatory, Center for Security and Emerging Technology, Georgetown University",
    licence="CC BY-NC 4.0 (Creative Commons Attribution-NonCommercial 4.0 International)",
    home="https://eto.tech/dataset-docs/chipexplorer/",
    url="https://github.com/georgetown-cset/eto-chip-explorer/tree/main/data",
    confidence="reported",
    formats=("csv",),
)
TYPES = {
    "process": Label.SUPPLY_PROCESS,
    "design_resource": Label.DESIGN_RESOURCE,
    "tool_resource": Label.TOOL_RESOURCE,
    "material_resource": Label.MATERIAL_RESOURCE,
    "ultimate_output": Label.ULTIMATE_OUTPUT,
}
NOT_ONE = "provider is not one country or organisation (kept as a note on the input)"
COUNTRY_PROVIDER = "country provider (the graph's Country place stands for it)"
_TRUE = {"true", "1", "yes", "y", "t"}


def input_id(eto_id: str) -> str:
    return f"eto-input-{eto_id.lower()}"


def stage_id(eto_id: str) -> str:
    return f"eto-stage-{eto_id.lower()}"


def provider_id(eto_id: str) -> str:
    return f"eto-provider-{eto_id.lower()}"


def country_place(alpha2: str) -> str:
    """The id of the curated `Country` place for an ISO 3166-1 alpha-2 code."""
    return f"place-{alpha2.lower()}"


@cache
def _labels(label: str) -> tuple[str, ...]:
    return load_schema().closure((label,))


def alpha2(code: str) -> str | None:
    """`TWN` -> `TW`; None for what is not an ISO 3166-1 alpha-3 code (`EUR`, `Various countries`)."""
    if len(code) != 3 or not code.isalpha():
        return None
    found = pycountry.countries.get(alpha_3=code.upper())
    return str(found.alpha_2) if found is not None else None


class RowError(Exception):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def share(text: str) -> float | None:
    """`9.8`, `61%`, `100.0` -> percent; empty -> None. Raises `RowError` outside 0–100."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise RowError(f"{text!r} is not a percentage", "share_provided") from None
    if not 0 <= value <= 100:
        raise RowError(f"share {text!r} is outside 0–100", "share_provided")
    return value


def _year(text: str, column: str = "year") -> int | None:
    if not text:
        return None
    try:
        value = int(float(text))
    except ValueError:
        raise RowError(f"{text!r} is not a year", column) from None
    if not 1900 <= value <= 2100:
        raise RowError(f"{text!r} is not a possible year", column)
    return value


def _clean(props: Props) -> Props:
    return {k: v for k, v in props.items() if v not in ("", None, [])}


@dataclass
class Provider:
    row: CsvRow
    aggregate: bool  # "Various countries", "EUR": not one provider
    node: str | None  # the node that provides: the organisation, or the country's place
    aliases: list[str] = field(default_factory=list)  # one per row: the file repeats a provider per alias

    def same(self, row: CsvRow) -> bool:
        """Whether `row` is this provider again (another alias), not another provider under its id."""
        return all(row.get(c) == self.row.get(c) for c in ("provider_name", "provider_type", "country"))


@dataclass
class Folder:
    """The five files read, indexed by ETO id."""

    stages: dict[str, CsvRow] = field(default_factory=dict)
    inputs: dict[str, CsvRow] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    provision: list[CsvRow] = field(default_factory=list)
    sequence: list[CsvRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def notes(self) -> dict[str, list[str]]:
        """Per input id: the provision of providers that are not one provider, as text."""
        found: dict[str, list[str]] = defaultdict(list)
        for row in self.provision:
            provider = self.providers.get(row.get("provider_id"))
            if provider is None or not provider.aggregate:
                continue
            try:
                figure = share(row.get("share_provided"))
            except RowError:
                continue
            said = f"{figure:g}%" if figure is not None else "share not given"
            year = f", {row.get('year')}" if row.get("year") else ""
            found[row.get("provided_id")].append(f"{provider.row.get('provider_name')} ({said}{year})")
        return found


def _provider(row: CsvRow) -> Provider:
    name, kind = row.get("provider_name"), row.get("provider_type").lower()
    if kind == "country":
        code = alpha2(name)
        return Provider(row, code is None, country_place(code) if code else None)
    aggregate = name.lower().startswith("various")
    aliases = [row.get("alias")] if row.get("alias") else []
    return Provider(row, aggregate, None if aggregate else provider_id(row.get("provider_id")), aliases)


def _repeated(read: Folder, name: str, row: CsvRow) -> bool:
    """An id the file already gave (a problem of the later row) or no id at all."""
    column = {"stages": "stage_id", "inputs": "input_id", "providers": "provider_id"}[name]
    held: dict[str, CsvRow] = {
        "stages": read.stages,
        "inputs": read.inputs,
        "providers": {k: p.row for k, p in read.providers.items()},
    }[name]
    key = row.get(column)
    first = held.get(key)
    if key and first is None:
        return False
    message = f"{column} {key!r} repeats the row at line {first.origin.line}" if first else f"the row has no {column}"
    read.problems.append(Problem(message, file=row.origin.file, line=row.origin.line, field=column))
    return True


def _index(folder: Path) -> Folder:
    read = Folder()
    for name in ("stages", "inputs", "providers", "provision", "sequence"):
        for item in read_rows(folder, name):
            if isinstance(item, LineProblem):
                read.problems.append(item.problem)
            elif name == "providers" and (known := read.providers.get(item.get("provider_id"))) and known.same(item):
                if item.get("alias") and item.get("alias") not in known.aliases:
                    known.aliases.append(item.get("alias"))
            elif name in ("stages", "inputs", "providers") and _repeated(read, name, item):
                continue
            elif name == "stages":
                read.stages[item.get("stage_id")] = item
            elif name == "inputs":
                read.inputs[item.get("input_id")] = item
            elif name == "providers":
                read.providers[item.get("provider_id")] = _provider(item)
            elif name == "provision":
                read.provision.append(item)
            else:
                read.sequence.append(item)
    return read


def derived_stages(read: Folder) -> dict[str, tuple[list[str], str | None]]:
    """Per input id: its stage ids and, where derived, the input they were taken from.

    An input the file gives no stage takes the stages of the nearest inputs (fewest steps over
    'goes into' and 'is a type of') that have one."""
    onward: dict[str, list[str]] = defaultdict(list)
    for row in read.sequence:
        for column in ("goes_into_id", "is_type_of_id"):
            if row.get(column):
                onward[row.get("input_id")].append(row.get(column))
    given = {i: row.get("stage_id") for i, row in read.inputs.items() if row.get("stage_id")}
    found: dict[str, tuple[list[str], str | None]] = {i: ([s], None) for i, s in given.items()}
    for start in read.inputs:
        if start in given:
            continue
        frontier, seen = deque([start]), {start}
        while frontier:
            level = [frontier.popleft() for _ in range(len(frontier))]
            nxt = [n for i in level for n in onward[i] if n not in seen]
            hits = sorted({n for n in nxt if n in given})
            if hits:
                found[start] = (sorted({given[h] for h in hits}), ", ".join(hits))
                break
            seen.update(nxt)
            frontier.extend(dict.fromkeys(nxt))
    return found


class _Mapper:
    def __init__(self, read: Folder) -> None:
        self.read = read
        self.stages = derived_stages(read)
        self.notes = read.notes()

    def map(self, kind: str, item: CsvRow | Provider) -> Row:
        if isinstance(item, Provider):
            return self.provider(item)
        mappers = {"stage": self.stage, "input": self.input, "provision": self.provision, "sequence": self.sequence}
        return mappers[kind](item)

    def stage(self, row: CsvRow) -> Row:
        key = row.get("stage_id")
        props = _clean(
            {
                Prop.NAME: row.get("stage_name"),
                Prop.DESCRIPTION: row.get("description"),
                Prop.MARKET_SIZE: row.get("market_share_chart_global_market_size_info"),
            }
        )
        if Prop.NAME not in props:
            raise RowError("the stage has no name", "stage_name")
        return Mapped(key, row.origin, [Node(stage_id(key), _labels(Label.SUPPLY_STAGE), props, row.origin)])

    def input(self, row: CsvRow) -> Row:
        key, kind = row.get("input_id"), row.get("type")
        if kind not in TYPES:
            raise RowError(f"type {kind!r} is not one of {', '.join(TYPES)}", "type")
        if not row.get("input_name"):
            raise RowError("the input has no name", "input_name")
        if row.get("stage_id") and row.get("stage_id") not in self.read.stages:
            raise RowError(f"stage {row.get('stage_id')!r} is not in stages.csv", "stage_id")
        others = self.notes.get(key, [])
        props = _clean(
            {
                Prop.NAME: row.get("input_name"),
                Prop.INPUT_TYPE: kind,
                Prop.DESCRIPTION: row.get("description"),
                Prop.YEAR: _year(row.get("year")) or "",
                Prop.MARKET_SIZE: row.get("market_share_chart_global_market_size_info"),
                Prop.NOTE: f"Also provided by: {'; '.join(others)} (not one provider)." if others else "",
            }
        )
        node = Node(input_id(key), _labels(TYPES[kind]), props, row.origin)
        stages, via = self.stages.get(key, ([], None))
        edges = [
            Edge(
                f"{node.id}-in-stage-{s.lower()}",
                Rel.IN_STAGE,
                node.id,
                stage_id(s),
                {Prop.NOTE: f"Derived: the stage of {via}, which this input goes into or is a type of."} if via else {},
                row.origin,
            )
            for s in stages
        ]
        return Mapped(key, row.origin, [node], edges)

    def provider(self, provider: Provider) -> Row:
        row = provider.row
        key, name = row.get("provider_id"), row.get("provider_name")
        if provider.aggregate:
            return Skipped(NOT_ONE, row.origin, ids=(provider_id(key),))
        if provider.node and provider.node.startswith("place-"):
            return Skipped(COUNTRY_PROVIDER, row.origin, ids=(provider.node,))
        if row.get("provider_type").lower() != "organization":
            raise RowError(
                f"provider_type {row.get('provider_type')!r} is not country or organization", "provider_type"
            )
        if not name:
            raise RowError("the provider has no name", "provider_name")
        country, code = row.get("country"), alpha2(row.get("country"))
        props = _clean(
            {
                Prop.NAME: name,
                Prop.ALIASES: [a for a in provider.aliases if a != name],
                Prop.COUNTRY: code or "",
                Prop.NOTE: f"Country as the source gives it: {country!r} (not one ISO 3166 country)."
                if country and not code
                else "",
            }
        )
        node = Node(provider_id(key), _labels(Label.ORGANIZATION), props, row.origin)
        edges = (
            [Edge(f"{node.id}-located-in", Rel.LOCATED_IN, node.id, country_place(code), {}, row.origin)]
            if code
            else []
        )
        return Mapped(key, row.origin, [node], edges)

    def provision(self, row: CsvRow) -> Row:
        who, what = row.get("provider_id"), row.get("provided_id")
        provider = self.read.providers.get(who)
        if provider is None:
            raise RowError(f"provider {who!r} is not in providers.csv", "provider_id")
        if what not in self.read.inputs and what not in self.read.stages:
            raise RowError(f"{what!r} is in neither inputs.csv nor stages.csv", "provided_id")
        figure = share(row.get("share_provided"))
        props = _clean(
            {
                Prop.SHARE: figure if figure is not None else "",
                Prop.YEAR: _year(row.get("year")) or "",
                Prop.SOURCE_TEXT: row.get("source"),
            }
        )
        if row.get("negligible_market_share"):
            props[Prop.NEGLIGIBLE_SHARE] = row.get("negligible_market_share").lower() in _TRUE
        if provider.aggregate or provider.node is None:
            return Skipped(NOT_ONE, row.origin)
        edge_id = f"eto-provision-{who.lower()}-{what.lower()}"
        target = input_id(what) if what in self.read.inputs else stage_id(what)
        edge = Edge(edge_id, Rel.PROVIDES, provider.node, target, props, row.origin)
        return Mapped(f"{who}>{what}", row.origin, [], [edge])

    def sequence(self, row: CsvRow) -> Row:
        source = row.get("input_id")
        if source not in self.read.inputs:
            raise RowError(f"input {source!r} is not in inputs.csv", "input_id")
        edges: list[Edge] = []
        for column, rel, word in (
            ("goes_into_id", Rel.GOES_INTO, "goes-into"),
            ("is_type_of_id", Rel.TYPE_OF, "type-of"),
        ):
            target = row.get(column)
            if not target:
                continue
            if target not in self.read.inputs:
                raise RowError(f"input {target!r} is not in inputs.csv", column)
            edge_id = f"{input_id(source)}-{word}-{target.lower()}"
            edges.append(Edge(edge_id, rel, input_id(source), input_id(target), {}, row.origin))
        if not edges:
            raise RowError("the row names neither goes_into_id nor is_type_of_id", "goes_into_id")
        targets = "+".join(e.target.removeprefix("eto-input-").upper() for e in edges)
        return Mapped(f"{source}>{targets}", row.origin, [], edges)


def _invalid(error: RowError, origin: Origin, record: str | None) -> Invalid:
    return Invalid(Problem(error.message, file=origin.file, line=origin.line, record=record, field=error.field))


class EtoSource:
    """The chip explorer's data folder as a `Source`."""

    info = INFO

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """The files state no date of their own."""
        return None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        """Every row of the five files: stages, inputs, providers, provision, sequence."""
        read = _index(folder_of(path))
        for problem in read.problems:
            yield Invalid(problem)
        mapper = _Mapper(read)
        work: list[tuple[str, CsvRow | Provider]] = [
            *(("stage", r) for r in read.stages.values()),
            *(("input", r) for r in read.inputs.values()),
            *(("provider", p) for p in read.providers.values()),
            *(("provision", r) for r in read.provision),
            *(("sequence", r) for r in read.sequence),
        ]
        for kind, item in work:
            row = item.row if isinstance(item, Provider) else item
            try:
                yield mapper.map(kind, item)
            except RowError as exc:
                yield _invalid(exc, row.origin, row.values.get("input_id") or row.values.get("provider_id"))


ETO = EtoSource()
