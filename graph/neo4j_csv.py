"""Import CSVs for `neo4j-admin database import full`, written record by record by one `CsvWriter`.

One node file per label set and property signature (the header types each property: `long`,
`double`, `boolean`, `date`, `string`, `string[]`, `point`) and one relationship file per type and
signature; every relationship keeps its `id` as a property, every node its `id` (the import's
`:ID`). The rows are the batched path's (`node_row`, `edge_row`), so both paths write the same
graph. `graph.neo4j_csv_writers` shares the writing out between processes.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from neo4j.spatial import WGS84Point

from graph.neo4j_store import declared, edge_row, node_row
from ontology.records import Edge, Node
from ontology.schema import Schema, load_schema
from ontology.vocab import Prop

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: never in a name, so lists split where they should
Signature = tuple[tuple[str, str], ...]
Converter = Callable[[Any], Any]
Column = tuple[str, type, Converter | None]  # a property's key, its value type, how it becomes text


def csv_type(value: Any) -> str:
    """The import header type of a property value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list):
        return "string[]"
    if isinstance(value, WGS84Point):
        return "point{crs:WGS-84}"
    return "string"


_JOIN = ARRAY_DELIMITER.join


def _as_list(value: list[Any]) -> str:
    try:
        return _JOIN(value)  # a list of strings, nearly always: joined in C
    except TypeError:
        return _JOIN(map(str, value))


def _as_point(value: WGS84Point) -> str:
    return f"{{longitude:{value.longitude!r}, latitude:{value.latitude!r}}}"


_CONVERTERS: dict[type, Converter] = {  # bound C methods where one does (no Python frame per value)
    bool: {True: "true", False: "false"}.__getitem__,
    float: repr,
    dt.date: dt.date.isoformat,
    list: _as_list,
    WGS84Point: _as_point,
}


def converter(kind: type) -> Converter | None:
    """How a value of exactly this type becomes CSV text (None: written as it is, e.g. str and int)."""
    if kind in _CONVERTERS:
        return _CONVERTERS[kind]
    return next((f for base, f in _CONVERTERS.items() if issubclass(kind, base)), None)


_SIGNATURES: dict[tuple[tuple[str, type], ...], Signature] = {}


def _signature(props: dict[str, Any]) -> Signature:
    """The sorted (key, header type) pairs, worked out once per shape of keys and value types."""
    shape = tuple([(k, type(v)) for k, v in props.items()])
    found = _SIGNATURES.get(shape)
    if found is None:
        if len(_SIGNATURES) > 10_000:  # bounded: a few shapes in practice
            _SIGNATURES.clear()
        found = tuple(sorted((k, csv_type(v)) for k, v in props.items() if k != Prop.ID and v is not None))
        _SIGNATURES[shape] = found
    return found


@dataclass
class CsvSet:
    """The files of one import: node files by label set, relationship files by type."""

    folder: Path
    nodes: list[tuple[tuple[str, ...], Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    node_count: int = 0
    edge_count: int = 0
    writers: int = 1  # the processes that wrote the files
    # The import reads an empty list as no value: (root label or type, property) -> the ids to give [] after.
    empty_lists: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # Files with a value that spans lines: only these are read the slow, multiline way.
    multiline: list[Path] = field(default_factory=list)


class _Files:
    """One open CSV writer per group, its header written on first use."""

    def __init__(self, folder: Path, prefix: str = "") -> None:
        self.folder, self.prefix = folder, prefix
        self.open: dict[object, tuple[IO[str], Any, Path]] = {}

    def writer(self, key: object, name: str, header: list[str]) -> tuple[IO[str], Any, Path]:
        if key not in self.open:
            path = self.folder / f"{name}-{self.prefix}{len(self.open):04d}.csv"
            handle = path.open("w", newline="", encoding="utf-8")
            writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
            writer.writerow(header)
            self.open[key] = (handle, writer, path)
        return self.open[key]

    def close(self) -> None:
        for handle, _, _ in self.open.values():
            handle.close()


def _spans_lines(path: Path, rows: int) -> bool:
    """Whether a file written with `rows` rows (and a header) holds a line break inside a value:
    each row ends in one CR LF, so any other CR or LF is a value's."""
    breaks = [0, 0]
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            breaks[0] += chunk.count(b"\r")
            breaks[1] += chunk.count(b"\n")
    return breaks != [rows + 1, rows + 1]


def _header(head: list[str], signature: Signature) -> list[str]:
    return head + [f"{k}:{t}" for k, t in signature]


def _quoting(kinds: Sequence[type], converters: Sequence[Converter | None]) -> list[bool] | None:
    """Which columns `csv.QUOTE_NONNUMERIC` quotes, where every column is text (a string, or a value
    a converter makes text) or an integer; None where a column holds anything else."""
    quoted = []
    for kind, convert in zip(kinds, converters, strict=True):
        if convert is None and kind is not int and not issubclass(kind, str):
            return None
        quoted.append(convert is not None or kind is not int)
    return quoted


def _line(row: list[Any], quoted: list[bool]) -> str:
    """`row` as `csv.writer(quoting=QUOTE_NONNUMERIC)` writes it (the excel dialect): text quoted,
    its quotes doubled, integers bare, CR LF at the end; in half the time `writerow` takes."""
    cells = ['"' + v.replace('"', '""') + '"' if q else str(v) for v, q in zip(row, quoted, strict=True)]
    return ",".join(cells) + "\r\n"


def _template(quoted: list[bool]) -> str:
    """The `%` template of a row whose cells are all text, none holding a quote: what `_line` writes."""
    return ",".join('"%s"' if q else "%s" for q in quoted) + "\r\n"


def _plain(row: list[str]) -> bool:
    """Whether no cell holds a quote (which `_line` doubles): one test of the row joined, in C."""
    return '"' not in "".join(row)


class _Group:
    """One group's file: its writer, the getter of its property values in column order, the columns
    a converter turns into text (index in the row, converter), which columns are quoted (None: the
    csv writer writes the rows), the template of a row whose text needs no quote doubled (integers
    made text too) and the rows written."""

    __slots__ = ("converting", "path", "put", "quoted", "rows", "template", "values", "writer")

    def __init__(self, file: tuple[IO[str], Any, Path], head: Sequence[type], columns: Sequence[Column]) -> None:
        """`head`: the types of the values before the properties (ids: text); `columns`: each property's
        key, value type and converter, in column order."""
        handle, self.writer, self.path = file
        self.put, self.rows = handle.write, 0
        keys = [k for k, _, _ in columns]
        self.values: Callable[[dict[str, Any]], Sequence[Any]] = (
            itemgetter(*keys) if len(keys) > 1 else (lambda props: [props[keys[0]]] if keys else [])
        )
        skip = len(head)
        self.converting = [(skip + i, f) for i, (_, _, f) in enumerate(columns) if f is not None]
        self.quoted = _quoting([*head, *(t for _, t, _ in columns)], [*[None] * skip, *(f for _, _, f in columns)])
        self.template: str | None = None
        # `%s` writes a str subclass as its `__str__` says, which may not be its text: plain str only
        if self.quoted is not None and all(f is not None or t in (str, int) for _, t, f in columns):
            self.template = _template(self.quoted)
            # the integers become text too, as `_line` writes them
            self.converting += [(skip + i, str) for i, (_, t, f) in enumerate(columns) if f is None and t is int]

    def write(self, head: list[Any], props: dict[str, Any]) -> None:
        row = [*head, *self.values(props)]
        for i, f in self.converting:
            row[i] = f(row[i])
        if self.quoted is None:
            self.writer.writerow(row)
        elif self.template is not None and _plain(row):
            self.put(self.template % tuple(row))
        else:
            self.put(_line(row, self.quoted))
        self.rows += 1


class CsvWriter:
    """Import CSVs written record by record (a download streamed from its staging file never sits
    whole in memory). `close` ends the files and returns them.

    Each record's group (labels or type, and the shape of its properties: keys and value types) is
    worked out once per shape: the file, its header, the property keys in column order and the
    columns that need converting to text. `prefix` begins the number of each file (writers sharing
    a folder give different ones)."""

    def __init__(self, folder: Path, schema: Schema | None = None, prefix: str = "") -> None:
        self.schema = schema or load_schema()
        folder.mkdir(parents=True, exist_ok=True)
        self.csvs = CsvSet(folder)
        self._files = _Files(folder, prefix)
        self._nodes: dict[tuple[tuple[str, ...], Signature], Path] = {}
        self._edges: dict[tuple[str, Signature], Path] = {}
        self._groups: dict[tuple[Any, ...], _Group] = {}  # shape -> its group

    def node(self, node: Node) -> None:
        row = node_row(node)
        props = row["props"]
        shape = (node.labels, *props, *map(type, props.values()))
        group = self._groups.get(shape)
        if group is None:
            labels = tuple(declared(label, self.schema.classes) for label in node.labels)
            group = self._group(shape, props, (labels, _signature(props)), self._nodes, "nodes", [f"{Prop.ID}:ID"])
        group.write([row["id"]], props)
        if [] in props.values():
            self._empty_lists(node.labels[0], row)
        self.csvs.node_count += 1

    def edge(self, edge: Edge) -> None:
        props = edge.props  # edge_row's properties but its id, which is a column of its own here
        shape = (edge.type, *props, *map(type, props.values()))
        group = self._groups.get(shape)
        if group is None:
            rel_type = declared(edge.type, self.schema.relationships)
            sig = _signature(edge_row(edge)["props"])
            head = [":START_ID", ":END_ID", f"{Prop.ID}:string"]
            group = self._group(shape, props, (rel_type, sig), self._edges, "relationships", head)
        group.write([edge.source, edge.target, edge.id], props)
        if [] in props.values():
            self._empty_lists(edge.type, edge_row(edge))
        self.csvs.edge_count += 1

    def _group(
        self,
        shape: tuple[Any, ...],
        props: dict[str, Any],
        key: tuple[Any, Signature],
        files: dict[Any, Path],
        name: str,
        head: list[str],
    ) -> _Group:
        """The group of a new shape (a file per labels or type and signature, kept in `files`);
        `shape` is the labels or type, the property keys and their value types."""
        sig = key[1]
        file = self._files.writer(key, name, _header(head, sig))
        files[key] = file[2]
        columns = [(k, type(props[k]), converter(type(props[k]))) for k, _ in sig]
        group = self._groups[shape] = _Group(file, [str] * len(head), columns)
        return group

    def _empty_lists(self, on: str, row: dict[str, Any]) -> None:
        for key, value in row["props"].items():
            if value == []:
                self.csvs.empty_lists.setdefault((on, key), []).append(row["id"])

    def write(self, records: Iterable[Node | Edge]) -> None:
        for record in records:
            if isinstance(record, Node):
                self.node(record)
            else:
                self.edge(record)

    def abort(self) -> None:
        """Close the files as they stand (the caller throws them away)."""
        self._files.close()

    def close(self) -> CsvSet:
        self._files.close()
        self.csvs.nodes = [(labels, path) for (labels, _), path in self._nodes.items()]
        self.csvs.relationships = [(rel_type, path) for (rel_type, _), path in self._edges.items()]
        rows = Counter[Path]()
        for group in self._groups.values():
            rows[group.path] += group.rows
        self.csvs.multiline = [path for path, count in rows.items() if _spans_lines(path, count)]
        return self.csvs
