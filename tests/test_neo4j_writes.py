"""Writes that cannot degrade: every batch statement's plan, profiled on a generated graph.

The bound per written row (PER_ROW): a node row costs a seek on the unique id index (≤ 2 hits),
one hit per label added and per property set (the synthetic nodes carry ≤ 8 properties and ≤ 3
labels) and its index entries; a relationship row costs a seek on the type's id index, two seeks on
the ends' id indexes (≤ 2 hits each) and one hit per property (≤ 8). Anything within 32 hits per
row is such a plan; a plan that scans a label or an index costs hits in proportion to the graph
(the degraded MERGE cost 35,000 per row at 10^5), which the growth check below also catches.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest

from graph.neo4j_ingest import Neo4jTarget
from graph.neo4j_store import Neo4jStore
from graph.neo4j_write import BatchWriter, Job, Profile, Statements, plan_cost
from graph.settings import Neo4jSettings
from loaders.synthetic import generate
from ontology.errors import BackendUnavailable
from ontology.records import Dataset, Edge, default_edge_id
from ontology.vocab import Label, Prop, Rel
from tests.helpers import transaction_memory

pytestmark = pytest.mark.neo4j

PER_ROW = 32
SCANS = ("AllNodesScan", "NodeByLabelScan", "NodeIndexScan", "RelationshipTypeScan", "RelationshipIndexScan")
SEEKS = {"update": ("IndexSeek",), "create": ("Create",)}


@pytest.fixture
def writer(neo4j_settings: Neo4jSettings) -> Iterator[Neo4jStore]:
    store = Neo4jStore.connect(neo4j_settings.model_copy(update={"batch_size": 1000}))
    store.clear()
    yield store
    store.clear()
    store.close()


def profiled(store: Neo4jStore, data: Dataset) -> list[Profile]:
    store.write_profiles = []
    store.load(data)
    profiles, store.write_profiles = store.write_profiles, None
    return profiles


def check(profiles: list[Profile], steps: set[str]) -> None:
    assert {(p.what, p.step) for p in profiles} >= {
        (what, step) for what in ("nodes", "relationships") for step in steps
    }
    for p in profiles:
        assert not any(op.endswith(SCANS) for op in p.operators), (p, "scans")
        if p.rows and p.step == "update":
            assert any("IndexSeek" in op for op in p.operators), p
        assert p.db_hits <= PER_ROW * max(p.rows, 1), (p, p.db_hits / max(p.rows, 1))


def per_row(profiles: list[Profile], what: str, step: str) -> list[float]:
    return [p.db_hits / p.rows for p in profiles if p.what == what and p.step == step and p.rows >= 500]


def test_first_load_and_reload_stay_within_a_bound_per_row(writer: Neo4jStore) -> None:
    data = generate(10_000)
    first = profiled(writer, data)
    check(first, {"update", "create"})
    # on a first load nothing is updated: every row is created
    assert sum(p.rows for p in first if p.step == "create") == len(data.nodes) + len(data.edges)
    # the last batches, written into a graph of 10,000 relationships, cost what the first did
    created = per_row(first, "relationships", "create")
    assert max(created[-3:]) <= 1.5 * max(created[:3]), created
    again = profiled(writer, data)
    check(again, {"update"})
    assert not [p for p in again if p.step == "create"], "a reload created records"
    assert sum(p.rows for p in again if p.step == "update") == len(data.nodes) + len(data.edges)
    counts = writer.counts()
    assert counts[Rel.SUPPLIES] == Counter(e.type for e in data.edges.values())[Rel.SUPPLIES]
    print(
        "\ndb hits per row: nodes created",
        max(per_row(first, "nodes", "create")),
        "relationships created",
        max(created),
        "nodes updated",
        max(per_row(again, "nodes", "update")),
        "relationships updated",
        max(per_row(again, "relationships", "update")),
    )


def test_parallel_relationship_sessions_write_every_row_once(neo4j_settings: Neo4jSettings) -> None:
    """Four sessions writing small batches of relationships that share hub nodes (deadlocks are retried)."""
    data = generate(4_000, seed=3)
    store = Neo4jStore.connect(neo4j_settings.model_copy(update={"batch_size": 200, "write_sessions": 4}))
    try:
        store.clear()
        store.load(data)
        store.load(data)
        expected = Counter(e.type for e in data.edges.values())
        assert {t: n for t, n in store.counts().items() if t in expected} == dict(expected)
        ids = store.run("MATCH ()-[r]->() WITH r.id AS id, count(*) AS n WHERE n > 1 RETURN count(*) AS dup")
        assert ids == [{"dup": 0}]
    finally:
        store.clear()
        store.close()


def test_a_relationship_whose_ends_change_is_moved_not_doubled(writer: Neo4jStore) -> None:
    data = generate(200)
    writer.load(data)
    chips = sorted(n for n in data.nodes if Label.CHIP_MODEL in data.nodes[n].labels)
    designs = next(e for e in data.edges.values() if e.type == Rel.DESIGNS)
    other = next(c for c in chips if c != designs.target)
    moved = Dataset()
    moved.edges[designs.id] = Edge(designs.id, Rel.DESIGNS, designs.source, other, dict(designs.props))
    writer.load(moved)
    found = writer.run("MATCH (a)-[r:DESIGNS {id: $id}]->(b) RETURN a.id AS a, b.id AS b", id=designs.id)
    assert found == [{"a": designs.source, "b": other}]
    assert designs.id == default_edge_id(designs.source, Rel.DESIGNS, designs.target)


ORDERING = {"Sort", "Top", "PartialSort", "PartialTop"}


def profile_page(store: Neo4jStore, query: str, **params: object) -> tuple[int, int, frozenset[str]]:
    """(records found, db hits, operators) of one page read under PROFILE."""
    with store.driver.session(database=store.settings.database) as session:
        result = session.run("PROFILE " + query, params)
        found = len(result.single(strict=True)["found"])
        hits, operators = plan_cost(result.consume().profile or {})
    return found, hits, operators


def test_paged_reads_seek_one_page_of_the_id_index(writer: Neo4jStore) -> None:
    """The reads that gather every record of a dataset or label a page at a time: each page reads
    an id index in order and stops after the page, never sorting the whole label."""
    data = generate(10_000)
    for records in (data.nodes, data.edges):
        for record in records.values():
            record.props[Prop.DATASET] = "synthetic"
    writer.load(data)
    reads = [read for _, read in Neo4jTarget(writer).live_reads()]
    reads.append(writer.projection(Label.ORGANIZATION, [Prop.NAME, Prop.COUNTRY]))
    checked = 0
    for read in reads:
        query = read.query()
        everything, all_hits, _ = profile_page(writer, query, after="", page=10**9, dataset="synthetic")
        if everything < 1000:
            continue
        found, hits, operators = profile_page(writer, query, after="", page=100, dataset="synthetic")
        assert found == 100
        # in the id index's order (a seek from $after, or a scan the limit stops), never sorted
        assert not operators & ORDERING, (read.match, operators)
        assert any("IndexSeekByRange" in op or op.endswith("IndexScan") for op in operators), (read.match, operators)
        assert 4 * hits <= all_hits, (read.match, hits, all_hits)  # it stops after the page
        checked += 1
    assert checked >= 3  # the entities, SUPPLIES and the organisations at least


def test_a_batch_past_the_servers_memory_fails_at_once_saying_so(writer: Neo4jStore) -> None:
    """The driver retries every transient error, and running out of memory is one; the writer stops
    at the first refusal (a retry of the same batch meets the same limit) and names the settings."""
    limit = int(transaction_memory(writer))
    hoard = "UNWIND $rows AS row UNWIND range(1, row.n) AS i WITH row, collect(i) AS all RETURN row.id AS id"
    job = Job(Statements(hoard, "RETURN 0 AS written", "rows"), lambda: [{"id": "x", "n": limit // 4}])
    s = writer.settings
    batches = BatchWriter(writer.driver, s.database, s.uri, batch_size=1000, retry_time=60.0)
    started = time.monotonic()
    with pytest.raises(BackendUnavailable, match=r"ran out of memory .*--heap 2g.*NEO4J_BATCH_SIZE, now 1000"):
        batches.write([job], None)
    assert time.monotonic() - started < 30  # not retried for the minute it may retry others
    assert writer.run("RETURN 1 AS one") == [{"one": 1}]
