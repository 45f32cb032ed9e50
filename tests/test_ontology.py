"""The ontology compiles, is consistent, and an inconsistent one fails at load."""

from __future__ import annotations

import pytest
from rdflib import Graph

from ontology import load_schema
from ontology.errors import OntologyError
from ontology.schema import ONTOLOGY_PATH, compile_schema, parse_turtle, snake, upper_snake
from ontology.vocab import Label, Rel


def test_schema_derives_labels_types_and_properties() -> None:
    schema = load_schema()
    assert {"ChipModel", "Organization", "DataCenter", "PowerPlant", "Place", "ExportControlRule", "Source"} <= set(
        schema.classes
    )
    assert {"SUPPLIES", "OWNS", "DEPLOYS", "LOCATED_IN", "PART_OF", "DESIGNATED_BY", "POWERED_BY"} <= set(
        schema.relationships
    )
    assert schema.properties["die_area_mm2"].datatype == "decimal"
    assert schema.properties["valid_from"].datatype == "date"
    assert schema.properties["chips"].multi is True
    assert schema.classes["DataCenter"].name_zh == "数据中心"


def test_role_labels_imply_their_superclasses() -> None:
    schema = load_schema()
    assert schema.closure(("Distributor",)) == ("Entity", "Organization", "Distributor")
    assert Label.ORGANIZATION in schema.ancestors("Distributor")


def test_domain_and_range_decide_which_edges_are_allowed() -> None:
    schema = load_schema()
    assert schema.allows(Rel.SUPPLIES, ("ShellCompany",), ("DataCenter",))
    assert not schema.allows(Rel.SUPPLIES, ("DataCenter",), ("Organization",))
    assert not schema.allows(Rel.DEPLOYS, ("DataCenter",), ("Organization",))
    assert "chips" in schema.edge_properties(Rel.SUPPLIES)
    assert "chips" not in schema.edge_properties("OWNS")
    assert "tpp" in schema.node_properties(("ChipModel",))
    assert "tpp" not in schema.node_properties(("DataCenter",))


@pytest.mark.parametrize(
    ("camel", "upper", "lower"),
    [
        ("supplies", "SUPPLIES", "supplies"),
        ("leasesComputeTo", "LEASES_COMPUTE_TO", "leases_compute_to"),
        ("peakTopsFp8", "PEAK_TOPS_FP8", "peak_tops_fp8"),
        ("iso3166", "ISO3166", "iso3166"),
    ],
)
def test_name_conversions(camel: str, upper: str, lower: str) -> None:
    assert upper_snake(camel) == upper
    assert snake(camel) == lower


def _broken(extra: str) -> Graph:
    graph = parse_turtle(ONTOLOGY_PATH)
    graph.parse(
        data="@prefix ct: <https://w3id.org/chiptrail/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + extra,
        format="turtle",
    )
    return graph


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            'ct:Broker a owl:Class ; rdfs:label "Broker"@en ; rdfs:subClassOf ct:Middleman .',
            "undeclared class Middleman",
        ),
        (
            "ct:ships a owl:ObjectProperty ; rdfs:domain ct:Organization ; rdfs:range ct:Vessel .",
            "undeclared class Vessel",
        ),
        ("ct:tonnage a owl:DatatypeProperty ; rdfs:domain ct:ChipModel .", "unsupported or missing XSD range"),
        ("ct:orphan a owl:DatatypeProperty ; rdfs:range xsd:string .", "no node or edge may carry it"),
        (
            'ct:Loop a owl:Class ; rdfs:label "Loop"@en ; rdfs:subClassOf ct:Loop2 .\n'
            'ct:Loop2 a owl:Class ; rdfs:label "Loop2"@en ; rdfs:subClassOf ct:Loop .',
            "its own superclass",
        ),
        ("ct:Nameless a owl:Class .", "no English rdfs:label"),
    ],
)
def test_inconsistent_ontology_raises_at_load(extra: str, message: str) -> None:
    with pytest.raises(OntologyError, match=message):
        compile_schema(_broken(extra))


def test_shapes_naming_undeclared_terms_are_rejected() -> None:
    shapes = Graph().parse(
        data="@prefix ct: <https://w3id.org/chiptrail/ontology#> . @prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "ct:S a sh:NodeShape ; sh:targetClass ct:Spaceship .",
        format="turtle",
    )
    with pytest.raises(OntologyError, match="Spaceship"):
        compile_schema(parse_turtle(ONTOLOGY_PATH), shapes)
