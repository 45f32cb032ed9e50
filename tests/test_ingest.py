"""Snapshots and deltas, on both backends, through a minimal source in a JSON-lines layout of its own.

The source here stands for any real one (the CSL and OpenSanctions readers have their own tests):
each line is a party with an optional designation and an optional stake in another party.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.ingest import IngestReport, IngestRequest, ingest, open_ledger
from api.stores import open_loaded_store
from graph.ledger import Ledger
from graph.store import GraphStore
from graph.target import Fingerprint
from loaders import BUNDLED_DATA, load_paths
from loaders.sources import Invalid, Mapped, ReadOptions, Row, Skipped, SourceInfo
from ontology import load_schema
from ontology.errors import DataError, Problem, Refused
from ontology.recordjson import date_properties, digest, dumps, loads
from ontology.records import Edge, Node, Origin, Props
from ontology.vocab import Label, Prop, Rel
from queries.changes import changes
from queries.policies import screen_party
from tests.helpers import client_for

ENTITY_LIST = "list-bis-entity-list"
LISTING = "tst-listing"
S1, S2 = dt.date(2026, 11, 15), dt.date(2026, 11, 28)  # the affiliates rule is back in force on both


class LinesSource:
    info = SourceInfo(
        name="lines",
        dataset="test_lines",
        title="Test lines",
        publisher="Tests",
        licence="CC0",
        home="https://example.org/lines/",
        url="https://example.org/lines/parties.jsonl",
        confidence="confirmed",
        formats=("jsonl",),
    )

    def stated_snapshot(self, path: Path) -> dt.date | None:
        return None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            origin = Origin(str(path), number)
            raw: dict[str, Any] = json.loads(line)
            if raw.get("person"):
                yield Skipped("individual", origin, (f"tst-{raw['key']}",))
                continue
            if not raw.get("name"):
                yield Invalid(Problem("a party needs a name", file=str(path), line=number, field="name"))
                continue
            yield self._mapped(raw, origin)

    def _mapped(self, raw: dict[str, Any], origin: Origin) -> Mapped:
        party = f"tst-{raw['key']}"
        nodes = [
            Node(party, (Label.ORGANIZATION,), {Prop.NAME: raw["name"], Prop.COUNTRY: raw.get("country", "HK")}),
            Node(LISTING, (Label.LISTING_ACTION,), {Prop.NAME: "Test listing", Prop.CITATION: "99 FR 1"}),
        ]
        edges = [Edge(f"{LISTING}-amends", Rel.AMENDS, LISTING, ENTITY_LIST, {})]
        if "listed" in raw:
            since: Props = {Prop.VALID_FROM: dt.date.fromisoformat(raw["listed"])}
            edges.append(Edge(f"{party}-designated", Rel.DESIGNATED_BY, party, LISTING, since))
        if "owns" in raw:
            stake: Props = {Prop.PERCENTAGE: float(raw["pct"])}
            edges.append(Edge(f"{party}-owns-{raw['owns']}", Rel.OWNS, party, f"tst-{raw['owns']}", stake))
        return Mapped(raw["key"], origin, nodes, edges)


PARENT = {"key": "parent", "name": "Example Listed Parent Co., Ltd.", "country": "CN", "listed": "2024-12-02"}
TRADER = {"key": "trader", "name": "Example Compute Trading Limited", "owns": "sub", "pct": 100}
SUB = {"key": "sub", "name": "Example Shenzhen Subsidiary Co., Ltd.", "country": "CN"}
STAKE = {"key": "stake", "name": "Example Holding Vehicle Limited", "owns": "trader", "pct": 60}


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _first(tmp: Path) -> Path:
    parent_owns = {**PARENT, "owns": "trader", "pct": 60}
    return _write(tmp / "s1.jsonl", [parent_owns, TRADER, SUB, {"key": "p1", "person": True, "owns": "sub"}])


def _second(tmp: Path) -> Path:
    renamed = {**SUB, "name": "Example Shenzhen Subsidiary Technology Co., Ltd."}
    return _write(tmp / "s2.jsonl", [PARENT, TRADER, renamed, {"key": "new", "name": "Example New Front Ltd"}])


class Backend:
    """Ingest into and read from one backend."""

    def __init__(self, name: str, home: Path, neo4j_store: Any = None) -> None:
        self.name, self.home, self.neo4j = name, home, neo4j_store

    def ingest(self, path: Path, day: dt.date, **options: Any) -> IngestReport:
        request = IngestRequest(LinesSource(), path, snapshot=day, **options)
        if self.name == "neo4j":
            from graph.neo4j_ingest import Neo4jTarget

            return ingest(request, Neo4jTarget(self.neo4j))
        ledger = open_ledger(self.home, [BUNDLED_DATA])
        try:
            return ingest(request, ledger)
        finally:
            ledger.close()

    def store(self) -> GraphStore:
        return self.neo4j if self.name == "neo4j" else open_loaded_store("memory", [BUNDLED_DATA], self.home)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def side(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "neo4j":
        store = request.getfixturevalue("neo4j_store")
        store.clear()
        store.load(load_paths([BUNDLED_DATA]))
        yield Backend("neo4j", tmp_path, store)
        store.clear()
    else:
        yield Backend("memory", tmp_path)


def _ingested(store: GraphStore) -> dict[str, dict[str, Any]]:
    """Every record of the test dataset, by id, as plain values (for comparing backends)."""
    rows = changes(store, "test_lines", dt.date(1900, 1, 1))
    return {c.id: c.model_dump(mode="json") for c in [*rows.added, *rows.changed, *rows.ended]}


def test_first_snapshot_adds_every_record_with_provenance(side: Backend, tmp_path: Path) -> None:
    report = side.ingest(_first(tmp_path), S1)
    assert report.counts["added"] == 8  # 3 parties, the listing, its AMENDS, 1 designation, 2 stakes
    assert report.skipped == {"individual": 1}
    store = side.store()
    parent = store.node("tst-parent")
    assert parent is not None
    assert parent.props[Prop.DATASET] == "test_lines"
    assert parent.props[Prop.RECORD_KEY] == "parent"
    assert parent.props[Prop.ORIGIN] == f"{tmp_path / 's1.jsonl'}:1"
    assert parent.props[Prop.FIRST_SEEN] == S1 and parent.props[Prop.LAST_SEEN] == S1
    assert parent.props[Prop.SOURCES] == ["src-test-lines-2026-11-15"]
    snapshot = store.node("src-test-lines-2026-11-15")
    assert snapshot is not None and snapshot.props[Prop.ADDED_COUNT] == 8
    assert screen_party(store, "tst-trader", dt.date(2026, 11, 20)).status == "affiliate"


def test_a_delta_adds_changes_and_ends_without_losing_history(side: Backend, tmp_path: Path) -> None:
    side.ingest(_first(tmp_path), S1)
    report = side.ingest(_second(tmp_path), S2)
    assert (report.counts["added"], report.counts["changed"], report.counts["ended"]) == (1, 1, 1)
    store = side.store()
    stake = store.edges(Rel.OWNS, source="tst-parent")[0]
    assert stake.props[Prop.ENDED_IN] == S2
    assert stake.props[Prop.VALID_TO] == S2 - dt.timedelta(days=1)
    assert stake.props[Prop.LAST_SEEN] == S1
    sub = store.node("tst-sub")
    assert sub is not None and sub.props[Prop.CHANGED_FIELDS] == [Prop.NAME]
    assert sub.props[Prop.FIRST_SEEN] == S1 and sub.props[Prop.LAST_SEEN] == S2
    # History answers as before; today's answer reflects the delisted stake.
    assert screen_party(store, "tst-trader", dt.date(2026, 11, 20)).status == "affiliate"
    assert screen_party(store, "tst-trader", S2).status == "clear"
    delta = changes(store, "test_lines")
    assert delta.since == S1.isoformat() and delta.latest == S2.isoformat()
    assert [c.id for c in delta.added] == ["tst-new"]
    assert [c.id for c in delta.ended] == ["tst-parent-owns-trader"]
    assert [(c.id, c.fields) for c in delta.changed] == [("tst-sub", [Prop.NAME])]
    verdicts = {v.party.id: (v.before, v.after) for v in delta.verdicts}
    assert verdicts == {"tst-trader": ("affiliate", "clear"), "tst-sub": ("affiliate", "clear")}


def test_a_record_the_next_snapshot_keeps_as_it_was_is_seen_again(side: Backend, tmp_path: Path) -> None:
    """An unchanged relationship and node are not written again: both get the new `last_seen`."""
    parent_owns = {**PARENT, "owns": "trader", "pct": 60}
    side.ingest(_write(tmp_path / "s1.jsonl", [parent_owns, TRADER, SUB]), S1)
    report = side.ingest(_write(tmp_path / "s2.jsonl", [parent_owns, TRADER]), S2)
    assert report.counts["ended"] == 1 and report.counts["changed"] == 0
    store = side.store()
    stake = store.edges(Rel.OWNS, source="tst-parent")[0]
    assert Prop.ENDED_IN not in stake.props
    assert (stake.props[Prop.FIRST_SEEN], stake.props[Prop.LAST_SEEN]) == (S1, S2)
    trader = store.node("tst-trader")
    assert trader is not None and trader.props[Prop.LAST_SEEN] == S2
    sub = store.node("tst-sub")
    assert sub is not None and (sub.props[Prop.ENDED_IN], sub.props[Prop.LAST_SEEN]) == (S2, S1)


def test_a_delta_asks_the_graph_once_what_it_holds_of_each_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    side = Backend("memory", tmp_path)
    side.ingest(_first(tmp_path), S1)
    asked: Counter[str] = Counter()
    ask = Ledger.fingerprints

    def counted(ledger: Ledger, refs: list[tuple[str, str | None]]) -> dict[str, Fingerprint]:
        asked.update(record_id for record_id, _ in refs)
        return ask(ledger, refs)

    monkeypatch.setattr(Ledger, "fingerprints", counted)
    report = side.ingest(_second(tmp_path), S2)
    assert (report.counts["added"], report.counts["changed"], report.counts["ended"]) == (1, 1, 1)
    assert {"tst-parent", "tst-sub", "tst-new", LISTING} <= asked.keys()  # the staged records
    assert set(asked.values()) == {1}  # the ownership check's answers serve the comparison too


def test_the_ingest_tells_the_rows_read_then_the_records_written(tmp_path: Path) -> None:
    rows = [{"key": f"p{i:04d}", "name": f"Example Party {i}"} for i in range(2_500)]
    request = IngestRequest(LinesSource(), _write(tmp_path / "many.jsonl", rows), snapshot=S1)
    read: list[int] = []
    written: list[int] = []
    ledger = open_ledger(tmp_path, [BUNDLED_DATA])
    try:
        report = ingest(request, ledger, read=read.append, progress=written.append)
    finally:
        ledger.close()
    assert read == [1_000, 2_000, 2_500]
    assert sum(written) == report.counts["added"] == 2_502  # the parties, the listing and its AMENDS edge


@pytest.mark.neo4j
def test_a_delta_finds_what_it_ends_a_page_at_a_time(
    neo4j_store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph import neo4j_store as neo4j_store_module
    from graph.neo4j_ingest import Neo4jTarget

    neo4j_store.clear()
    neo4j_store.load(load_paths([BUNDLED_DATA]))
    side = Backend("neo4j", tmp_path, neo4j_store)
    side.ingest(_first(tmp_path), S1)
    whole = sorted(Neo4jTarget(neo4j_store).live("test_lines"), key=str)
    monkeypatch.setattr(neo4j_store_module, "PAGE", 2)
    assert sorted(Neo4jTarget(neo4j_store).live("test_lines"), key=str) == whole and len(whole) == 8  # as added
    report = side.ingest(_second(tmp_path), S2)
    assert (report.counts["added"], report.counts["changed"], report.counts["ended"]) == (1, 1, 1)
    assert [c.id for c in changes(neo4j_store, "test_lines").ended] == ["tst-parent-owns-trader"]
    neo4j_store.clear()


def test_the_same_file_twice_changes_nothing_and_an_older_one_is_refused(side: Backend, tmp_path: Path) -> None:
    first = _first(tmp_path)
    side.ingest(first, S1)
    before = _ingested(side.store())
    again = side.ingest(first, S1)
    assert again.already and sum(again.counts.values()) == 0
    assert _ingested(side.store()) == before
    side.ingest(_second(tmp_path), S2)
    with pytest.raises(Refused, match="older"):
        side.ingest(first, S1)


def test_a_bad_row_stops_the_ingest_before_anything_is_written(side: Backend, tmp_path: Path) -> None:
    trader = {"key": "trader", "name": TRADER["name"]}
    bad = _write(tmp_path / "bad.jsonl", [PARENT, {"key": "x", "name": ""}, trader])
    with pytest.raises(DataError) as caught:
        side.ingest(bad, S1)
    assert str(caught.value.problems[0]) == f"{bad}:2, field 'name': a party needs a name"
    assert store_has_no_test_records(side.store())
    report = side.ingest(bad, S1, skip_invalid=True)
    assert report.invalid_rows == 1 and report.counts["added"] == 5


def test_two_rows_making_one_record_differently_conflict(tmp_path: Path) -> None:
    """The same party twice, as said the first time, is one record; said otherwise, a conflict
    naming both rows (the LISTING node every row makes, always the same, never conflicts)."""
    renamed = {**PARENT, "name": "Example Listed Parent Renamed Ltd."}
    rows = _write(tmp_path / "twice.jsonl", [PARENT, TRADER, PARENT, SUB, renamed])
    with pytest.raises(DataError) as caught:
        Backend("memory", tmp_path).ingest(rows, S1)
    message = f"conflicts with the record of the same id made at {rows}:1"
    conflict = Problem(message, file=f"{rows}:5", record="tst-parent")
    assert [str(p) for p in caught.value.problems] == [str(conflict)]
    report = Backend("memory", tmp_path).ingest(rows, S1, skip_invalid=True)
    assert report.invalid_rows == 1
    kept = open_loaded_store("memory", [BUNDLED_DATA], tmp_path).node("tst-parent")
    assert kept is not None and kept.props[Prop.NAME] == PARENT["name"]


def store_has_no_test_records(store: GraphStore) -> bool:
    return store.node("tst-parent") is None and store.node("src-test-lines-2026-11-15") is None


def test_an_edge_to_a_record_nobody_has_is_an_error_naming_its_line(tmp_path: Path) -> None:
    dangling = _write(tmp_path / "d.jsonl", [{**TRADER, "owns": "ghost"}])
    with pytest.raises(DataError, match="points at 'tst-ghost', which neither the file nor the graph contains"):
        Backend("memory", tmp_path).ingest(dangling, S1)
    assert not Ledger.exists(tmp_path) or not open_ledger(tmp_path, [BUNDLED_DATA]).datasets()


def test_the_api_reads_datasets_and_changes_as_the_command_line_does(side: Backend, tmp_path: Path) -> None:
    side.ingest(_first(tmp_path), S1)
    side.ingest(_second(tmp_path), S2)
    store = side.store()
    with client_for(store) as client:
        listed = client.get("/v1/datasets").json()
        answer = client.get("/v1/datasets/test_lines/changes", params={"since": "2026-11-01"}).json()
        missing = client.get("/v1/datasets/no_such/changes")
    assert [(d["dataset"], [s["snapshot"] for s in d["snapshots"]]) for d in listed] == [
        ("test_lines", ["2026-11-15", "2026-11-28"])
    ]
    assert listed[0]["snapshots"][1]["ended"] == 1
    assert answer == changes(store, "test_lines", dt.date(2026, 11, 1)).model_dump(mode="json")
    assert sorted(c["id"] for c in answer["added"]) == [
        "tst-listing",
        "tst-listing-amends",
        "tst-new",
        "tst-parent",
        "tst-parent-designated",
        "tst-sub",
        "tst-trader",
        "tst-trader-owns-sub",
    ]
    assert missing.status_code == 404 and missing.json()["suggestions"] == ["test_lines"]


class TakeoverSource(LinesSource):
    """A source that (wrongly) makes a record with the id of a curated organisation."""

    def _mapped(self, raw: dict[str, Any], origin: Origin) -> Mapped:
        mapped = super()._mapped(raw, origin)
        mapped.nodes.append(Node("org-nvidia", (Label.ORGANIZATION,), {Prop.NAME: "Not NVIDIA"}))
        return mapped


def test_a_download_cannot_take_over_a_record_of_the_curated_data(tmp_path: Path) -> None:
    ledger = open_ledger(tmp_path, [BUNDLED_DATA])
    try:
        with pytest.raises(DataError, match="this id already belongs to the curated data"):
            ingest(IngestRequest(TakeoverSource(), _first(tmp_path), snapshot=S1), ledger)
        assert ledger.datasets() == []
    finally:
        ledger.close()


def test_record_lines_and_digests_stay_as_stored() -> None:
    """Ledgers and Neo4j databases keep the digests of earlier snapshots: the text a record is kept
    as and its digest never change, or every record of the next snapshot would count as changed."""
    node = Node(
        "org-amber",
        ("Entity", "Organization"),
        {
            "name": "Amber Power Co",
            "aliases": ["Amber", "琥珀电力"],
            "first_seen": dt.date(2026, 1, 2),
            "dataset": "gem_coal",
        },
    )
    edge = Edge(
        "pp-1-owner-org-amber",
        Rel.OWNS,
        "org-amber",
        "pp-1",
        {"percentage": 60.0, "percentage_text": "60%", "valid_from": dt.date(2020, 5, 1), "dataset": "gem_coal"},
    )
    stamps = frozenset({"dataset", "first_seen"})
    assert dumps(node) == (
        '{"id":"org-amber","labels":["Entity","Organization"],"props":{"aliases":["Amber","琥珀电力"],'
        '"dataset":"gem_coal","first_seen":"2026-01-02","name":"Amber Power Co"}}'
    )
    assert dumps(edge) == (
        '{"id":"pp-1-owner-org-amber","type":"OWNS","source":"org-amber","target":"pp-1","props":'
        '{"dataset":"gem_coal","percentage":60.0,"percentage_text":"60%","valid_from":"2020-05-01"}}'
    )
    assert digest(node, stamps) == "57709132ff0b87dfba8f664d49334e8564252bf0"
    assert digest(edge, stamps) == "cbcf0dcc9b63f1884d6f8b600dc9620e2826ac89"
    dates = date_properties(load_schema())
    assert loads(dumps(node), dates) == Node(node.id, node.labels, node.props)
    assert loads(dumps(edge), dates) == Edge(edge.id, edge.type, edge.source, edge.target, edge.props)
