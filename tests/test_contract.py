"""Both backends agree: every named query and every answer, on the bundled data.

The embedded store runs the in-process twins; Neo4j runs the `.cypher` files. Both must give the
same rows (order aside) and the same routes, leads and restriction decisions (order included).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph import neo4j_store as neo4j_store_module
from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore, native
from graph.store import GraphStore
from ontology.errors import BackendUnavailable
from ontology.vocab import Label
from queries.chokepoints import chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.lookup import all_decisions
from queries.named import registry, run
from queries.overlay import parse_overlay
from queries.policies import screen_party
from queries.power import power_near
from queries.power_view import power_view
from queries.routes import find_routes
from queries.views import Viewer, restriction_view
from queries.whatif import whatif
from tests.helpers import checksum, normalised, transaction_memory

D = dt.date(2026, 1, 1)
CASES: dict[str, list[dict[str, Any]]] = {
    "supply_paths": [
        {"chip_id": "chip-nvidia-h100-sxm", "region_id": "place-cn-xj", "max_hops": 6, "as_of": D},
        {"chip_id": "chip-nvidia-h100-sxm", "region_id": "place-cn-xj", "max_hops": 3, "as_of": None},
        {"chip_id": "chip-nvidia-a100", "region_id": "place-cn-xj-hami", "max_hops": 6, "as_of": dt.date(2024, 6, 1)},
        {"chip_id": "chip-nvidia-h200", "region_id": "place-cn", "max_hops": 2, "as_of": D},
        {"chip_id": "chip-nvidia-h20", "region_id": "place-cn-qh", "max_hops": 6, "as_of": D},
    ],
    "places_within": [{"place_id": "place-cn"}, {"place_id": "place-cn-xj-hami"}, {"place_id": "nowhere"}],
    "sites_within": [{"region_id": "place-cn-xj"}, {"region_id": "place-cn-qh"}, {"region_id": "place-us"}],
    "deployments": [
        {"chip_id": "chip-nvidia-h100-sxm", "region_id": "place-cn-xj", "as_of": D},
        {"chip_id": "chip-nvidia-h200", "region_id": "place-cn-qh", "as_of": None},
    ],
    "rules": [{}],
    "designations": [{"org_ids": None}, {"org_ids": ["org-sugon", "scn-redsand", "org-nvidia"]}, {"org_ids": []}],
    "countries": [
        {"node_ids": ["dc-nyocor-xinjiang", "agg-bloomberg-39-projects", "scn-dc-yiwu-east", "place-cn-xj-hami"]},
        {"node_ids": ["place-cn", "place-hk", "scn-redsand", "org-sugon", "chip-nvidia-h20", "no-such-node"]},
        {"node_ids": []},
    ],
    "region_chips": [
        {"region_id": "place-cn-xj", "as_of": D},
        {"region_id": "place-cn-xj", "as_of": dt.date(2024, 3, 1)},
        {"region_id": "place-cn", "as_of": None},
        {"region_id": "place-us", "as_of": D},
    ],
    "owners": [
        {"org_id": "scn-jadeport", "as_of": D},
        {"org_id": "scn-copperline", "as_of": None},
        {"org_id": "scn-graywind", "as_of": dt.date(2023, 1, 1)},
        {"org_id": "org-sugon", "as_of": D},
    ],
    "entity": [{"term": "Nyocor Co."}, {"term": "chip-nvidia-h20"}, {"term": "新疆"}, {"term": "no such thing"}],
    "neighbours": [{"id": "dc-nyocor-xinjiang"}, {"id": "place-cn-xj"}],
    "subgraph": [
        {"seeds": ["dc-nyocor-xinjiang"], "depth": 1, "types": [], "as_of": None},
        {"seeds": ["dc-nyocor-xinjiang", "scn-dc-yiwu-east"], "depth": 2, "types": [], "as_of": D},
        {"seeds": ["scn-northgate-systems"], "depth": 3, "types": ["SUPPLIES"], "as_of": dt.date(2024, 6, 1)},
        {"seeds": ["place-cn-xj"], "depth": 0, "types": [], "as_of": None},
        {"seeds": ["no such node"], "depth": 2, "types": ["LOCATED_IN", "PART_OF"], "as_of": None},
    ],
    "power_near": [
        {"region_id": "place-cn-xj", "site_id": "", "radius_m": 50500.0},
        {"region_id": "", "site_id": "dc-yiwu-windey", "radius_m": 2000000.0},
        {"region_id": "place-us", "site_id": "", "radius_m": 50500.0},
    ],
    # The bundled sites and plants have no coordinates of their own (tests/test_power.py places some).
    "near_point": [
        {"lat": 42.8, "lon": 93.5, "radius_m": 50500.0},
        {"lat": -89.9, "lon": 179.9, "radius_m": 2020000.0},
    ],
    # The bundled data holds no ingested dataset; tests/test_ingest*.py compare both backends on ingested ones.
    "dataset_changes": [{"dataset": "trade_gov_csl", "since": None}, {"dataset": "trade_gov_csl", "since": D}],
}


def test_every_named_query_has_contract_cases() -> None:
    assert set(CASES) == set(registry())


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "params"), [(n, p) for n, cases in CASES.items() for p in cases])
def test_named_queries_agree(store: MemoryStore, neo4j_store: Neo4jStore, name: str, params: dict[str, Any]) -> None:
    expected = run(store, name, **params)
    assert normalised(run(neo4j_store, name, **params)) == normalised(expected)


def test_named_queries_return_real_rows(store: MemoryStore) -> None:
    """The cases above are not vacuous: most return rows."""
    non_empty = [n for n, cases in CASES.items() for p in cases if run(store, n, **p)]
    assert len(non_empty) >= 15


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(registry()))
def test_every_named_query_compiles_on_neo4j(neo4j_store: Neo4jStore, name: str) -> None:
    query = registry()[name]
    params = {p.name: None for p in query.parameters}
    assert neo4j_store.run("EXPLAIN " + query.text, **params) == []


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("chip", "region", "options"),
    [
        ("H100", "Xinjiang", {}),
        ("H100", "Xinjiang", {"time_respecting_only": True}),
        ("H200", "place-cn", {"max_hops": 3}),
        ("A100", "Hami", {"as_of": dt.date(2024, 6, 1)}),
        ("H20", "CN-XJ", {"as_of": dt.date(2024, 6, 1)}),
        ("B200", "Xinjiang", {}),
    ],
)
def test_routes_answers_agree(
    store: MemoryStore, neo4j_store: Neo4jStore, chip: str, region: str, options: dict[str, Any]
) -> None:
    options = {"as_of": D, **options}
    memory = Viewer(store).routes_answer(find_routes(store, chip, region, **options))
    neo4j = Viewer(neo4j_store).routes_answer(find_routes(neo4j_store, chip, region, **options))
    assert neo4j == memory


@pytest.mark.neo4j
def test_restriction_decisions_agree(store: MemoryStore, neo4j_store: Neo4jStore) -> None:
    for day in (dt.date(2022, 10, 7), dt.date(2023, 12, 1), dt.date(2025, 5, 1), dt.date(2026, 2, 1)):
        memory = [restriction_view(d) for d in all_decisions(store, "CN", day)]
        assert [restriction_view(d) for d in all_decisions(neo4j_store, "CN", day)] == memory


@pytest.mark.neo4j
def test_store_reads_agree(store: MemoryStore, neo4j_store: Neo4jStore) -> None:
    assert neo4j_store.counts() == store.counts()
    assert neo4j_store.nodes("ChipModel") == store.nodes("ChipModel")
    assert neo4j_store.node("agg-bloomberg-39-projects") == store.node("agg-bloomberg-39-projects")
    assert neo4j_store.node("nope") is None
    assert neo4j_store.edges("SUPPLIES", source="scn-redsand") == store.edges("SUPPLIES", source="scn-redsand")
    assert neo4j_store.edges("PART_OF", target="place-cn-xj") == store.edges("PART_OF", target="place-cn-xj")


@pytest.mark.neo4j
def test_rows_are_what_the_driver_gives_made_plain(neo4j_store: Neo4jStore) -> None:
    """Rows are built without `record.data()`: nodes and paths returned whole, dates and lists come
    out as `record.data()` made plain gives them; a relationship as (start, type, end), its ends
    without derived properties too (`record.data()` leaves them in)."""
    query = (
        "MATCH p = (a:Entity {id: 'org-nvidia'})-[r:DESIGNS]->(b) WITH a, r, p, b ORDER BY b.id LIMIT 2 "
        "RETURN a, r, p, [a, b] AS both, {at: date('2025-01-13'), n: 1.5} AS m, a.name AS name"
    )
    by_driver, _, _ = neo4j_store.driver.execute_query(query, database_=neo4j_store.settings.database)
    rows = neo4j_store.run(query)
    expected = [native(record.data()) for record in by_driver]
    assert len(rows) == 2
    assert [{k: v for k, v in r.items() if k != "r"} for r in rows] == [
        {k: v for k, v in r.items() if k != "r"} for r in expected
    ]
    for row in rows:
        assert row["r"] == (row["a"], "DESIGNS", row["p"][2]) and row["p"][:2] == [row["a"], "DESIGNS"]
        assert row["both"] == [row["a"], row["p"][2]] and "name_keys" not in row["a"]
    assert rows[0]["m"] == {"at": dt.date(2025, 1, 13), "n": 1.5} and rows[0]["a"]["name"] == rows[0]["name"]


@pytest.mark.neo4j
def test_a_few_fields_of_every_node_agree(store: MemoryStore, neo4j_store: Neo4jStore) -> None:
    keys = ("name_zh", "name", "country")
    found = neo4j_store.nodes("Organization", keys=keys)
    assert found == store.nodes("Organization", keys=keys)
    whole = {n.id: n for n in store.nodes("Organization")}
    assert [n.id for n in found] == sorted(whole)
    for node in found:  # only the keys asked for, and only those the node holds
        assert node.labels == whole[node.id].labels
        assert node.props == {k: v for k, v in whole[node.id].props.items() if k in keys}
    assert any("name_zh" not in n.props for n in found) and any("name_zh" in n.props for n in found)


@pytest.mark.neo4j
@pytest.mark.parametrize("label", [Label.ORGANIZATION, Label.ENTITY])
def test_a_few_fields_read_a_page_at_a_time_agree(
    store: MemoryStore, neo4j_store: Neo4jStore, label: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neo4j_store_module, "PAGE", 7)
    before = neo4j_store.statements
    found = neo4j_store.nodes(label, keys=("name",))
    assert found == store.nodes(label, keys=("name",))
    assert len(found) > 3 * 7 and neo4j_store.statements - before == len(found) // 7 + 1


@pytest.mark.neo4j
def test_a_read_past_the_servers_memory_says_to_raise_the_heap(neo4j_store: Neo4jStore) -> None:
    limit = transaction_memory(neo4j_store)
    with pytest.raises(BackendUnavailable, match=r"ran out of memory .*threshold reached\. .*--heap 2g"):
        neo4j_store.run("UNWIND range(1, $n) AS i RETURN size(collect(i)) AS n", n=int(limit // 4))
    assert neo4j_store.run("RETURN 1 AS one") == [{"one": 1}]  # and answers the next read


@pytest.mark.neo4j
def test_loading_twice_converges(neo4j_store: Neo4jStore, bundled: Any) -> None:
    before, digest = neo4j_store.counts(), checksum(neo4j_store)
    neo4j_store.load(bundled)
    assert neo4j_store.counts() == before
    assert checksum(neo4j_store) == digest


def test_any_store_fixture_runs_both(any_store: GraphStore) -> None:
    assert any_store.counts()["ChipModel"] == 15


POLICY_DAYS = (dt.date(2024, 3, 1), dt.date(2024, 7, 1), dt.date(2026, 1, 1))


@pytest.mark.neo4j
@pytest.mark.parametrize("day", POLICY_DAYS)
def test_screening_agrees(store: MemoryStore, neo4j_store: Neo4jStore, day: dt.date) -> None:
    for party in ("scn-redsand", "scn-jadeport", "scn-graywind", "scn-copperline", "org-sugon", "Nyocor"):
        assert screen_party(neo4j_store, party, day) == screen_party(store, party, day), party


@pytest.mark.neo4j
@pytest.mark.parametrize("chip", ["H100", "H20", "H200"])
def test_screened_routes_agree(store: MemoryStore, neo4j_store: Neo4jStore, chip: str) -> None:
    memory = Viewer(store).routes_answer(find_routes(store, chip, "Xinjiang", as_of=D, screen=True))
    assert all(r.screening is not None for r in memory.routes)
    assert Viewer(neo4j_store).routes_answer(find_routes(neo4j_store, chip, "Xinjiang", as_of=D, screen=True)) == memory


@pytest.mark.neo4j
@pytest.mark.parametrize("day", POLICY_DAYS)
def test_exposure_and_chokepoints_agree(store: MemoryStore, neo4j_store: Neo4jStore, day: dt.date) -> None:
    assert exposure_view(Viewer(neo4j_store), exposure(neo4j_store, "Xinjiang", as_of=day)) == exposure_view(
        Viewer(store), exposure(store, "Xinjiang", as_of=day)
    )
    assert chokepoints(neo4j_store, "Xinjiang", as_of=day) == chokepoints(store, "Xinjiang", as_of=day)


@pytest.mark.neo4j
@pytest.mark.parametrize(("place", "km"), [("Xinjiang", 50.0), ("Hami", 500.0), ("CN", 2000.0)])
def test_power_answers_agree(store: MemoryStore, neo4j_store: Neo4jStore, place: str, km: float) -> None:
    memory = power_view(Viewer(store), power_near(store, region=place, within_km=km, as_of=D))
    assert memory.sites
    assert power_view(Viewer(neo4j_store), power_near(neo4j_store, region=place, within_km=km, as_of=D)) == memory


@pytest.mark.neo4j
def test_whatif_agrees(store: MemoryStore, neo4j_store: Neo4jStore) -> None:
    overlay = parse_overlay(
        {
            "affiliates": False,
            "remove_designations": ["scn-redsand"],
            "rules": [{"id": "rule-2023-11-17-advanced-computing", "criteria": ["3A090.a: tpp >= 2000"]}],
        }
    )
    memory = whatif(store, overlay, "Xinjiang", D)
    assert memory.changed is True
    assert whatif(neo4j_store, overlay, "Xinjiang", D) == memory
