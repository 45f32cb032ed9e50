"""Write an exported subgraph as bytes: GraphML, GEXF, node-link JSON, a CSV zip, or Turtle.

What each format carries (every node's properties and every edge's, nothing dropped):

* Nodes: `id`; `label` = the node's name (its id if it has none), so Gephi and Cytoscape show
  names; `labels` = its ontology classes; `illustrative` (false when absent) so fictional
  records can be filtered; then each property under its own name.
* Edges: the edge id (GraphML/GEXF edge id, node-link `key`, CSV `id`); `type` (the relationship
  type); `sources`, `confidence`, `valid_from`, `valid_to` and `illustrative` on every edge; then
  each other property under its own name.
* GraphML, GEXF and CSV have no list or date type: lists are joined with ";" (`LIST_SEPARATOR`),
  dates are ISO 8601 text, and an open validity bound is empty text. Numbers and booleans keep
  their types. Node-link JSON keeps lists as arrays and open bounds as null; dates are ISO text.
* GEXF reserves the XML attribute `type` for edge direction, so the relationship type is an
  attribute titled `type` (written under a placeholder, renamed after) and also the edge label.
* Turtle is the ontology's RDF rendering (`ontology.rdf.to_rdf`): it conforms to `shapes.ttl`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import networkx as nx

from ontology.rdf import to_rdf
from ontology.records import Edge, Node, Value
from ontology.schema import load_schema
from ontology.vocab import Prop

LIST_SEPARATOR = ";"
EDGE_FIELDS = ("type", Prop.SOURCES, Prop.CONFIDENCE, Prop.VALID_FROM, Prop.VALID_TO, Prop.ILLUSTRATIVE)
NODE_FIELDS = ("label", "labels", Prop.ILLUSTRATIVE)
_GEXF_TYPE = "relationship_type"  # networkx pops `type` for GEXF edge direction; renamed after writing
Writer = Callable[[Sequence[Node], Sequence[Edge]], bytes]


def flat(value: Value | None, keep_lists: bool = False) -> Any:
    """A property value as a GraphML/GEXF/CSV attribute: lists joined, dates ISO, None as ''."""
    if isinstance(value, list):
        return value if keep_lists else LIST_SEPARATOR.join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return None if keep_lists else ""
    return value


def node_attrs(node: Node, keep_lists: bool = False) -> dict[str, Any]:
    labels = list(node.labels)
    attrs: dict[str, Any] = {
        "label": str(node.props.get(Prop.NAME, node.id)),
        "labels": labels if keep_lists else LIST_SEPARATOR.join(labels),
        Prop.ILLUSTRATIVE: bool(node.props.get(Prop.ILLUSTRATIVE, False)),
    }
    attrs.update({k: flat(v, keep_lists) for k, v in sorted(node.props.items()) if k not in attrs})
    return attrs


def edge_attrs(edge: Edge, keep_lists: bool = False) -> dict[str, Any]:
    attrs: dict[str, Any] = {"type": edge.type, Prop.ILLUSTRATIVE: bool(edge.props.get(Prop.ILLUSTRATIVE, False))}
    attrs.update({k: flat(edge.props.get(k), keep_lists) for k in EDGE_FIELDS if k not in attrs})
    attrs.update({k: flat(v, keep_lists) for k, v in sorted(edge.props.items()) if k not in attrs})
    return attrs


def to_networkx(nodes: Sequence[Node], edges: Sequence[Edge], keep_lists: bool = False) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph keyed by node id and edge id, attributes as described above."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="chiptrail subgraph")
    for node in nodes:
        graph.add_node(node.id, **node_attrs(node, keep_lists))
    for edge in edges:
        graph.add_edge(edge.source, edge.target, key=edge.id, **edge_attrs(edge, keep_lists))
    return graph


def to_graphml(nodes: Sequence[Node], edges: Sequence[Edge]) -> bytes:
    """GraphML for networkx (`nx.read_graphml`), Gephi, Cytoscape and yEd."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(nodes, edges), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(nodes: Sequence[Node], edges: Sequence[Edge]) -> bytes:
    """GEXF 1.2 for Gephi and networkx (`nx.read_gexf`); edge labels are relationship types."""
    graph = to_networkx(nodes, edges)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data.update({"id": key, "label": data["type"], _GEXF_TYPE: data.pop("type")})
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    # Only attribute declarations carry `title=`; values are written as `value=`.
    return buffer.getvalue().replace(f'title="{_GEXF_TYPE}"'.encode(), b'title="type"')


def to_node_link_json(nodes: Sequence[Node], edges: Sequence[Edge]) -> bytes:
    """networkx node-link JSON (`nx.node_link_graph(data, edges="edges")` reads it back)."""
    data = nx.node_link_data(to_networkx(nodes, edges, keep_lists=True), edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _csv(rows: list[dict[str, Any]], first: Sequence[str]) -> bytes:
    columns = [*first, *sorted({k for row in rows for k in row} - set(first))]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return text.getvalue().encode("utf-8")


def _cell(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value


def to_csv_zip(nodes: Sequence[Node], edges: Sequence[Edge]) -> bytes:
    """A zip of nodes.csv and edges.csv (UTF-8, one header row) for Cytoscape and spreadsheets."""
    node_rows = [{"id": n.id, **node_attrs(n)} for n in nodes]
    edge_rows = [{"id": e.id, "source": e.source, "target": e.target, **edge_attrs(e)} for e in edges]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in (
            ("nodes.csv", _csv(node_rows, ("id", *NODE_FIELDS))),
            ("edges.csv", _csv(edge_rows, ("id", "source", "target", *EDGE_FIELDS))),
        ):
            # A fixed timestamp: the same subgraph always gives the same bytes.
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def to_turtle(nodes: Sequence[Node], edges: Sequence[Edge]) -> bytes:
    """RDF Turtle in the ontology's IRIs; edges are triples plus rdf:Statements with their evidence."""
    return to_rdf(nodes, edges, load_schema()).serialize(format="turtle", encoding="utf-8")


class ExportFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"
    ttl = "ttl"


@dataclass(frozen=True)
class FileFormat:
    write: Writer
    media_type: str
    suffix: str


FORMATS: dict[ExportFormat, FileFormat] = {
    ExportFormat.graphml: FileFormat(to_graphml, "application/graphml+xml", "graphml"),
    ExportFormat.gexf: FileFormat(to_gexf, "application/gexf+xml", "gexf"),
    ExportFormat.json: FileFormat(to_node_link_json, "application/json", "json"),
    ExportFormat.csv: FileFormat(to_csv_zip, "application/zip", "zip"),
    ExportFormat.ttl: FileFormat(to_turtle, "text/turtle", "ttl"),
}
