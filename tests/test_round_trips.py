"""Round trips per answer on Neo4j, counted by the store itself (every read statement goes through
`Neo4jStore.run`, which counts it): routes in one statement after name resolution, the other
answers in at most three; and the one-statement answers equal the embedded ones on a generated graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from itertools import pairwise
from typing import Any

import networkx as nx
import pytest

from graph import neo4j_read
from graph.memory import MemoryStore
from graph.neo4j_read import Parts, statement
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders.synthetic import generate
from ontology.records import Dataset, Edge, Node
from queries import prefetch
from queries.answers import RoutesAnswer
from queries.chokepoints import betweenness, chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.overlay import parse_overlay
from queries.policies import screen_party
from queries.resolve import resolve_chips, resolve_place
from queries.routes import Route, find_routes
from queries.views import Viewer
from queries.whatif import whatif

D = dt.date(2026, 11, 28)
OVERLAY = {"affiliates": False, "remove_designations": ["scn-redsand"]}


def routes(store: GraphStore, chip: str, region: str) -> RoutesAnswer:
    return Viewer(store).routes_answer(find_routes(store, chip, region))


def sent(store: Neo4jStore, answer: Callable[[], Any]) -> tuple[int, Any]:
    """How many statements the answer sent, and the answer."""
    before = store.statements
    result = answer()
    return store.statements - before, result


@pytest.mark.neo4j
def test_the_counter_counts_each_statement_sent(neo4j_store: Neo4jStore) -> None:
    assert sent(neo4j_store, lambda: neo4j_store.run("RETURN 1 AS one"))[0] == 1
    assert sent(neo4j_store, lambda: neo4j_store.node("place-cn-xj"))[0] == 1
    assert sent(neo4j_store, lambda: neo4j_store.nodes_by_id(["place-cn-xj", "place-cn"]))[0] == 1


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("chip", "region", "options"),
    [
        ("H100", "Xinjiang", {}),
        ("H200", "place-cn", {"max_hops": 3}),
        ("A100", "Hami", {"as_of": dt.date(2024, 6, 1)}),
        ("H100", "Xinjiang", {"screen": True}),
        ("H20", "Xinjiang", {"screen": True, "time_respecting_only": True}),
    ],
)
def test_routes_take_one_statement_after_name_resolution(
    store: MemoryStore, neo4j_store: Neo4jStore, chip: str, region: str, options: dict[str, Any]
) -> None:
    options = {"as_of": D, **options}
    resolution, _ = sent(neo4j_store, lambda: (resolve_chips(neo4j_store, chip), resolve_place(neo4j_store, region)))
    count, answer = sent(
        neo4j_store, lambda: Viewer(neo4j_store).routes_answer(find_routes(neo4j_store, chip, region, **options))
    )
    assert resolution == 2
    assert count - resolution == 1
    assert answer.routes  # a real answer, not an empty one
    assert answer == Viewer(store).routes_answer(find_routes(store, chip, region, **options))


@pytest.mark.neo4j
def test_the_other_answers_take_at_most_three_statements(store: MemoryStore, neo4j_store: Neo4jStore) -> None:
    overlay = parse_overlay(OVERLAY)
    answers: dict[str, Callable[[Any], Any]] = {
        "screening": lambda s: screen_party(s, "scn-jadeport", dt.date(2024, 7, 1)),
        "exposure": lambda s: exposure_view(Viewer(s), exposure(s, "Xinjiang", as_of=D)),
        "what-if": lambda s: whatif(s, overlay, "Xinjiang", D),
        "chokepoints": lambda s: chokepoints(s, "Xinjiang", as_of=D),
    }
    counts = {}
    for name, answer in answers.items():
        counts[name], on_neo4j = sent(neo4j_store, partial(answer, neo4j_store))
        assert on_neo4j == answer(store), name
    # exposure's third: the plants within 50 km of the Xinjiang sites no typed capacity or POWERED_BY
    # plant speaks for, asked of the whole graph (the answer's sub-graph holds only its routes' plants)
    assert counts == {"screening": 2, "exposure": 3, "what-if": 2, "chokepoints": 2}


@pytest.mark.neo4j
def test_per_call_reads_send_many_more_statements(neo4j_store: Neo4jStore) -> None:
    """The path the one-statement fetch replaced, still there for bench/answers.py to compare with."""
    with prefetch.per_call_reads():
        count, _ = sent(neo4j_store, lambda: chokepoints(neo4j_store, "Xinjiang", as_of=D))
    assert count > 10


def test_betweenness_runs_on_the_routes_own_edges() -> None:
    """a→b→c→d and a→b→e→f: b lies on 4 of the 20 ordered pairs' shortest paths, c and e on 2 each."""
    chip = Node("chip-x", ("ChipModel",), {})

    def route(*hops: str) -> Route:
        return Route(chip, tuple(Edge(f"{s}|{t}", "SUPPLIES", s, t, {}) for s, t in pairwise(hops)), None)

    assert betweenness([route("a", "b", "c", "d"), route("a", "b", "e", "f")]) == {
        "a": 0.0,
        "b": 0.2,
        "c": 0.1,
        "d": 0.0,
        "e": 0.1,
        "f": 0.0,
    }
    assert betweenness([route("a", "b")]) == {}  # two nodes: nothing lies between


def test_betweenness_is_networkx_betweenness_of_the_simple_digraph() -> None:
    """Two records of one supplier pair count as one edge, cycles and all, as networkx counts them."""
    chip = Node("chip-x", ("ChipModel",), {})
    hops = [("a", "b"), ("b", "c"), ("c", "d"), ("b", "e"), ("e", "c"), ("c", "b"), ("d", "f"), ("e", "f")]
    routes = [Route(chip, (Edge(f"{s}|{t}|{n}", "SUPPLIES", s, t, {}),), None) for n in range(2) for s, t in hops]
    expected = nx.betweenness_centrality(nx.DiGraph(hops), normalized=True)
    found = betweenness(routes)
    assert found.keys() == expected.keys()
    assert all(found[n] == pytest.approx(expected[n], abs=1e-12) for n in expected)
    assert found["b"] > found["e"] > 0


def test_the_statement_bounds_its_path_search() -> None:
    text = statement(Parts(region_id="place-cn-xj", chip_ids=("chip-a",), max_hops=4, as_of=D))
    assert "{1,4}" in text and "{1,20}" not in text
    assert "chip_id IN s.chips" in text  # pruned by chip inside the quantified pattern, not after it
    assert statement(Parts(region_id="r", max_hops=99)).count("{1,20}") == 2  # from the origins or from the sites


@pytest.fixture(scope="module")
def generated(neo4j_settings: Neo4jSettings, bundled: Dataset) -> Iterator[tuple[MemoryStore, Neo4jStore]]:
    """A generated supply chain beside the bundled data, whose rules restrict the generated chip models."""
    synthetic = generate(3000, seed=5)
    data = Dataset(nodes={**bundled.nodes, **synthetic.nodes}, edges={**bundled.edges, **synthetic.edges})
    memory = MemoryStore()
    memory.load(data)
    neo4j = Neo4jStore.connect(neo4j_settings)
    neo4j.clear()
    neo4j.load(data)
    yield memory, neo4j
    neo4j.clear()
    neo4j.close()


@pytest.mark.neo4j
@pytest.mark.parametrize("region", ["syn-place-p0", "syn-place-p1"])
def test_generated_answers_agree_in_few_statements(generated: tuple[MemoryStore, Neo4jStore], region: str) -> None:
    memory, neo4j = generated
    for chip in ("syn-chip-0", "syn-chip-3"):
        count, answer = sent(neo4j, partial(routes, neo4j, chip, region))
        assert count == 3  # two name look-ups and the answer
        assert answer == routes(memory, chip, region)
    count, ranked = sent(neo4j, lambda: chokepoints(neo4j, region))
    assert count == 2  # the region's name and its sub-graph
    assert ranked == chokepoints(memory, region)
    assert ranked.licence_routes and ranked.chokepoints


@pytest.mark.neo4j
@pytest.mark.parametrize("share", [0.0, 1.0])
def test_the_search_gives_the_same_routes_from_either_end(
    generated: tuple[MemoryStore, Neo4jStore], share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the origins forwards (share 0) or from the region's sites backwards (share 1), whatever
    the region's size: the routes are those the embedded search finds."""
    memory, neo4j = generated
    monkeypatch.setattr(neo4j_read, "BACKWARD_SHARE", share)
    found = {}
    for region in ("syn-place-p1", "syn-place-cn"):
        for chip in ("syn-chip-1", "syn-chip-4"):
            answer = routes(neo4j, chip, region)
            assert answer == routes(memory, chip, region)
            found[chip, region] = len(answer.routes)
    assert all(found.values()), found
