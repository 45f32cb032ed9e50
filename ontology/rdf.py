"""Render node and edge records as RDF in the ontology's terms (for SHACL and Turtle export).

Nodes become IRIs typed with every label of their class closure; each relationship becomes a
triple plus an `rdf:Statement` carrying the edge's properties, so edge evidence is checkable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef

from ontology.records import Edge, Node, Props
from ontology.schema import CT, Schema

ID = Namespace("https://w3id.org/chiptrail/id/")
XSD_OF = {
    "string": XSD.string,
    "anyURI": XSD.anyURI,
    "date": XSD.date,
    "decimal": XSD.decimal,
    "integer": XSD.integer,
    "boolean": XSD.boolean,
}


def iri(record_id: str) -> URIRef:
    """The IRI of a node or edge id."""
    return ID[quote(record_id, safe="")]


def _literal(value: object, datatype: str) -> Literal:
    if datatype == "string":
        return Literal(value)
    if datatype == "date" and isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if datatype == "decimal":
        return Literal(format(Decimal(str(value)), "f"), datatype=XSD.decimal)
    if datatype == "boolean":
        return Literal("true" if value else "false", datatype=XSD.boolean)
    return Literal(str(value), datatype=XSD_OF[datatype])


def _add_props(graph: Graph, subject: URIRef, props: Props, schema: Schema) -> None:
    for key, value in props.items():
        spec = schema.properties[key]
        for item in value if isinstance(value, list) else [value]:
            graph.add((subject, URIRef(spec.iri), _literal(item, spec.datatype)))


def to_rdf(nodes: Iterable[Node], edges: Iterable[Edge], schema: Schema) -> Graph:
    """An rdflib graph of the records, using the ontology's IRIs."""
    graph = Graph()
    graph.bind("ct", CT)
    graph.bind("id", ID)
    for node in nodes:
        subject = iri(node.id)
        for label in node.labels:
            graph.add((subject, RDF.type, URIRef(schema.classes[label].iri)))
        graph.add((subject, CT.id, Literal(node.id)))
        _add_props(graph, subject, node.props, schema)
    for edge in edges:
        predicate = URIRef(schema.relationships[edge.type].iri)
        graph.add((iri(edge.source), predicate, iri(edge.target)))
        statement = iri(edge.id)
        graph.add((statement, RDF.type, RDF.Statement))
        graph.add((statement, RDF.subject, iri(edge.source)))
        graph.add((statement, RDF.predicate, predicate))
        graph.add((statement, RDF.object, iri(edge.target)))
        _add_props(graph, statement, edge.props, schema)
    return graph
