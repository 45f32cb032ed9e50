"""Check records against the SHACL shapes (pySHACL on their RDF rendering)."""

from __future__ import annotations

from urllib.parse import unquote

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from ontology.errors import Problem
from ontology.rdf import ID, to_rdf
from ontology.records import Dataset
from ontology.schema import Schema, load_schema, load_shapes


def _local(term: object) -> str | None:
    if isinstance(term, URIRef):
        text = str(term)
        return unquote(text[len(str(ID)) :]) if text.startswith(str(ID)) else text.split("#")[-1]
    return None


def shacl_problems(graph: Graph) -> list[Problem]:
    """Every SHACL violation in `graph`, as problems naming the record and the property."""
    conforms, report, _ = validate(graph, shacl_graph=load_shapes(), inference="none", allow_warnings=True)
    if conforms:
        return []
    assert isinstance(report, Graph)
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = _local(report.value(result, SH.focusNode))
        path = _local(report.value(result, SH.resultPath))
        message = report.value(result, SH.resultMessage)
        shape = _local(report.value(result, SH.sourceShape)) or "shape"
        text = str(message) if isinstance(message, Literal) else "violates " + shape
        problems.append(Problem(f"SHACL: {text}", record=focus, field=path))
    return sorted(problems, key=lambda p: (p.record or "", p.field or "", p.message))


def check_dataset(data: Dataset, schema: Schema | None = None) -> list[Problem]:
    """SHACL problems of a loaded dataset, each with the file and line its record came from."""
    schema = schema or load_schema()
    problems = shacl_problems(to_rdf(data.nodes.values(), data.edges.values(), schema))
    for problem in problems:
        record = data.nodes.get(problem.record or "") or data.edges.get(problem.record or "")
        if record is not None and record.origin is not None:
            problem.file, problem.line = record.origin.file, record.origin.line
    return problems
