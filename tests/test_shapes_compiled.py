"""The compiled shape checks find exactly what pySHACL finds on the RDF rendering.

Both run on every shape pair of test_shapes.py, on the bundled data, and on datasets built by
mutating those records (values of each property's datatype, missing and repeated values, other
labels, edges between any two nodes); and the compiler refuses a construct it does not implement.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from loaders.shacl import Violation, shacl_violations
from loaders.shapes_check import compile_shapes, shape_problems, violations
from ontology import load_schema
from ontology.errors import OntologyError
from ontology.rdf import to_rdf
from ontology.records import Dataset, Edge, Node, Value
from tests.test_shapes import CASES, CHIP, DC, ORG, SOURCE, edge, node

SCHEMA = load_schema()


def compiled(data: Dataset) -> set[Violation]:
    return {(record, path, shape, component) for record, path, shape, component, _ in violations(data)}


def reference(data: Dataset) -> set[Violation]:
    return shacl_violations(to_rdf(data.nodes.values(), data.edges.values(), SCHEMA))


def dataset(nodes: list[Node], edges: list[Edge]) -> Dataset:
    return Dataset({n.id: n for n in nodes}, {e.id: e for e in edges})


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_pairs_agree(name: str) -> None:
    for nodes in CASES[name][:2]:
        data = dataset([SOURCE, ORG, DC, *nodes], [edge("SUPPLIES", "org-a", "dc-a")])
        assert compiled(data) == reference(data)


def test_class_shapes_agree() -> None:
    data = dataset([SOURCE, ORG, DC, CHIP], [edge("SUPPLIES", "dc-a", "org-a"), edge("DEPLOYS", "dc-a", "org-a")])
    assert compiled(data) == reference(data) != set()


def test_bundled_data_agrees(bundled: Dataset) -> None:
    assert compiled(bundled) == reference(bundled) == set()


def test_problems_name_the_yaml_field_and_shape() -> None:
    bad = node("chip-y", "ChipModel", vendor="V", tpp=-1.0)
    (problem,) = shape_problems(dataset([SOURCE, bad], []))
    assert (problem.record, problem.field) == ("chip-y", "tpp")
    assert problem.message == "SHACL ChipModelShape: -1.0 must be greater than 0"


# --- mutated datasets ------------------------------------------------------------------------------

BASE = [
    SOURCE,
    ORG,
    DC,
    CHIP,
    node("place-cn", "Country", iso3166="CN"),
    node("rule-a", "ExportControlRule", citation="1 FR 1", valid_from=dt.date(2020, 1, 1), effect="affiliates"),
    node("org-d", "Organization", valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2024, 1, 1)),
]
TEXT = st.sampled_from(["", "CN", "CN-XJ", "reported", "illustrative", "3A090.a: tpp >= 4800", "https://a.org/x"])
TEXT = TEXT | st.text(max_size=6)
DATES = st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31))
FOR_TYPE = {
    "string": TEXT,
    "anyURI": TEXT,
    "date": DATES,
    "decimal": st.sampled_from([-1.0, 0.0, 0.5, 100.0, 100.5]) | st.floats(-10, 1e6, allow_nan=False),
    "integer": st.integers(-5, 10**6),
    "boolean": st.booleans(),
}
PROPS = sorted(SCHEMA.properties)
SHAPED = ["name", "sources", "confidence", "valid_from", "valid_to", "illustrative", "title", "publisher", "url"]
SHAPED += ["vendor", "tpp", "iso3166", "citation", "effect", "ownership_threshold", "criteria", "eligibility"]
SHAPED += ["treated_as"]
LABELS = ["Organization", "DataCenter", "ChipModel", "Country", "Province", "ExportControlRule", "Source"]


@st.composite
def value_of(draw: st.DrawFn, prop: str) -> Value | None:
    spec = SCHEMA.properties[prop]
    if draw(st.integers(0, 9)) == 0:
        return None  # the property removed
    if spec.multi:
        return draw(st.lists(TEXT, max_size=3))  # repeats and empty lists included
    value: Value = draw(FOR_TYPE[spec.datatype])  # type: ignore[assignment]
    return value


@st.composite
def mutated(draw: st.DrawFn) -> Dataset:
    nodes = {n.id: n for n in BASE}
    for _ in range(draw(st.integers(1, 6))):
        target = nodes[draw(st.sampled_from(sorted(nodes)))]
        prop = draw(st.sampled_from(SHAPED) | st.sampled_from(PROPS))
        value = draw(value_of(prop))
        props = {k: v for k, v in target.props.items() if k != prop}
        if value is not None:
            props[prop] = value
        labels = target.labels
        if draw(st.integers(0, 4)) == 0:
            labels = SCHEMA.closure((draw(st.sampled_from(LABELS)),))
        nodes[target.id] = Node(target.id, labels, props)
    ids = [*sorted(nodes), "nowhere"]
    edges = [
        edge(draw(st.sampled_from(["SUPPLIES", "DEPLOYS", "LOCATED_IN"])), draw(st.sampled_from(ids)), to)
        for to in draw(st.lists(st.sampled_from(ids), max_size=3))
    ]
    for i, e in enumerate(edges):
        prop = draw(st.sampled_from(["sources", "confidence", "valid_from", "valid_to", "illustrative"]))
        value = draw(value_of(prop))
        props = {k: v for k, v in e.props.items() if k != prop} | ({prop: value} if value is not None else {})
        edges[i] = Edge(e.id, e.type, e.source, e.target, props)
    return dataset(list(nodes.values()), edges)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated())
def test_mutated_datasets_agree(data: Dataset) -> None:
    assert compiled(data) == reference(data)


# --- the compiler refuses what it does not implement --------------------------------------------

PREFIXES = """\
@prefix ct: <https://w3id.org/chiptrail/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize(
    "shape",
    [
        "ct:NewShape a sh:NodeShape ; sh:targetClass ct:Organization ; sh:closed true .",
        "ct:NewShape a sh:NodeShape ; sh:targetClass ct:Place ; sh:property [ sh:path ct:name ; sh:maxLength 3 ] .",
        "ct:NewShape a sh:NodeShape ; sh:targetNode ct:x ; sh:class ct:Organization .",
        "ct:NewShape a sh:NodeShape ; sh:targetClass ct:Organization ; sh:property [ sh:path ( ct:name ct:note ) ] .",
        "ct:NewShape a sh:NodeShape ; sh:targetClass ct:Place ; sh:property [ sh:path ct:name ; sh:flags 'i' ] .",
        "ct:NewShape a sh:PropertyShape ; sh:targetClass ct:Organization ; sh:path ct:name ; sh:minCount 1 .",
    ],
)
def test_unimplemented_constructs_are_refused(shape: str) -> None:
    graph = Graph().parse(data=PREFIXES + shape, format="turtle")
    with pytest.raises(OntologyError, match="NewShape"):
        compile_shapes(graph, SCHEMA)


@settings(max_examples=40, deadline=None)
@given(
    tpp=FOR_TYPE["decimal"],
    threshold=FOR_TYPE["decimal"],
    start=DATES,
    end=DATES,
)
def test_ranges_and_date_order_agree(tpp: float, threshold: float, start: dt.date, end: dt.date) -> None:
    chip = node("chip-z", "ChipModel", vendor="V", tpp=tpp)
    rule = node("rule-z", "ExportControlRule", citation="1", valid_from=start, effect="affiliates")
    rule.props["ownership_threshold"] = threshold
    org = node("org-z", "Organization", valid_from=start, valid_to=end)
    supplies = Edge(
        "org-z|SUPPLIES|dc-a",
        "SUPPLIES",
        "org-z",
        "dc-a",
        {**edge("X", "a", "b").props, "valid_from": start, "valid_to": end},
    )
    data = dataset([SOURCE, DC, chip, rule, org], [supplies])
    assert compiled(data) == reference(data)
