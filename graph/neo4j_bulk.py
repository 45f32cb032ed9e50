"""First loads at `neo4j-admin database import full` speed: the records as import CSVs, then the import.

`CsvWriter` (`write_csvs` for a whole dataset) writes, record by record, one node file per label
set and property signature (the header types each property: `long`, `double`, `boolean`, `date`,
`string`, `string[]`) and one relationship file per type and signature; every relationship keeps
its `id` as a property, every node its `id` (the import's `:ID`). The rows are the batched path's
(`node_row`, `edge_row`), so both paths write the same graph. `bulk_import` then, for a server
this project started (`chiptrail neo4j start`): checks the database is empty (refusing otherwise),
has the CSVs written, stops the server, runs the import with the jars in `tools/neo4j/lib`, starts
it again and builds the ontology's constraints and indexes. `bulk_load` imports a dataset so; a
first ingest imports a download (`graph.neo4j_bulk_ingest`).

A Docker server: write the CSVs (`chiptrail load --csv-dir DIR`), stop the container, and run the
image's tool on them, e.g. `docker compose run --rm -v DIR:/import neo4j neo4j-admin database import
full --overwrite-destination ...` with the arguments `import_arguments` prints; start the container
and run `chiptrail load` once (it builds the constraints and indexes, and the data is already there).
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from neo4j.spatial import WGS84Point

from graph import neo4j_server
from graph.neo4j_server import ServerConfig
from graph.neo4j_store import Neo4jStore, declared, edge_row, identifier, node_row
from graph.settings import Neo4jSettings
from graph.store import LoadReport
from ontology.errors import BackendUnavailable, WriteRefused
from ontology.records import Dataset, Edge, Node
from ontology.schema import Schema, load_schema
from ontology.vocab import Prop

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: never in a name, so lists split where they should
Signature = tuple[tuple[str, str], ...]
PARALLEL_FROM = 50_000  # records: fewer are written sooner than processes are forked
Converter = Callable[[Any], Any]


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

    def writer(self, key: object, name: str, header: list[str]) -> tuple[Any, Path]:
        if key not in self.open:
            path = self.folder / f"{name}-{self.prefix}{len(self.open):04d}.csv"
            handle = path.open("w", newline="", encoding="utf-8")
            writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
            writer.writerow(header)
            self.open[key] = (handle, writer, path)
        _, writer, path = self.open[key]
        return writer, path

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


class _Group:
    """One group's file: its writer, the getter of its property values in column order, the columns
    a converter turns into text (index in the row, converter) and the rows written."""

    __slots__ = ("converting", "path", "rows", "values", "writer")

    def __init__(self, writer: Any, path: Path, columns: Sequence[tuple[str, Converter | None]], skip: int) -> None:
        self.writer, self.path, self.rows = writer, path, 0
        keys = [k for k, _ in columns]
        self.values: Callable[[dict[str, Any]], Sequence[Any]] = (
            itemgetter(*keys) if len(keys) > 1 else (lambda props: [props[keys[0]]] if keys else [])
        )
        self.converting = [(skip + i, f) for i, (_, f) in enumerate(columns) if f is not None]

    def write(self, head: list[Any], props: dict[str, Any]) -> None:
        row = [*head, *self.values(props)]
        for i, f in self.converting:
            row[i] = f(row[i])
        self.writer.writerow(row)
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
        writer, path = self._files.writer(key, name, _header(head, sig))
        files[key] = path
        columns = [(k, converter(type(props[k]))) for k, _ in sig]
        group = self._groups[shape] = _Group(writer, path, columns, len(head))
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

    def close(self) -> CsvSet:
        self._files.close()
        self.csvs.nodes = [(labels, path) for (labels, _), path in self._nodes.items()]
        self.csvs.relationships = [(rel_type, path) for (rel_type, _), path in self._edges.items()]
        rows = Counter[Path]()
        for group in self._groups.values():
            rows[group.path] += group.rows
        self.csvs.multiline = [path for path, count in rows.items() if _spans_lines(path, count)]
        return self.csvs


def write_csvs(
    data: Dataset | Iterable[Node | Edge], folder: Path, schema: Schema | None = None, *, processes: int | None = None
) -> CsvSet:
    """Write a dataset, or records streamed one at a time (nodes and edges in any order), as import
    CSVs into `folder` (created; must be empty). Only the open files are kept, never the records.

    A dataset already in memory is split between `processes` forked writers (by default one per
    processor, at most 4, from `PARALLEL_FROM` records on, where the platform forks): each writes
    its own files, which the import reads like any others."""
    if not isinstance(data, Dataset):
        return _write_one(data, CsvWriter(folder, schema))
    whole: list[Node | Edge] = [*data.nodes.values(), *data.edges.values()]
    count = processes or writers_for(len(whole))
    if count > 1:
        return _write_forked(whole, folder, schema or load_schema(), count)
    return _write_one(whole, CsvWriter(folder, schema))


def _write_one(records: Iterable[Node | Edge], writer: CsvWriter) -> CsvSet:
    try:
        writer.write(records)
    finally:
        writer.close()
    return writer.csvs


def writers_for(records: int) -> int:
    """How many processes write `records` records in memory: one per processor (at most 4) from
    `PARALLEL_FROM` on, on Linux (a forked child reads its share without copying it); else one."""
    if records < PARALLEL_FROM or sys.platform != "linux":
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0))))


# What the forked writers read, set in the parent just before they fork: (records, folder, schema).
_FORKED: list[tuple[list[Node | Edge], Path, Schema]] = []


def _write_part(part: int, parts: int) -> CsvSet:
    """In a forked writer: the `part`-th of `parts` slices of the records, as files of its own."""
    records, folder, schema = _FORKED[-1]
    size = -(-len(records) // parts)
    return _write_one(records[part * size : (part + 1) * size], CsvWriter(folder, schema, prefix=f"{part}-"))


def _write_forked(records: list[Node | Edge], folder: Path, schema: Schema, parts: int) -> CsvSet:
    _FORKED.append((records, folder, schema))
    try:
        with multiprocessing.get_context("fork").Pool(parts) as pool:
            found = pool.starmap(_write_part, [(part, parts) for part in range(parts)])
    finally:
        _FORKED.pop()
    return _merged(folder, found)


def _merged(folder: Path, parts: list[CsvSet]) -> CsvSet:
    """One set of the files the writers wrote (a label set or type may have a file from each)."""
    whole = CsvSet(folder, writers=len(parts))
    for part in parts:
        whole.nodes += part.nodes
        whole.relationships += part.relationships
        whole.node_count += part.node_count
        whole.edge_count += part.edge_count
        whole.multiline += part.multiline
        for key, ids in part.empty_lists.items():
            whole.empty_lists.setdefault(key, []).extend(ids)
    return whole


def _multiline(paths: list[str]) -> list[str]:
    """The multiline options: none of the files (every file is then read in parallel), or just these."""
    if not paths:
        return ["--multiline-fields=false"]
    return ["--multiline-fields-format=v2", f"--multiline-fields={','.join(paths)}"]


def import_arguments(csvs: CsvSet, database: str, folder: str | None = None) -> list[str]:
    """The admin tool's arguments for these files (paths under `folder` if given: a container's view)."""

    def where(path: Path) -> str:
        return f"{folder}/{path.name}" if folder else str(path)

    args = [
        "database",
        "import",
        "full",
        database,  # before the file lists, which take every argument up to the next option
        "--overwrite-destination=true",
        *_multiline([where(path) for path in csvs.multiline]),
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        "--high-parallel-io=on",
    ]
    args += [f"--nodes={':'.join(labels)}={where(path)}" for labels, path in csvs.nodes]
    args += [f"--relationships={rel_type}={where(path)}" for rel_type, path in csvs.relationships]
    return args


def docker_steps(csvs: CsvSet, folder: Path, database: str) -> str:
    """What to run for a Docker server (`docker compose`): the image's tool on the CSVs in `folder`."""
    args = " ".join(import_arguments(csvs, database, "/import"))
    return (
        "For a Docker server: stop it, then (the database must be empty or new)\n"
        f"  docker compose run --rm -v {folder.resolve()}:/import neo4j neo4j-admin {args}"
    )


def run_import(config: ServerConfig, csvs: CsvSet, database: str, extra: Sequence[str] = ()) -> str:
    """Run `neo4j-admin database import full` from the project's jars (the server must be stopped);
    `extra`: more of the tool's options, e.g. `--max-off-heap-memory=2G` on a shared machine."""
    if neo4j_server.running_pid(config) is not None:
        raise WriteRefused(f"the Neo4j server in {config.home} is running: stop it before an import")
    neo4j_server.write_config(config)
    env = {**os.environ, "NEO4J_HOME": str(config.home), "NEO4J_CONF": str(config.home / "conf")}
    command = [neo4j_server.java(), "-cp", neo4j_server.classpath(config), neo4j_server.ADMIN_TOOL]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments built from checked names
        [
            *command,
            *import_arguments(csvs, database),
            *extra,
            f"--report-file={config.home / 'logs' / 'import.report'}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise WriteRefused(f"neo4j-admin database import failed:\n{(result.stdout + result.stderr).strip()[-2000:]}")
    return result.stdout


def is_empty(store: Neo4jStore) -> bool:
    return store.run("MATCH (n) RETURN count(n) > 0 AS any")[0]["any"] is False


LOAD_INSTEAD = "load without --bulk to merge, or --replace to start again"


def refuse_unless_empty(store: Neo4jStore, instead: str = LOAD_INSTEAD) -> None:
    """Raise `WriteRefused` (saying what to do `instead`) if the database holds anything."""
    if not is_empty(store):
        raise WriteRefused(
            f"the database '{store.settings.database}' at {store.settings.uri} holds data: a bulk load writes "
            f"only into an empty database ({instead})"
        )


def bulk_import(
    config: ServerConfig,
    settings: Neo4jSettings,
    write: Callable[[Path], CsvSet],
    *,
    status: Callable[[str], None] | None = None,
    instead: str = LOAD_INSTEAD,
) -> CsvSet:
    """Import the CSVs `write` puts in the folder it is given into the empty database of the server
    in `config.home`, then build the schema.

    `write` runs while the server still runs, so whatever it raises (a download that fails its
    checks) leaves the database as it was. The server is then stopped for the import and started
    again after (it is left running)."""
    say = status or (lambda _: None)
    password = settings.checked_password()
    if neo4j_server.running_pid(config) is None:
        raise BackendUnavailable(f"no Neo4j server started from {config.home} is running (chiptrail neo4j start)")
    with closing(Neo4jStore.connect(settings)) as store:
        refuse_unless_empty(store, instead)
    folder = config.home / "import" / "bulk"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        say("writing import CSVs")
        csvs = write(folder)
        say("stopping Neo4j for the import")
        neo4j_server.stop(config)
        say(f"importing {csvs.node_count:,} nodes and {csvs.edge_count:,} relationships")
        run_import(config, csvs, settings.database)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if neo4j_server.running_pid(config) is None:
            say("starting Neo4j")
            neo4j_server.start(config, password)
    say("building constraints and indexes")
    with closing(_connect_after_start(settings)) as store:
        build_schema(store)
        restore_empty_lists(store, csvs)
    return csvs


def restore_empty_lists(store: Neo4jStore, csvs: CsvSet) -> None:
    """Give back the empty lists the import left out (by id, through the indexes just built)."""
    for (on, key), ids in sorted(csvs.empty_lists.items()):
        prop = "`" + key.replace("`", "``") + "`"
        if on in store.schema.relationships:
            match = f"MATCH ()-[x:{identifier(on, store.schema.relationships)} {{id: id}}]->()"
        else:
            match = f"MATCH (x:{identifier(on, store.schema.classes)} {{id: id}})"
        for start in range(0, len(ids), 10_000):
            store.driver.execute_query(
                f"UNWIND $ids AS id {match} SET x.{prop} = []",
                {"ids": ids[start : start + 10_000]},
                database_=store.settings.database,
            )


def bulk_load(
    data: Dataset,
    config: ServerConfig,
    settings: Neo4jSettings,
    *,
    status: Callable[[str], None] | None = None,
    processes: int | None = None,
) -> LoadReport:
    """Import `data` into the empty database of the server in `config.home`, then build the schema
    (the CSVs written by `processes` writers: see `write_csvs`)."""
    csvs = bulk_import(config, settings, lambda folder: write_csvs(data, folder, processes=processes), status=status)
    return LoadReport(csvs.node_count, csvs.edge_count)


def _connect_after_start(settings: Neo4jSettings, attempts: int = 6) -> Neo4jStore:
    """The restarted server's store: a fresh JVM on a busy machine may miss the first answer's deadline."""
    for _ in range(attempts - 1):
        try:
            return Neo4jStore.connect(settings)
        except BackendUnavailable:
            continue
    return Neo4jStore.connect(settings)


def build_schema(store: Neo4jStore) -> None:
    """The ontology's constraints and indexes, waited for until they are online."""
    store.setup_schema()
    with store.driver.session(database=store.settings.database) as session:
        session.run("CALL db.awaitIndexes(3600)").consume()
