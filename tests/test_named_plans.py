"""Every named query starts from an index on Neo4j, so its cost follows the answer, not the graph.

`EXPLAIN` of each `.cypher` file with the example parameters of its header: a query that takes an
id finds that node through an index seek, and no query scans every node, nor the label of a node
that one of its id parameters names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from neo4j import GraphDatabase, NotificationClassification

from graph import neo4j_read
from graph.neo4j_store import Neo4jStore
from queries.named import NamedQuery, registry

# What each id parameter names: scanning these labels is what an index seek on the id replaces.
# A region's sites count too, since they are reached inward from the region.
ID_LABELS = {
    "chip_id": {"ChipModel"},
    "region_id": {"Place", "DataCenter", "ProjectAggregate"},
    "place_id": {"Place"},
    "site_id": {"DataCenter", "ProjectAggregate"},
    "org_id": {"Organization"},
    "org_ids": {"Organization"},
    "node_ids": set(),
    "id": set(),
    "seeds": set(),
}
ROOTS = {"Entity", "Source"}  # a scan of either is a scan of nearly every node
SEEKS = {"NodeUniqueIndexSeek", "NodeIndexSeek"}
LABEL_SCANS = {
    "NodeByLabelScan",
    "UnionNodeByLabelsScan",
    "IntersectionNodeByLabelsScan",
    "SubtractionNodeByLabelsScan",
}


def id_parameters(query: NamedQuery) -> list[str]:
    """Parameters that name nodes by id (`id`, `…_id`, `…_ids`, `seeds`)."""
    names = [p.name for p in query.parameters]
    return [n for n in names if n in ("id", "seeds") or n.endswith(("_id", "_ids"))]


def operators(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(operator, details) of every operator in the plan tree, the `@neo4j` suffix dropped."""
    yield plan["operatorType"].split("@")[0], str(plan.get("args", {}).get("Details", ""))
    for child in plan.get("children", []):
        yield from operators(child)


def scanned_labels(details: str) -> set[str]:
    """The labels of a label scan's details, e.g. `site:DataCenter|ProjectAggregate`."""
    labels = details.split(":", 1)[1] if ":" in details else ""
    return {label.strip() for label in labels.replace("&", "|").split("|") if label.strip()}


def example_params(store: Neo4jStore, query: NamedQuery) -> dict[str, Any]:
    """The example parameters of the query's header (a `:param` map), as the server reads them."""
    with store.driver.session(database=store.settings.database) as session:
        record = session.run("RETURN " + query.example.removeprefix(":param").strip() + " AS p").single()
    assert record is not None
    params: dict[str, Any] = record["p"]
    return params


def explain(store: Neo4jStore, query: NamedQuery) -> list[tuple[str, str]]:
    """Every operator of the plan of the query with its example parameters."""
    params = example_params(store, query)
    with store.driver.session(database=store.settings.database) as session:
        plan = session.run("EXPLAIN " + query.bounded(params), params).consume().plan
    assert plan is not None
    return list(operators(plan))


def test_every_id_parameter_names_its_labels() -> None:
    found = {p for query in registry().values() for p in id_parameters(query)}
    assert found <= ID_LABELS.keys()
    assert found >= {"chip_id", "region_id", "org_ids", "site_id"}


def test_scanned_labels_are_read_from_plan_details() -> None:
    assert scanned_labels("site:DataCenter|ProjectAggregate") == {"DataCenter", "ProjectAggregate"}
    assert scanned_labels("anon_5:Place") == {"Place"}


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(registry()))
def test_named_query_is_anchored_by_an_index(neo4j_store: Neo4jStore, name: str) -> None:
    query = registry()[name]
    plan = explain(neo4j_store, query)
    kinds = {kind for kind, _ in plan}
    assert "AllNodesScan" not in kinds, plan
    ids = id_parameters(query)
    if not ids:
        return  # nothing to seek by: the header's `// Plan:` line says what it scans and why
    assert kinds & SEEKS, plan
    forbidden = ROOTS.union(*(ID_LABELS[p] for p in ids))
    scans = [(kind, details) for kind, details in plan if kind in LABEL_SCANS]
    assert [s for s in scans if scanned_labels(s[1]) & forbidden] == [], plan


@pytest.mark.neo4j
def test_the_plans_before_the_seeks_would_fail(neo4j_store: Neo4jStore) -> None:
    """The check is not vacuous: the label-scanning form of places_within trips it."""
    query = registry()["places_within"]
    scanning = query.text.replace(
        "MATCH (place:Entity {id: $place_id}) USING INDEX SEEK place:Entity(id) WHERE place:Place\n"
        "MATCH (inside:Place)-[:PART_OF]->*(place)",
        "MATCH (inside:Place)-[:PART_OF]->*(:Place {id: $place_id})",
    )
    assert scanning != query.text
    old = NamedQuery(query.name, query.description, query.parameters, query.example, scanning, query.path)
    scans = [d for kind, d in explain(neo4j_store, old) if kind in LABEL_SCANS]
    assert any("Place" in scanned_labels(d) for d in scans)


# --- no statement uses syntax that Neo4j 5 has deprecated ---------------------------------------
# The store's drivers turn server notifications off; this driver asks for warnings, which is the
# severity of a deprecation (e.g. a subquery importing its variables with `CALL { WITH x … }`).

EVERY_PART = neo4j_read.Parts(
    region_id="place-cn-xj", designations=True, parties=("org-nvidia",), owners_on_routes=True
)
GIVEN_CHIPS = replace(EVERY_PART, chip_ids=("chip-nvidia-h100-sxm",))
READ_STATEMENTS = {
    "routes, every part": (neo4j_read.statement(EVERY_PART), neo4j_read.parameters(EVERY_PART)),
    "routes, given chips": (neo4j_read.statement(GIVEN_CHIPS), neo4j_read.parameters(GIVEN_CHIPS)),
}


def deprecations(store: Neo4jStore, text: str, params: dict[str, Any]) -> list[str]:
    """The descriptions of the deprecation notifications that `EXPLAIN` of the statement raises."""
    settings = store.settings
    auth = (settings.username, settings.checked_password())
    with (
        GraphDatabase.driver(settings.uri, auth=auth, notifications_min_severity="WARNING") as driver,
        driver.session(database=settings.database) as session,
    ):
        summary = session.run("EXPLAIN " + text, params).consume()
    return [
        s.status_description
        for s in summary.gql_status_objects
        if s.classification == NotificationClassification.DEPRECATION
    ]


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(registry()))
def test_named_query_uses_no_deprecated_syntax(neo4j_store: Neo4jStore, name: str) -> None:
    query = registry()[name]
    params = example_params(neo4j_store, query)
    assert deprecations(neo4j_store, query.bounded(params), params) == []


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(READ_STATEMENTS))
def test_answer_statement_uses_no_deprecated_syntax(neo4j_store: Neo4jStore, name: str) -> None:
    text, params = READ_STATEMENTS[name]
    assert deprecations(neo4j_store, text, params) == []


@pytest.mark.neo4j
def test_a_deprecated_subquery_import_is_reported(neo4j_store: Neo4jStore) -> None:
    """The check is not vacuous: the importing `WITH` that 5.26 deprecates is reported."""
    found = deprecations(neo4j_store, "MATCH (n:ChipModel) CALL { WITH n RETURN n.id AS i } RETURN i", {})
    assert len(found) == 1 and "deprecated" in found[0], found
