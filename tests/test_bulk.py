"""The bulk path (`neo4j-admin database import full`) writes the same graph as the batched path.

The Neo4j test starts a server of its own: an import needs the server stopped, which the session's
shared server must never be.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import multiprocessing
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from graph import neo4j_bulk, neo4j_csv, neo4j_csv_writers, neo4j_server
from graph.neo4j_csv import CsvSet
from graph.settings import Neo4jSettings
from loaders.synthetic import generate, records
from ontology.errors import OntologyError, WriteRefused
from ontology.records import Dataset, Edge, Node
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel
from tests.helpers import checksum
from tests.neo4j_server import connect, unavailable
from tests.neo4j_server import own_server as started


def odd_values() -> Dataset:
    """Values the CSV must carry exactly: quotes, commas, a newline, '' and lists, numbers of each kind."""
    schema = load_schema()
    data = generate(300)
    chip = Node(
        "chip-odd",
        schema.closure((Label.CHIP_MODEL,)),
        {
            Prop.NAME: 'An "odd", chip\non two lines',
            Prop.ALIASES: ["a;b", "c,d", 'e"f'],
            "tpp": 1234.5,
            Prop.ILLUSTRATIVE: True,
            Prop.CONFIDENCE: "illustrative",
            Prop.SOURCES: ["src-synthetic"],
            "vendor": "",
        },
    )
    data.nodes[chip.id] = chip
    bare = Node("org-bare", schema.closure((Label.DISTRIBUTOR,)), {Prop.NAME: "Bare", Prop.ALIASES: []})
    data.nodes[bare.id] = bare  # the import reads an empty list as no value: it is given back after
    edge = Edge("e-odd", Rel.DESIGNS, "syn-designer-0", chip.id, {Prop.VALID_FROM: dt.date(2024, 2, 29)})
    data.edges[edge.id] = edge
    return data


def test_csv_headers_type_every_property(tmp_path: Path) -> None:
    csvs = neo4j_csv_writers.write_csvs(odd_values(), tmp_path / "csv")
    headers = {}
    for _, path in [*csvs.nodes, *csvs.relationships]:
        with path.open(newline="", encoding="utf-8") as handle:
            headers.update({h.split(":")[0]: h for h in next(csv.reader(handle))})
    assert headers["id"] in {"id:ID", "id:string"}
    assert headers[Prop.ALIASES] == f"{Prop.ALIASES}:string[]"
    assert headers["tpp"] == "tpp:double"
    assert headers["quantity"] == "quantity:long"
    assert headers[Prop.ILLUSTRATIVE] == f"{Prop.ILLUSTRATIVE}:boolean"
    assert headers[Prop.VALID_FROM] == f"{Prop.VALID_FROM}:date"
    args = neo4j_bulk.import_arguments(csvs, "neo4j")
    assert args[3] == "neo4j" and "--overwrite-destination=true" in args
    assert any(a.startswith("--nodes=Organisation:") or a.startswith("--nodes=") for a in args)


@pytest.mark.parametrize("name", ["on two\nlines", "on two\r\nlines", "a lone\rreturn"])
def test_only_files_with_a_line_break_in_a_value_are_read_as_multiline(tmp_path: Path, name: str) -> None:
    data = generate(300)
    plain = neo4j_csv_writers.write_csvs(data, tmp_path / "plain")
    assert plain.multiline == []
    assert "--multiline-fields=false" in neo4j_bulk.import_arguments(plain, "neo4j")
    odd = Node("org-odd", load_schema().closure((Label.DISTRIBUTOR,)), {Prop.NAME: name, "note": "x"})
    data.nodes[odd.id] = odd
    csvs = neo4j_csv_writers.write_csvs(data, tmp_path / "odd")
    [path] = csvs.multiline
    assert path.read_text(encoding="utf-8").count("org-odd") == 1
    args = neo4j_bulk.import_arguments(csvs, "neo4j")
    assert "--multiline-fields-format=v2" in args and f"--multiline-fields={path}" in args


def test_forked_writers_write_the_rows_one_writer_does(tmp_path: Path) -> None:
    """A dataset split between three writers: the same rows under the same headers, each writer's
    files its own, every empty list still to be given back."""
    data = odd_values()
    data.nodes.update(generate(2000).nodes)
    one = neo4j_csv_writers.write_csvs(data, tmp_path / "one", processes=1)
    three = neo4j_csv_writers.write_csvs(data, tmp_path / "three", processes=3)

    assert (three.node_count, three.edge_count) == (one.node_count, one.edge_count) == (len(data.nodes), 300 + 1)
    assert rows_of(three) == rows_of(one)
    assert len({path.name for _, path in three.nodes}) == len(three.nodes) > len(one.nodes)
    assert three.empty_lists == one.empty_lists == {(Label.ENTITY, Prop.ALIASES): ["org-bare"]}
    assert [p.name for p in three.multiline] != [] and len(three.multiline) == len(one.multiline)
    assert neo4j_csv_writers.writers_for(neo4j_csv_writers.PARALLEL_FROM - 1) == 1
    assert (one.writers, three.writers) == (1, 3)


def rows_of(csvs: CsvSet) -> Counter[tuple[str, str]]:
    """Each row under its file's header (files from several writers number in another order)."""
    found = Counter[tuple[str, str]]()
    for _, path in [*csvs.nodes, *csvs.relationships]:
        header, *lines = path.read_text(encoding="utf-8").split("\r\n")
        found.update((header, line) for line in lines if line)
    return found


def piped(records: Iterable[Node | Edge], folder: Path, processes: int) -> CsvSet:
    """Records streamed through `processes` piped writers from the hundredth on."""
    writer = neo4j_csv_writers.PipedWriters(folder, processes=processes, start_at=100)
    writer.write(records)
    return writer.close()


def test_piped_writers_write_the_rows_one_writer_does(tmp_path: Path) -> None:
    """A stream sent in batches to three forked writers: the same rows under the same headers, each
    writer's files its own, the empty lists and the multiline files found as one writer finds them."""
    data = odd_values()
    stream: list[Node | Edge] = [*data.nodes.values(), *data.edges.values()]
    one = piped(stream, tmp_path / "one", processes=1)
    three = piped(iter(stream), tmp_path / "three", processes=3)
    assert (one.writers, three.writers) == (1, 3)
    assert (three.node_count, three.edge_count) == (one.node_count, one.edge_count) == (len(data.nodes), 301)
    assert rows_of(three) == rows_of(one)
    assert len({path.name for _, path in [*three.nodes, *three.relationships]}) == len(three.nodes) + len(
        three.relationships
    )
    assert three.empty_lists == one.empty_lists == {(Label.ENTITY, Prop.ALIASES): ["org-bare"]}
    assert len(three.multiline) == len(one.multiline) == 1
    assert multiprocessing.active_children() == []


def test_a_short_stream_is_written_without_forking(tmp_path: Path) -> None:
    csvs = neo4j_csv_writers.write_csvs(records(2000), tmp_path / "csv", processes=2)
    assert csvs.writers == 1 and csvs.edge_count == 2000
    assert multiprocessing.active_children() == []


def test_a_piped_writer_that_fails_stops_them_all_and_says_why(tmp_path: Path) -> None:
    """A record the ontology does not declare, met by a forked writer: its error reaches the
    producer, and no writer is left running."""
    bad = Edge("e-bad", "OWNS_A_YACHT", "syn-chip-0", "syn-chip-1", {})
    stream: list[Node | Edge] = [*records(1000), bad, *records(500, seed=3)]
    with pytest.raises(OntologyError, match="'OWNS_A_YACHT' is not declared by the ontology"):
        piped(stream, tmp_path / "csv", processes=2)
    assert multiprocessing.active_children() == []


def test_a_stream_that_fails_stops_the_writers_at_once(tmp_path: Path) -> None:
    """The producer fails (a bad row in a download) with writers forked: `abort` leaves none running."""

    def failing() -> Iterator[Node | Edge]:
        yield from records(1000)
        raise ValueError("row 1,251: no id")

    writer = neo4j_csv_writers.PipedWriters(tmp_path / "csv", processes=2, start_at=100)
    with pytest.raises(ValueError, match="row 1,251"):
        writer.write(failing())
    assert len(multiprocessing.active_children()) == 2
    writer.abort()
    assert multiprocessing.active_children() == []


def fingerprint(data: Dataset) -> str:
    digest = hashlib.sha256()
    for key in sorted(data.nodes):
        digest.update(repr((key, data.nodes[key].labels, sorted(data.nodes[key].props.items()))).encode())
    for key in sorted(data.edges):
        edge = data.edges[key]
        digest.update(repr((key, edge.type, edge.source, edge.target, sorted(edge.props.items()))).encode())
    return digest.hexdigest()[:16]


def test_the_generator_streams_the_graph_it_always_gave() -> None:
    """The digest of generate(3000, seed=5) from before it streamed: the same seed, the same graph."""
    data = generate(3000, seed=5)
    assert (len(data.nodes), len(data.edges), fingerprint(data)) == (783, 3000, "9475355e445b75e1")


def test_streamed_records_write_the_same_csvs(tmp_path: Path) -> None:
    whole = neo4j_csv_writers.write_csvs(generate(2000), tmp_path / "whole")
    streamed = neo4j_csv_writers.write_csvs(records(2000), tmp_path / "streamed")
    assert (streamed.node_count, streamed.edge_count) == (whole.node_count, whole.edge_count)

    def rows(csvs: CsvSet) -> set[str]:  # each file's header and rows; files number in another order
        return {path.read_text(encoding="utf-8") for _, path in [*csvs.nodes, *csvs.relationships]}

    assert rows(streamed) == rows(whole)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[neo4j_server.ServerConfig, Neo4jSettings]]:
    with started(tmp_path / "neo4j") as server:
        yield server


@pytest.mark.neo4j
def test_bulk_and_batched_paths_write_the_same_graph(
    own_server: tuple[neo4j_server.ServerConfig, Neo4jSettings],
) -> None:
    config, settings = own_server
    data = odd_values()
    with closing(connect(settings)) as store:
        store.load(data)
        batched = (store.counts(), checksum(store))
        with pytest.raises(WriteRefused, match="holds data"):
            neo4j_bulk.refuse_unless_empty(store)
        store.clear()
    report = neo4j_bulk.bulk_load(data, config, settings, status=print, processes=2)  # files from two writers
    assert (report.nodes, report.edges) == (len(data.nodes), len(data.edges))
    with closing(connect(settings)) as store:
        assert (store.counts(), checksum(store)) == batched
        odd = store.node("chip-odd")
        assert odd is not None and odd.props["vendor"] == "" and odd.props[Prop.ALIASES] == ["a;b", "c,d", 'e"f']
        online = {row["name"] for row in store.run("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE'")}
        created = set(re.findall(r" (\w+) IF NOT EXISTS", "\n".join(store.schema_statements())))
        assert {"names", "supplies_id", "entity_id"} <= created <= online  # every group filled when the load returns
        store.load(data)  # the batched path finds every record the import wrote: nothing doubles
        assert (store.counts(), checksum(store)) == batched
    with pytest.raises(WriteRefused, match="holds data"):
        neo4j_bulk.bulk_load(data, config, settings)


@pytest.mark.neo4j
def test_a_bulk_load_with_replace_imports_in_place_of_what_the_database_holds(
    own_server: tuple[neo4j_server.ServerConfig, Neo4jSettings],
) -> None:
    config, settings = own_server
    old, new = odd_values(), generate(300, seed=2)
    with closing(connect(settings)) as store:
        store.load(old)
    report = neo4j_bulk.bulk_load(new, config, settings, replace=True)
    assert (report.nodes, report.edges) == (len(new.nodes), len(new.edges))
    with closing(connect(settings)) as store:
        assert store.node("chip-odd") is None
        found = store.run("MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS edges")[0]
        assert (found["nodes"], found["edges"]) == (len(new.nodes), len(new.edges))
        assert "supplies_id" in {
            row["name"] for row in store.run("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE'")
        }


@pytest.mark.neo4j
def test_a_write_that_fails_leaves_the_database_as_it_was_and_the_server_running(
    own_server: tuple[neo4j_server.ServerConfig, Neo4jSettings],
) -> None:
    """The server is stopped before the CSVs are written: a write that fails starts it again, and
    the database holds what it held."""
    config, settings = own_server
    old = odd_values()
    with closing(connect(settings)) as store:
        store.clear()
        store.load(old)
        before = (store.counts(), checksum(store))

    def failing(folder: Path) -> CsvSet:
        assert neo4j_server.running_pid(config) is None  # nothing reads the server while the CSVs are written
        raise WriteRefused("a bad row in the download")

    with pytest.raises(WriteRefused, match="bad row"):
        neo4j_bulk.bulk_import(config, settings, failing, replace=True)
    assert neo4j_server.running_pid(config) is not None
    with closing(connect(settings)) as store:
        assert (store.counts(), checksum(store)) == before


@pytest.mark.neo4j
def test_an_initial_password_may_start_with_a_dash(tmp_path: Path) -> None:
    """`--` ends the admin tool's options: without it the password below is read as an unknown option."""
    if not neo4j_server.jars_present():
        unavailable("no jars in tools/neo4j/lib (run `make neo4j-jars`)")
    config = neo4j_server.ServerConfig(tmp_path / "neo4j")
    neo4j_server.write_config(config)
    neo4j_server.set_initial_password(config, "-p" + secrets.token_hex(8))
    assert (config.home / "data" / "dbms" / "auth.ini").read_text().startswith("neo4j:")


ODD_TEXT = ["", "plain", 'a "quoted" word', "comma, inside", "two\nlines", "cr\rlf\r\n", "nul\x00", "é 新疆", '"']


def test_a_row_is_written_as_the_csv_module_writes_it() -> None:
    """The writers build each line themselves (in half the time of `csv.writer.writerow`): the same
    text, quotes doubled, integers bare, for every odd value."""
    for text, number in itertools.product(ODD_TEXT, (0, -12, 10**30)):
        row = ["id-1", text, number, text + "\x1f" + text]
        expected = io.StringIO()
        csv.writer(expected, quoting=csv.QUOTE_NONNUMERIC).writerow(row)
        assert neo4j_csv._line(row, [True, True, False, True]) == expected.getvalue(), (text, number)


def test_a_group_writes_each_row_as_the_csv_module_writes_it() -> None:
    """A row of plain text and integers goes through a `%` template after one test of the whole row;
    a quote anywhere sends it the long way: the same text either way."""
    written, expected = io.StringIO(), io.StringIO()
    columns = [("name", str, None), ("n", int, None), ("names", list, neo4j_csv.converter(list))]
    group = neo4j_csv._Group((written, None, Path("rows.csv")), [str], columns)
    assert group.template is not None
    for text, number in itertools.product(ODD_TEXT, (0, -12, 10**30)):
        group.write(["id-1"], {"name": text, "n": number, "names": [text, "x"]})
        csv.writer(expected, quoting=csv.QUOTE_NONNUMERIC).writerow(["id-1", text, number, text + "\x1f" + "x"])
    assert written.getvalue() == expected.getvalue()
    assert group.rows == len(ODD_TEXT) * 3


def test_only_text_and_integers_are_written_without_the_csv_module() -> None:
    text = neo4j_csv.converter(float)
    assert neo4j_csv._quoting([str, int, float], [None, None, text]) == [True, False, True]
    assert neo4j_csv._quoting([str, Decimal], [None, None]) is None  # written by csv.writer
