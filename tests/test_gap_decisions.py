"""Every restriction decision reads the gap-filled figures of a chip model (curated first, then Epoch
AI's), on both backends: routes, exposure, chokepoints, what-if and the restrictions lookup.

The fixture `tests/fixtures/epoch/x1_route.yaml` (invented) gives the curated Example Accelerator
X1 a TPP of 4,000 and no die area, and a route carrying it into Xinjiang; the Epoch fixture row of
the same chip gives an invented die area of 500 mm². Without Epoch the density is unknown and the
October 2023 criteria cannot decide; with it the density is 8.0 and a licence is required.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders import BUNDLED_DATA, load_paths
from loaders.sources import Mapped, ReadOptions
from loaders.sources.epoch_hardware import EPOCH_HARDWARE
from ontology.records import Dataset, Node, Props
from ontology.vocab import Label, Prop
from queries.chokepoints import chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.gap_fill import deciding_chip
from queries.lookup import restrictions_for, restrictions_view
from queries.overlay import parse_overlay
from queries.routes import find_routes
from queries.views import Viewer
from queries.whatif import whatif
from tests.conftest import Loader
from tests.helpers import cli_json, cli_ok

FIXTURES = Path(__file__).parent / "fixtures" / "epoch"
ROUTE = FIXTURES / "x1_route.yaml"
HARDWARE = FIXTURES / "ml_hardware.csv"
X1 = "chip-example-x1"
D = dt.date(2025, 6, 1)
TRADERS = "test-org-example-traders"
# Without the October 2023 rule nothing controls the X1 (and the curated chips change too).
OVERLAY = {"name": "Without the October 2023 update", "remove_rules": ["rule-2023-11-17-advanced-computing"]}


def curated() -> Dataset:
    return load_paths([BUNDLED_DATA, ROUTE])


def with_epoch(base: Dataset) -> Dataset:
    """`base` and the Epoch fixture's chip records, as the ingest marks them (dataset, sources)."""
    rows = [r for r in EPOCH_HARDWARE.read(HARDWARE, ReadOptions()) if isinstance(r, Mapped)]
    stamp: Props = {Prop.DATASET: "epoch_ml_hardware", Prop.SOURCES: ["src-test-x1-route"], Prop.CONFIDENCE: "reported"}
    epoch = {n.id: Node(n.id, n.labels, {**n.props, **stamp}) for r in rows for n in r.nodes}
    return Dataset(nodes={**base.nodes, **epoch}, edges=dict(base.edges))


def in_memory(data: Dataset) -> MemoryStore:
    store = MemoryStore()
    store.load(data)
    return store


def answers(store: GraphStore) -> dict[str, Any]:
    """The answers that decide the X1, as their JSON."""
    viewer = Viewer(store)
    found = {
        "routes": viewer.routes_answer(find_routes(store, X1, "Xinjiang", as_of=D, screen=True)),
        "exposure": exposure_view(viewer, exposure(store, "Xinjiang", as_of=D)),
        "chokepoints": chokepoints(store, "Xinjiang", as_of=D),
        "whatif": whatif(store, parse_overlay(OVERLAY), "Xinjiang", D),
        "restrictions": restrictions_view(X1, restrictions_for(store, X1, "CN", D)),
    }
    return {k: v.model_dump(mode="json", by_alias=True) for k, v in found.items()}


def x1_route(found: dict[str, Any]) -> dict[str, Any]:
    (route,) = found["routes"]["routes"]
    assert [h["to"]["id"] for h in route["hops"]] == [TRADERS, "test-dc-example-hall"]
    restriction: dict[str, Any] = route["restriction"]
    return restriction


def x1_exposure(found: dict[str, Any]) -> bool:
    (row,) = [r for r in found["exposure"]["by_chip"] if r["chip"]["id"] == X1]
    assert row["chips"] == 100 and row["tpp"] == 400_000.0  # 100 chips × the curated TPP
    restricted: bool = row["restricted"]
    return restricted


def through(found: dict[str, Any]) -> list[str]:
    return [c["node"]["id"] for c in found["chokepoints"]["chokepoints"]]


def changed_chips(found: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {c["chip"]["id"]: (c["before"], c["after"]) for c in found["whatif"]["chips"]}


@pytest.mark.parametrize("backend", ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_a_route_is_decided_from_the_epoch_figure_the_curated_record_lacks(
    backend: str, load_on_backend: Loader
) -> None:
    base = curated()
    before = answers(load_on_backend(base))
    after = answers(load_on_backend(with_epoch(base)))

    was, now = x1_route(before), x1_route(after)
    assert (was["status"], was["restricted"]) == ("undetermined", False)
    assert was["metrics"] == {"tpp": 4000.0, "pd": None, "interconnect_gbps": None}
    assert (now["status"], now["restricted"]) == ("license_required", True)
    assert now["metrics"] == {"tpp": 4000.0, "pd": 8.0, "interconnect_gbps": None}  # curated TPP, Epoch die area
    assert [r["classification"] for r in now["rules"] if r["outcome"] == "met"] == ["3A090.a"]
    assert before["routes"]["routes"][0]["screening"]["verdict"] == "neither"
    assert after["routes"]["routes"][0]["screening"]["verdict"] == "item"
    # the route's decision is the lookup's decision
    assert {k: now[k] for k in ("status", "metrics", "rules")} == {
        k: after["restrictions"][k] for k in ("status", "metrics", "rules")
    }

    assert (x1_exposure(before), x1_exposure(after)) == (False, True)
    assert after["exposure"]["restricted"]["chips"] - before["exposure"]["restricted"]["chips"] == 100
    assert TRADERS not in through(before) and TRADERS in through(after)

    # what-if lists each chip model once: the Epoch record of a curated chip shares its decision
    assert changed_chips(before)[X1] == ("undetermined", "not_restricted")
    assert changed_chips(after)[X1] == ("license_required", "not_restricted")
    assert not any(c.startswith("epoch-hw-") for c in changed_chips(after))

    if backend == "neo4j":  # the one-statement sub-graph brings the tied records: the same answers
        assert before == answers(in_memory(base))
        assert after == answers(in_memory(with_epoch(base)))


def test_the_deciding_node_is_kept_per_data_version() -> None:
    store = in_memory(curated())
    (x1,) = store.nodes_by_id([X1]).values()
    assert Prop.DIE_AREA not in deciding_chip(store, x1).props
    assert deciding_chip(store, x1) is deciding_chip(store, x1)  # worked out once
    store.load(with_epoch(Dataset()))  # a write: the next decision sees the Epoch records
    filled = deciding_chip(store, x1)
    assert (filled.id, filled.props[Prop.TPP], filled.props[Prop.DIE_AREA]) == (X1, 4000, 500.0)
    (epoch,) = [n for n in store.nodes(Label.CHIP_MODEL) if n.props.get(Prop.DATASET) and "X1" in n.id.upper()]
    assert deciding_chip(store, epoch) is filled  # every record of the model decides as one
    alone = Node("chip-by-hand", (Label.CHIP_MODEL,), {Prop.TPP: 100.0})
    assert deciding_chip(store, alone) is alone


# --- through the command line: the real ingest, on both backends -----------------------------------

ROUTES = ("routes", "--chip", X1, "--region", "Xinjiang", "--as-of", D.isoformat(), "--screen")
INGEST = ("ingest", "epoch-hardware", HARDWARE, "--snapshot", "2026-11-01")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    data = os.pathsep.join(map(str, (BUNDLED_DATA, ROUTE)))
    return {**os.environ, "CHIPTRAIL_HOME": str(tmp_path / "home"), "CHIPTRAIL_DATA": data}


def route_status(env: dict[str, str], *backend: str) -> tuple[str, dict[str, Any]]:
    (route,) = cli_json(env, *ROUTES, *backend)["routes"]
    return route["restriction"]["status"], route["restriction"]["metrics"]


def test_ingesting_the_epoch_hardware_decides_the_route(env: dict[str, str]) -> None:
    assert route_status(env) == ("undetermined", {"tpp": 4000.0, "pd": None, "interconnect_gbps": None})
    cli_ok(env, *INGEST)
    assert route_status(env) == ("license_required", {"tpp": 4000.0, "pd": 8.0, "interconnect_gbps": None})


@pytest.mark.neo4j
def test_both_backends_decide_the_route_alike_before_and_after_the_ingest(
    neo4j_settings: Neo4jSettings, env: dict[str, str]
) -> None:
    env = {**env, "NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()}
    neo4j = ("--backend", "neo4j")
    cli_ok(env, "load", *neo4j, "--replace")
    try:
        before = cli_json(env, *ROUTES, *neo4j)
        assert before == cli_json(env, *ROUTES)
        assert before["routes"][0]["restriction"]["status"] == "undetermined"
        cli_ok(env, *INGEST, *neo4j)
        cli_ok(env, *INGEST)
        after = cli_json(env, *ROUTES, *neo4j)
        assert after == cli_json(env, *ROUTES)
        assert after["routes"][0]["restriction"]["status"] == "license_required"
    finally:
        store = Neo4jStore.connect(neo4j_settings)
        store.clear()
        store.close()
