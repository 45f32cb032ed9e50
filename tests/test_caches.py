"""Work kept once per data version on the embedded store (region sites, chip origins, parsed rules,
countries, adjacency) is dropped by every write: the next request sees the write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import sys
import threading

import pytest
from fastapi.testclient import TestClient

from api.http import collector
from api.http.app import create_app
from api.http.settings import ApiSettings
from graph.memory import MEMO_LIMIT, MemoryStore
from loaders import BUNDLED_JUDGEMENTS
from ontology.records import Dataset, Edge, Node
from ontology.vocab import Label, Prop, Rel
from queries import named
from queries.places import countries_of
from queries.policies import Policies
from queries.routes import find_routes
from queries.same_as import apply_resolution
from queries.search import TABLE_KEY
from tests.helpers import client_for

DAY = dt.date(2026, 1, 1)
ROUTES = {"chip": "H100", "region": "Xinjiang", "as_of": DAY.isoformat(), "limit": 1000}


@pytest.fixture
def fresh(bundled: Dataset) -> MemoryStore:
    """The bundled data in a store of the test's own (the tests write to it)."""
    store = MemoryStore()
    store.load(bundled)
    return store


def hops(client: TestClient) -> set[tuple[str, str]]:
    response = client.get("/v1/routes", params=ROUTES)
    assert response.status_code == 200
    return {(h["from"]["id"], h["to"]["id"]) for r in response.json()["routes"] for h in r["hops"]}


def test_every_write_bumps_the_version(fresh: MemoryStore, bundled: Dataset) -> None:
    seen = [fresh.version]
    fresh.load(Dataset())
    seen.append(fresh.version)
    some = next(e for e in bundled.edges.values() if e.type == Rel.SUPPLIES)
    fresh.delete_edges(Rel.SUPPLIES, [some.id])
    seen.append(fresh.version)
    assert apply_resolution(fresh, [BUNDLED_JUDGEMENTS]).edges > 0
    seen.append(fresh.version)
    fresh.clear()
    seen.append(fresh.version)
    assert seen == sorted(set(seen))  # strictly increasing


def test_a_deleted_supply_edge_is_gone_from_the_next_routes_answer(fresh: MemoryStore) -> None:
    with client_for(fresh) as client:
        before = hops(client)
        assert before, "the bundled data has H100 routes into Xinjiang"
        first = find_routes(fresh, "H100", "Xinjiang", as_of=DAY).routes[0].edges[0]
        assert (first.source, first.target) in before
        assert fresh.delete_edges(Rel.SUPPLIES, [first.id]) == 1
        assert (first.source, first.target) not in hops(client)
        fresh.load(Dataset(edges={first.id: first}))
        assert hops(client) == before


def test_a_new_site_in_the_region_is_reached_by_the_next_request(fresh: MemoryStore) -> None:
    route = find_routes(fresh, "H100", "Xinjiang", as_of=DAY).routes[0]
    last = route.edges[-1]
    place = fresh.edges(Rel.LOCATED_IN, source=last.target)[0].target
    site = Node("dc-cache-test", (Label.ENTITY, Label.DATA_CENTER), {Prop.NAME: "Cache Test DC"})
    with client_for(fresh) as client:
        assert (last.source, site.id) not in hops(client)
        located = Edge("cache-test-located", Rel.LOCATED_IN, site.id, place, {})
        supplies = dataclasses.replace(last, id="cache-test-supplies", target=site.id)
        fresh.load(Dataset({site.id: site}, {located.id: located, supplies.id: supplies}))
        assert (last.source, site.id) in hops(client)


def test_rules_are_parsed_once_per_version_and_again_after_a_write(fresh: MemoryStore) -> None:
    first = Policies.load(fresh)
    assert Policies.load(fresh) is first
    rule = fresh.node(first.rules[0].id)
    assert rule is not None
    renamed = Node(rule.id, rule.labels, {**rule.props, Prop.NAME: "Renamed for the cache test"})
    fresh.load(Dataset({rule.id: renamed}))
    again = Policies.load(fresh)
    assert again is not first
    assert {r.name for r in again.rules if r.id == rule.id} == {"Renamed for the cache test"}


def test_a_value_computed_while_a_write_ran_is_not_kept() -> None:
    store = MemoryStore()

    def computed_across_a_write() -> str:
        store.load(Dataset())
        return "stale"

    assert store.memo("key", computed_across_a_write) == "stale"
    assert store.memo("key", lambda: "fresh") == "fresh"
    assert store.memo("key", lambda: "recomputed") == "fresh"


def test_the_memo_stays_bounded() -> None:
    store = MemoryStore()
    for i in range(MEMO_LIMIT + 10):
        store.memo(("key", i), int)
    assert len(store._memo) <= MEMO_LIMIT


def test_a_relationship_reloaded_with_other_ends_leaves_its_old_ends() -> None:
    store = MemoryStore()
    nodes = {n: Node(n, (Label.ENTITY, Label.ORGANIZATION), {}) for n in ("a", "b", "c")}
    store.load(Dataset(nodes, {"e": Edge("e", Rel.SUPPLIES, "a", "b", {})}))
    store.load(Dataset(edges={"e": Edge("e", Rel.SUPPLIES, "a", "c", {})}))
    assert [e.target for e in store.edges(Rel.SUPPLIES, source="a")] == ["c"]
    assert store.edges(Rel.SUPPLIES, target="b") == []
    assert [e.id for e in store.all_edges_of("c")] == ["e"]


def test_adjacency_answers_in_id_order_after_loads_in_any_order() -> None:
    store = MemoryStore()
    nodes = {n: Node(n, (Label.ENTITY, Label.ORGANIZATION), {}) for n in ("a", "b")}
    store.load(Dataset(nodes, {"z": Edge("z", Rel.SUPPLIES, "a", "b", {})}))
    assert [e.id for e in store.edges(Rel.SUPPLIES, source="a")] == ["z"]
    store.load(Dataset(edges={"m": Edge("m", Rel.SUPPLIES, "a", "b", {})}))
    store.load(Dataset(edges={"b": Edge("b", Rel.OWNS, "a", "b", {})}))
    assert [e.id for e in store.out_edges("a")] == ["b", "m", "z"]
    assert [e.id for e in store.edges(Rel.SUPPLIES, target="b")] == ["m", "z"]


def test_a_consuming_load_stores_the_same_and_frees_each_record(bundled: Dataset) -> None:
    """`chiptrail serve` loads so: each record leaves the dataset as it is stored, and nothing of it
    is kept but what the store made of it (its own copy of the properties)."""
    whole = MemoryStore()
    whole.load(bundled)
    taken = Dataset(
        {i: Node(n.id, n.labels, dict(n.props)) for i, n in bundled.nodes.items()},
        {i: dataclasses.replace(e, props=dict(e.props)) for i, e in bundled.edges.items()},
    )
    props = taken.nodes["chip-nvidia-h100-sxm"].props
    assert sys.getrefcount(props) == 3  # its record's, this name's and the call's
    consumed = MemoryStore()
    report = consumed.load(taken, consume=True)
    assert (report.nodes, report.edges) == (len(bundled.nodes), len(bundled.edges))
    assert taken.nodes == {} and taken.edges == {}
    assert consumed.all_nodes() == whole.all_nodes() and consumed.all_edges() == whole.all_edges()
    assert sys.getrefcount(props) == 2  # its record is gone, and the store keeps a copy of its own


def test_a_value_being_computed_is_waited_for_not_computed_beside_it() -> None:
    store, calls, began, release = MemoryStore(), [], threading.Event(), threading.Event()

    def slow() -> int:
        calls.append(threading.current_thread().name)
        began.set()
        assert release.wait(10)
        return 42

    found: list[int] = []
    first = threading.Thread(target=lambda: found.append(store.memo("table", slow)), name="first")
    first.start()
    assert began.wait(10)
    second = threading.Thread(target=lambda: found.append(store.memo("table", slow)), name="second")
    second.start()
    second.join(0.2)
    assert second.is_alive() and found == []  # waiting for the first, not computing
    release.set()
    first.join(10)
    second.join(10)
    assert found == [42, 42] and calls == ["first"]


@pytest.mark.parametrize("prepare", [True, False])
def test_the_api_builds_the_table_of_names_at_start(prepare: bool) -> None:
    """`chiptrail serve` (an app that opens its own store) builds the typo search's table in the
    background as it starts, so the first search does not; a store passed in is left as it is."""
    with TestClient(create_app(ApiSettings(backend="memory", prepare_search=prepare))) as client:
        for thread in threading.enumerate():
            if thread.name == "prepare-search":
                thread.join(60)
        store = client.app.state.store  # type: ignore[attr-defined]

        def unbuilt() -> object:
            raise LookupError("not built")  # not kept: the memo keeps values only

        try:
            built = store.memo(TABLE_KEY, unbuilt) is not None
        except LookupError:
            built = False
        assert built == prepare
        assert client.get("/v1/search", params={"q": "Nvidai"}).json()[0]["id"] == "org-nvidia"


def test_the_api_keeps_the_graph_it_opens_out_of_full_collections() -> None:
    """An app that opens its own store freezes what it holds once loaded, so a full collection
    never walks the graph (about a second a pause at 10^6 relationships); it unfreezes on close."""
    before = gc.get_freeze_count()
    with TestClient(create_app(ApiSettings(backend="memory", prepare_search=False))) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        node = store.node("org-nvidia")
        assert gc.is_tracked(node.props) and gc.get_freeze_count() > before + len(store.all_nodes())
        gc.collect()
        assert not any(held is node.props for held in gc.get_objects())  # in no generation a collection walks
        assert client.get("/v1/entities/org-nvidia").status_code == 200
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("slow_s", [0.0, 3600.0])
def test_what_outlives_a_slow_full_collection_is_frozen_too(slow_s: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """Values built by the first requests (a region's sites, a chip model's origins) live as long as
    the graph: after a full collection slower than the threshold, what survived it is frozen too."""
    monkeypatch.setattr(collector, "SLOW_FULL_S", slow_s)
    with TestClient(create_app(ApiSettings(backend="memory", prepare_search=False))):
        built_later = [[n] for n in range(1000)]
        gc.collect()
        walked = any(held is built_later for held in gc.get_objects())
        assert walked == (slow_s > 0)
    assert not any(isinstance(watcher, collector.FreezeAfterSlowFull) for watcher in gc.callbacks)


def test_a_sites_country_is_read_once_per_version_and_again_after_a_write(
    fresh: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []
    run = named.run

    def counted(store: MemoryStore, name: str, **params: object) -> list[dict[str, object]]:
        if name == "countries":
            asked.append(list(params["node_ids"]))  # type: ignore[call-overload]
        return run(store, name, **params)

    monkeypatch.setattr(named, "run", counted)
    site = find_routes(fresh, "H100", "Xinjiang", as_of=DAY).routes[0].edges[-1].target
    located = fresh.edges(Rel.LOCATED_IN, source=site)[0]
    assert any(site in ids for ids in asked)  # the routes answer asked for the countries of its sites
    asked.clear()
    assert countries_of(fresh, {site}) == {site: "CN"}
    assert countries_of(fresh, {site, located.target}) == {site: "CN", located.target: "CN"}
    assert asked == [[located.target]]  # only what this version had not been asked
    assert fresh.delete_edges(Rel.LOCATED_IN, [located.id]) == 1
    assert countries_of(fresh, {site}) == {site: None}  # the write is seen
