"""Subgraph export: what `subgraph` selects, and every file format read back and compared with the store.

Selection is checked against the bundled data (data/curated/sites.yaml, data/scenarios/…) on both
backends; each format is read back with the tool a researcher would use (networkx, zipfile + csv,
rdflib + the SHACL shapes) and compared, node by node and edge by edge, with the store's records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pty
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from rdflib import RDF, Graph, Literal, URIRef

from graph.formats import to_csv_zip, to_gexf, to_graphml, to_node_link_json, to_turtle
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders.shacl import shacl_problems
from ontology.errors import ExportTooLarge, InvalidParameter, NotFound
from ontology.rdf import iri
from ontology.records import Edge, Node, Value
from ontology.schema import CT, load_schema
from queries.export import subgraph
from queries.named import registry
from tests.conftest import DATA
from tests.helpers import CLI

SITE = "dc-nyocor-xinjiang"
YIWU_EAST = "scn-dc-yiwu-east"  # fictional; its edges carry dates (data/scenarios/xinjiang_diversion.yaml)
SEEDS = [SITE, YIWU_EAST]
SCHEMA = load_schema()


# --- helpers: the store's own view, and how each format is expected to spell a value --------------


def ids(nodes: list[Node]) -> set[str]:
    return {n.id for n in nodes}


def triples(edges: list[Edge]) -> set[tuple[str, str, str]]:
    return {(e.type, e.source, e.target) for e in edges}


def touching(store: GraphStore, node_ids: list[str]) -> dict[str, Edge]:
    """Every relationship into or out of the nodes, read through the store protocol."""
    found: dict[str, Edge] = {}
    for rel_type in SCHEMA.relationships:
        for node_id in node_ids:
            for edge in [*store.edges(rel_type, source=node_id), *store.edges(rel_type, target=node_id)]:
                found[edge.id] = edge
    return found


def yaml_edges_of(path: Path, node_id: str) -> set[tuple[str, str, str]]:
    edges = yaml.safe_load(path.read_text(encoding="utf-8"))["edges"]
    return {(e["type"], e["from"], e["to"]) for e in edges if node_id in (e["from"], e["to"])}


def text(value: Value | None) -> Any:
    """GraphML/GEXF spelling: lists joined with ';', dates ISO, missing as ''; numbers and booleans kept."""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def json_value(value: Value | None) -> Any:
    """Node-link JSON spelling: lists kept, dates ISO, missing as null."""
    return value.isoformat() if isinstance(value, dt.date) else value


def cell(value: Value | None) -> str:
    """CSV spelling: everything is text; booleans lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(text(value))


def expected_node(node: Node, spell: Any) -> dict[str, Any]:
    labels = sorted(node.labels)
    return {
        "label": node.props.get("name", node.id),
        "labels": labels,
        "illustrative": spell(node.props.get("illustrative", False)),
        **{k: spell(v) for k, v in node.props.items() if k != "illustrative"},
    }


def expected_edge(edge: Edge, spell: Any) -> dict[str, Any]:
    every = ("sources", "confidence", "valid_from", "valid_to")
    return {
        "type": edge.type,
        "illustrative": spell(edge.props.get("illustrative", False)),
        **{k: spell(edge.props.get(k)) for k in every},
        **{k: spell(v) for k, v in edge.props.items() if k not in (*every, "illustrative")},
    }


def split_labels(attrs: dict[str, Any]) -> dict[str, Any]:
    return {**attrs, "labels": sorted(attrs["labels"].split(";"))}


@pytest.fixture(scope="module")
def exported(any_store: GraphStore) -> tuple[GraphStore, list[Node], list[Edge]]:
    """Real and fictional seeds at depth 1: lists, dates, integers, decimals and booleans all appear."""
    nodes, edges = subgraph(any_store, SEEDS, depth=1)
    return any_store, nodes, edges


Exported = tuple[GraphStore, list[Node], list[Edge]]


# --- what gets selected -------------------------------------------------------------------------


def test_depth_one_is_what_sites_yaml_says_about_the_nyocor_site(any_store: GraphStore) -> None:
    nodes, edges = subgraph(any_store, [SITE], depth=1)
    expected = yaml_edges_of(DATA / "curated" / "sites.yaml", SITE)
    assert triples(edges) == expected
    assert ("LOCATED_IN", SITE, "place-cn-xj") in expected
    assert ("DEPLOYS", SITE, "chip-nvidia-h100-sxm") in expected
    assert ("LEASES_COMPUTE_TO", SITE, "org-infinigence-ai") in expected
    assert ("SUPPLIES", "org-china-bester", SITE) in expected
    assert ids(nodes) == {SITE} | {end for _, a, b in expected for end in (a, b)}
    deploys = next(e for e in edges if e.type == "DEPLOYS")
    assert (deploys.props["count"], deploys.props["status"], deploys.props["confidence"]) == (
        2000,
        "planned",
        "estimated",
    )
    assert [n.id for n in nodes] == sorted(ids(nodes)) and [e.id for e in edges] == sorted(e.id for e in edges)


def test_depth_zero_is_the_seeds_alone(any_store: GraphStore) -> None:
    nodes, edges = subgraph(any_store, [SITE, "place-cn-xj"], depth=0)
    assert ids(nodes) == {SITE, "place-cn-xj"}
    assert edges == []


def test_depth_two_reaches_further_and_keeps_only_traversed_edges(any_store: GraphStore) -> None:
    nodes, edges = subgraph(any_store, [SITE], depth=2)
    one, _ = subgraph(any_store, [SITE], depth=1)
    assert ids(one) < ids(nodes)
    assert {"place-cn", "agg-bloomberg-39-projects", "org-infinigence-ai"} <= ids(nodes)  # via place-cn-xj
    assert all(e.source in ids(nodes) and e.target in ids(nodes) for e in edges)
    # An edge is traversed only if one end lies within one hop. Qinghai is three hops away
    # (site -> Xinjiang <- the 39 projects -> Qinghai), so neither it nor the last edge is in.
    assert all(e.source in ids(one) or e.target in ids(one) for e in edges)
    assert "place-cn-qh" not in ids(nodes)
    assert ("LOCATED_IN", "agg-bloomberg-39-projects", "place-cn-qh") not in triples(edges)


def test_types_limit_what_is_followed(any_store: GraphStore) -> None:
    nodes, edges = subgraph(any_store, [SITE], depth=1, types=["LOCATED_IN"])
    assert ids(nodes) == {SITE, "place-cn-xj"}
    assert triples(edges) == {("LOCATED_IN", SITE, "place-cn-xj")}
    nodes, edges = subgraph(any_store, [SITE], depth=2, types=["LOCATED_IN", "PART_OF"])
    assert "place-cn" in ids(nodes)
    assert {e.type for e in edges} == {"LOCATED_IN", "PART_OF"}
    assert "chip-nvidia-h100-sxm" not in ids(nodes)


def test_as_of_follows_only_relationships_valid_that_day(any_store: GraphStore) -> None:
    def around(day: dt.date | None) -> set[tuple[str, str, str]]:
        return triples(subgraph(any_store, [YIWU_EAST], depth=1, as_of=day)[1])

    ironpeak = ("SUPPLIES", "scn-ironpeak", YIWU_EAST)  # 2024-02-01 .. 2024-12-31
    redsand = ("SUPPLIES", "scn-redsand", YIWU_EAST)  # from 2024-09-01
    deploys = ("DEPLOYS", YIWU_EAST, "chip-nvidia-h100-sxm")  # from 2024-10-01
    located = ("LOCATED_IN", YIWU_EAST, "place-cn-xj-hami-yiwu")  # no dates: always followed
    assert {ironpeak, redsand, deploys, located} <= around(None)
    mid_2024 = around(dt.date(2024, 6, 1))
    assert ironpeak in mid_2024 and located in mid_2024
    assert redsand not in mid_2024 and deploys not in mid_2024
    in_2025 = around(dt.date(2025, 6, 1))
    assert ironpeak not in in_2025
    assert {redsand, deploys, located} <= in_2025
    assert around(dt.date(2024, 12, 31)) >= {ironpeak, redsand, deploys}  # bounds are inclusive


def test_unknown_seed_or_type_is_not_found_with_suggestions(any_store: GraphStore) -> None:
    with pytest.raises(NotFound) as seed:
        subgraph(any_store, [SITE, "dc-nyocor-xinjang"])
    assert seed.value.kind == "seed" and SITE in seed.value.suggestions
    with pytest.raises(NotFound) as rel:
        subgraph(any_store, [SITE], types=["LOCATED"])
    assert rel.value.suggestions[0] == "LOCATED_IN"


def test_too_many_nodes_is_refused_with_the_limit(any_store: GraphStore) -> None:
    nodes, _ = subgraph(any_store, ["place-cn"], depth=2)
    assert subgraph(any_store, ["place-cn"], depth=2, max_nodes=len(nodes))[0] == nodes
    with pytest.raises(ExportTooLarge) as too_large:
        subgraph(any_store, ["place-cn"], depth=2, max_nodes=len(nodes) - 1)
    assert (too_large.value.found, too_large.value.limit) == (len(nodes), len(nodes) - 1)
    assert f"limit of {len(nodes) - 1:,}" in str(too_large.value)


def test_depth_outside_zero_to_three_is_refused(any_store: GraphStore) -> None:
    for depth in (-1, 4):
        with pytest.raises(InvalidParameter, match="depth"):
            subgraph(any_store, [SITE], depth=depth)


def test_the_runner_tightens_the_depth_quantifier() -> None:
    query = registry()["subgraph"]
    params: dict[str, Any] = {"seeds": ["x"], "types": [], "as_of": None}
    assert "{0,3}" in query.text
    assert "{0,2}" in query.bounded({**params, "depth": 2}) and "{0,3}" not in query.bounded({**params, "depth": 2})
    assert "{0,1}" in query.bounded({**params, "depth": 0})  # Cypher refuses {0,0}; `length(p) <= $depth` stops at 0
    for bad in (4, -1, True, "2"):
        with pytest.raises(InvalidParameter, match="depth"):
            query.bounded({**params, "depth": bad})


# --- every format, read back and compared with the store ---------------------------------------------


def test_graphml_round_trip(exported: Exported) -> None:
    store, nodes, edges = exported
    graph = nx.read_graphml(io.BytesIO(to_graphml(nodes, edges)), force_multigraph=True)
    assert set(graph.nodes) == ids(nodes)
    for node_id, attrs in graph.nodes(data=True):
        stored = store.node(node_id)
        assert stored is not None
        assert split_labels(attrs) == expected_node(stored, text)
    stored_edges = touching(store, SEEDS)
    assert {key for _, _, key in graph.edges(keys=True)} == set(stored_edges)
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        edge = stored_edges[key]
        assert (source, target) == (edge.source, edge.target)
        assert attrs == expected_edge(edge, text)


def test_gexf_round_trip(exported: Exported) -> None:
    store, nodes, edges = exported
    body = to_gexf(nodes, edges)
    assert b'title="type"' in body and b"relationship_type" not in body
    graph = nx.read_gexf(io.BytesIO(body))
    assert set(graph.nodes) == ids(nodes)
    for node_id, attrs in graph.nodes(data=True):
        stored = store.node(node_id)
        assert stored is not None
        assert split_labels(attrs) == expected_node(stored, text)
    stored_edges = touching(store, SEEDS)
    seen = set()
    for source, target, attrs in graph.edges(data=True):
        edge = stored_edges[attrs.pop("id")]
        seen.add(edge.id)
        assert (source, target) == (edge.source, edge.target)
        assert attrs.pop("label") == edge.type  # Gephi shows it on the edge
        assert attrs == expected_edge(edge, text)
    assert seen == set(stored_edges)


def test_node_link_json_round_trip(exported: Exported) -> None:
    store, nodes, edges = exported
    data = json.loads(to_node_link_json(nodes, edges))
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.is_multigraph() and graph.is_directed()
    assert set(graph.nodes) == ids(nodes)
    for node_id, attrs in graph.nodes(data=True):
        stored = store.node(node_id)
        assert stored is not None
        assert {**attrs, "labels": sorted(attrs["labels"])} == expected_node(stored, json_value)
    stored_edges = touching(store, SEEDS)
    assert {key for _, _, key in graph.edges(keys=True)} == set(stored_edges)
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        edge = stored_edges[key]
        assert (source, target) == (edge.source, edge.target)
        assert attrs == expected_edge(edge, json_value)


def test_csv_zip_round_trip(exported: Exported) -> None:
    store, nodes, edges = exported
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(nodes, edges)))
    assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
    node_rows = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8"))))
    assert [row["id"] for row in node_rows] == sorted(ids(nodes))
    for row in node_rows:
        stored = store.node(row.pop("id"))
        assert stored is not None
        want = {k: cell(v) if k != "labels" else v for k, v in expected_node(stored, lambda v: v).items()}
        assert split_labels({k: v for k, v in row.items() if v != ""}) == {k: v for k, v in want.items() if v != ""}
    edge_rows = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode("utf-8"))))
    stored_edges = touching(store, SEEDS)
    assert sorted(row["id"] for row in edge_rows) == sorted(stored_edges)
    for row in edge_rows:
        edge = stored_edges[row.pop("id")]
        assert (row.pop("source"), row.pop("target")) == (edge.source, edge.target)
        want = {k: cell(v) for k, v in expected_edge(edge, lambda v: v).items()}
        assert {k: v for k, v in row.items() if v != ""} == {k: v for k, v in want.items() if v != ""}
        assert {"type", "sources", "confidence", "valid_from", "valid_to"} <= set(row)
    assert to_csv_zip(nodes, edges) == to_csv_zip(nodes, edges)  # same subgraph, same bytes


def test_turtle_round_trip_conforms_to_the_shapes(exported: Exported) -> None:
    store, nodes, edges = exported
    graph = Graph().parse(data=to_turtle(nodes, edges).decode("utf-8"), format="turtle")
    assert shacl_problems(graph) == []
    assert set(graph.subjects(CT.id, None)) == {iri(n.id) for n in nodes}
    for node in nodes:
        stored = store.node(node.id)
        assert stored is not None
        assert set(graph.objects(iri(node.id), RDF.type)) == {URIRef(SCHEMA.classes[x].iri) for x in stored.labels}
        assert graph.value(iri(node.id), CT.name) == Literal(stored.props["name"])
    stored_edges = touching(store, SEEDS)
    assert set(graph.subjects(RDF.type, RDF.Statement)) == {iri(e) for e in stored_edges}
    for edge in stored_edges.values():
        predicate = URIRef(SCHEMA.relationships[edge.type].iri)
        assert (iri(edge.source), predicate, iri(edge.target)) in graph
        statement = iri(edge.id)
        assert graph.value(statement, CT.confidence) == Literal(edge.props["confidence"])
        sources = edge.props["sources"]
        assert isinstance(sources, list)
        assert {str(s) for s in graph.objects(statement, CT.sources)} == set(sources)
        start = edge.props.get("valid_from")
        assert graph.value(statement, CT.validFrom) == (Literal(start) if isinstance(start, dt.date) else None)


# --- the command line, in a subprocess -----------------------------------------------------------------


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([CLI, "export", *args], capture_output=True, timeout=300, env=env, check=False)


def test_cli_writes_graphml_to_a_file(tmp_path: Path) -> None:
    path = tmp_path / "nyocor.graphml"
    result = cli("--seed", SITE, "--format", "graphml", "--output", str(path))
    assert result.returncode == 0, result.stderr
    assert b"wrote 6 nodes and 5 relationships" in result.stderr and result.stdout == b""
    graph = nx.read_graphml(path, force_multigraph=True)
    assert {(d["type"], a, b) for a, b, d in graph.edges(data=True)} == yaml_edges_of(
        DATA / "curated" / "sites.yaml", SITE
    )
    assert graph.nodes[SITE]["label"] == "Nyocor-controlled data centre project, Xinjiang"


def test_cli_options_reach_the_query() -> None:
    result = cli("--seed", YIWU_EAST, "--depth", "1", "--type", "SUPPLIES", "--as-of", "2024-06-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(e["source"], e["type"]) for e in data["edges"]] == [("scn-ironpeak", "SUPPLIES")]
    assert {n["id"] for n in data["nodes"]} == {YIWU_EAST, "scn-ironpeak"}


def test_cli_csv_goes_to_a_pipe_but_not_to_a_terminal() -> None:
    piped = cli("--seed", SITE, "--format", "csv")
    assert piped.returncode == 0, piped.stderr
    assert sorted(zipfile.ZipFile(io.BytesIO(piped.stdout)).namelist()) == ["edges.csv", "nodes.csv"]
    leader, follower = pty.openpty()
    try:
        args = [CLI, "export", "--seed", SITE, "--format", "csv"]
        tty = subprocess.run(args, stdout=follower, stderr=subprocess.PIPE, timeout=120, check=False)
    finally:
        os.close(follower)
        os.close(leader)
    assert tty.returncode == 2
    assert b"refusing to write a zip archive to a terminal" in tty.stderr


def test_cli_unknown_seed_or_too_large_exits_2() -> None:
    unknown = cli("--seed", "dc-nyocor-xinjang", "--format", "json")
    assert unknown.returncode == 2
    assert b"Unknown seed 'dc-nyocor-xinjang'" in unknown.stderr and SITE.encode() in unknown.stderr
    large = cli("--seed", "place-cn", "--depth", "2", "--max-nodes", "5", "--format", "ttl")
    assert large.returncode == 2
    assert b"more than the limit of 5" in large.stderr
    for result in (unknown, large):
        assert b"Traceback" not in result.stderr + result.stdout
        assert result.stdout == b""


@pytest.mark.neo4j
def test_cli_neo4j_backend_writes_the_same_bytes(neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings) -> None:
    env = {**os.environ, "NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()}
    for fmt in ("graphml", "json", "ttl"):
        args = ("--seed", SITE, "--seed", YIWU_EAST, "--depth", "2", "--format", fmt)
        memory, neo4j = cli(*args, env=env), cli(*args, "--backend", "neo4j", env=env)
        assert neo4j.returncode == 0, neo4j.stderr
        assert neo4j.stdout == memory.stdout, fmt
