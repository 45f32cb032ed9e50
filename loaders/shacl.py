"""Check records against the SHACL shapes.

`check_dataset` runs the shapes compiled to direct checks (`loaders.shapes_check`); pySHACL over
the RDF rendering stays here as the reference the compiled checks are tested against, and for
`chiptrail validate --reference-shacl`.
"""

from __future__ import annotations

from urllib.parse import unquote

from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from loaders.shapes_check import shape_problems
from ontology.errors import Problem
from ontology.rdf import ID, to_rdf
from ontology.records import Dataset
from ontology.schema import Schema, load_schema, load_shapes

Violation = tuple[str | None, str | None, str, str]  # record, path local name, shape, constraint component


def _local(term: object) -> str | None:
    if isinstance(term, URIRef):
        text = str(term)
        return unquote(text[len(str(ID)) :]) if text.startswith(str(ID)) else text.split("#")[-1]
    return None


def _report(graph: Graph) -> Graph | None:
    conforms, report, _ = validate(graph, shacl_graph=load_shapes(), inference="none", allow_warnings=True)
    if conforms:
        return None
    assert isinstance(report, Graph)
    return report


def shacl_problems(graph: Graph) -> list[Problem]:
    """Every SHACL violation pySHACL finds in `graph`, as problems naming the record and the property."""
    report = _report(graph)
    if report is None:
        return []
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = _local(report.value(result, SH.focusNode))
        path = _local(report.value(result, SH.resultPath))
        message = report.value(result, SH.resultMessage)
        shape = _local(report.value(result, SH.sourceShape)) or "shape"
        text = str(message) if isinstance(message, Literal) else "violates " + shape
        problems.append(Problem(f"SHACL: {text}", record=focus, field=path))
    return sorted(problems, key=lambda p: (p.record or "", p.field or "", p.message))


def shacl_violations(graph: Graph) -> set[Violation]:
    """pySHACL's violations in `graph` as (record, path, node shape, constraint component): the
    terms the compiled checks are compared in (a property shape is named by its node shape)."""
    report = _report(graph)
    if report is None:
        return set()
    shapes = load_shapes()
    found: set[Violation] = set()
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        source = report.value(result, SH.sourceShape)
        if isinstance(source, BNode):  # a property shape, or a member of an sh:or: name its node shape
            while isinstance(source, BNode):
                owner = next(iter(shapes.subjects(None, source)), None)
                source = owner
        component = _local(report.value(result, SH.sourceConstraintComponent)) or ""
        focus = _local(report.value(result, SH.focusNode))
        found.add((focus, _local(report.value(result, SH.resultPath)), _local(source) or "", component))
    return found


def reference_problems(data: Dataset, schema: Schema | None = None) -> list[Problem]:
    """pySHACL's problems of a loaded dataset on its RDF rendering, with the file and line of each record."""
    schema = schema or load_schema()
    problems = shacl_problems(to_rdf(data.nodes.values(), data.edges.values(), schema))
    for problem in problems:
        record = data.nodes.get(problem.record or "") or data.edges.get(problem.record or "")
        if record is not None and record.origin is not None:
            problem.file, problem.line = record.origin.file, record.origin.line
    return problems


def check_dataset(data: Dataset, schema: Schema | None = None) -> list[Problem]:
    """SHACL problems of a loaded dataset (the compiled checks), each with its record's file and line."""
    return shape_problems(data)
