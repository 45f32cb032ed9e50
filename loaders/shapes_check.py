"""The SHACL shapes compiled to direct checks over node and edge records (no RDF rendering).

`ontology/shapes.ttl` is read once and each constraint becomes a small Python check that runs
straight over a `Dataset`, with the semantics pySHACL gives the same constraint on the RDF
rendering of `ontology.rdf` (nodes typed with their class closure; an edge as an rdf:Statement
carrying its properties). Only the constructs listed in `_NODE_KEYS` and `_PROPERTY_KEYS` are
implemented; a shape using anything else raises `OntologyError` naming it, so a new shape can
never be silently skipped. pySHACL stays the reference (`loaders.shacl.reference_problems`); a
differential test holds the two to the same violations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ontology.errors import OntologyError, Problem
from ontology.records import Dataset, Edge, Node
from ontology.schema import SH, Schema, load_schema, load_shapes

Record = Node | Edge
Term = tuple[str | None, str, Any]  # datatype IRI (None for a plain string), lexical form, value
Found = tuple[str, str | None, str, str, str]  # record, path, shape, component, message

_NODE_KEYS = {
    RDF.type, RDFS.comment, RDFS.label, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.property, SH["class"], SH["or"],
}  # fmt: skip
_PROPERTY_KEYS = {
    RDF.type, RDFS.comment, SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.minLength, SH.pattern,
    SH["in"], SH.hasValue, SH.lessThanOrEquals, SH.minExclusive, SH.maxInclusive, SH["class"],
}  # fmt: skip
_XSD = {"string": None, "anyURI": str(XSD.anyURI), "date": str(XSD.date), "decimal": str(XSD.decimal)}
_XSD |= {"integer": str(XSD.integer), "boolean": str(XSD.boolean)}
_NUMERIC = {str(XSD.decimal), str(XSD.integer)}
_PYTHON_TYPE: dict[str, type | tuple[type, ...]] = {
    str(XSD.string): str, str(XSD.decimal): Decimal, str(XSD.integer): int, str(XSD.boolean): bool,
    str(XSD.date): dt.date,
}  # fmt: skip


@lru_cache(maxsize=1 << 16, typed=True)  # sources and confidences repeat across records
def _term(value: object, datatype: str) -> Term:
    """The literal `ontology.rdf` renders for a value: datatype, lexical form and parsed value."""
    if datatype == "date" and isinstance(value, dt.date):
        return _XSD["date"], value.isoformat(), value
    if datatype == "decimal":
        lexical = format(Decimal(str(value)), "f")
        return _XSD["decimal"], lexical, Decimal(lexical) if Decimal(lexical).is_finite() else None
    if datatype == "boolean":
        return _XSD["boolean"], "true" if value else "false", bool(value)
    if datatype == "integer" and isinstance(value, int):
        return _XSD["integer"], str(value), value
    return _XSD.get(datatype), str(value), str(value)


def _rdf_term(node: object) -> Term:
    if isinstance(node, Literal):
        return (str(node.datatype) if node.datatype else None), str(node), node.toPython()
    return None, str(node), str(node)


@dataclass
class _Focus:
    """What a check sees of one focus node: its record (None for an id no record holds) and values."""

    id: str
    record: Record | None
    schema: Schema
    terms: dict[str, list[Term]] = field(default_factory=dict)

    def values(self, prop: str) -> list[Term]:
        if prop not in self.terms:
            spec = self.schema.properties[prop]
            raw = self.record.props.get(prop) if self.record is not None else None
            items = [] if raw is None else raw if isinstance(raw, list) else [raw]
            self.terms[prop] = list(dict.fromkeys(_term(item, spec.datatype) for item in items))  # a set of triples
        return self.terms[prop]


Check = Callable[[_Focus], Iterator[tuple[str, str]]]  # yields (component, message)


@dataclass(frozen=True)
class _PropertyShape:
    path: str  # the property's snake name
    local: str  # the path IRI's local name, as pySHACL reports it
    checks: tuple[Check, ...]

    def run(self, focus: _Focus) -> Iterator[tuple[str, str]]:
        for check in self.checks:
            yield from check(focus)


@dataclass(frozen=True)
class _NodeShape:
    name: str
    comment: str
    targets: tuple[Callable[[Dataset], Iterator[str]], ...]
    properties: tuple[_PropertyShape, ...]
    checks: tuple[Check, ...]  # on the focus node itself


def _local(term: object) -> str:
    return str(term).split("#")[-1]


class _Compiler:
    def __init__(self, shapes: Graph, schema: Schema) -> None:
        self.g = shapes
        self.schema = schema
        self.prop_by_iri = {spec.iri: name for name, spec in schema.properties.items()}
        self.rel_by_iri = {spec.iri: name for name, spec in schema.relationships.items()}
        self.class_by_iri = {spec.iri: name for name, spec in schema.classes.items()}
        self.shape = ""

    def refuse(self, what: str) -> OntologyError:
        return OntologyError(f"shapes.ttl: {self.shape} uses {what}, which the compiled checks do not implement")

    def one(self, subject: object, predicate: URIRef) -> Any:
        values = list(self.g.objects(subject, predicate))  # type: ignore[arg-type]
        if len(values) != 1:
            raise self.refuse(f"{len(values)} values of {_local(predicate)}")
        return values[0]

    def allowed(self, subject: object, keys: set[URIRef]) -> None:
        for predicate in set(self.g.predicates(subject)):  # type: ignore[arg-type]
            if predicate not in keys:
                raise self.refuse(_local(predicate))

    def node_shape(self, subject: URIRef) -> _NodeShape:
        self.shape = _local(subject)
        self.allowed(subject, _NODE_KEYS)
        targets = [self.target(p, o) for p, o in self.g.predicate_objects(subject) if str(p).startswith(str(SH) + "t")]
        properties = tuple(self.property_shape(p) for p in self.g.objects(subject, SH.property))
        comment = str(self.g.value(subject, RDFS.comment) or "")
        checks: list[Check] = [self.focus_class(c) for c in self.g.objects(subject, SH["class"])]
        for alternatives in self.g.objects(subject, SH["or"]):
            checks.append(self.either(alternatives, comment))
        return _NodeShape(self.shape, comment, tuple(targets), properties, tuple(checks))

    def target(self, predicate: object, obj: object) -> Callable[[Dataset], Iterator[str]]:
        iri = str(obj)
        if predicate == SH.targetClass and obj == RDF.Statement:
            return lambda data: iter(data.edges)
        if predicate == SH.targetClass and iri in self.class_by_iri:
            label = self.class_by_iri[iri]
            return lambda data: (n.id for n in data.nodes.values() if label in n.labels)
        if predicate in (SH.targetSubjectsOf, SH.targetObjectsOf) and iri in self.rel_by_iri:
            rel, end = self.rel_by_iri[iri], "source" if predicate == SH.targetSubjectsOf else "target"
            return lambda data: iter(dict.fromkeys(getattr(e, end) for e in data.edges.values() if e.type == rel))
        if predicate == SH.targetSubjectsOf and iri in self.prop_by_iri:
            prop = self.prop_by_iri[iri]
            return lambda data: _with_property(data, prop)
        raise self.refuse(f"the target {_local(predicate)} {_local(obj)}")

    def property_shape(self, subject: object) -> _PropertyShape:
        self.allowed(subject, _PROPERTY_KEYS)
        path = self.one(subject, SH.path)
        if str(path) not in self.prop_by_iri:
            raise self.refuse(f"the path {path} (only datatype properties of the ontology are implemented)")
        prop = self.prop_by_iri[str(path)]
        checks: list[Check] = []
        for predicate, obj in self.g.predicate_objects(subject):  # type: ignore[arg-type]
            make = _PROPERTY_CHECKS.get(URIRef(str(predicate)))
            if make is not None:
                checks.append(make(self, prop, obj))
        return _PropertyShape(prop, _local(path), tuple(checks))

    def focus_class(self, cls: object) -> Check:
        label = self.class_by_iri.get(str(cls))
        if label is None:
            raise self.refuse(f"sh:class {cls}")

        def check(focus: _Focus) -> Iterator[tuple[str, str]]:
            if not isinstance(focus.record, Node) or label not in focus.record.labels:
                yield "ClassConstraintComponent", f"{focus.id} is not a {label}"

        return check

    def either(self, alternatives: object, comment: str) -> Check:
        """sh:or of property shapes; a violation says what the shape's comment says it asks for."""
        options = []
        for member in Collection(self.g, alternatives):  # type: ignore[arg-type]
            if not isinstance(member, BNode) or self.g.value(member, SH.path) is None:
                raise self.refuse("sh:or with a member that is not a property shape")
            options.append(self.property_shape(member))

        def check(focus: _Focus) -> Iterator[tuple[str, str]]:
            if all(any(True for _ in option.run(focus)) for option in options):
                yield "OrConstraintComponent", comment or "meets none of its alternatives"

        return check

    def in_list(self, head: object) -> list[Term]:
        return [_rdf_term(t) for t in Collection(self.g, head)]  # type: ignore[arg-type]


def _with_property(data: Dataset, prop: str) -> Iterator[str]:
    """Ids of the nodes and edges that carry `prop` (a triple: not None, not an empty list)."""
    records: list[Record] = [*data.nodes.values(), *data.edges.values()]
    for record in records:
        value = record.props.get(prop)
        if value is not None and value != []:
            yield record.id


def _count(bound: str, compiler: _Compiler, prop: str, obj: object) -> Check:
    limit = int(obj.toPython()) if isinstance(obj, Literal) else -1

    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        count = len(focus.values(prop))
        if bound == "min" and count < limit:
            yield "MinCountConstraintComponent", f"needs at least {limit} value(s), has {count}"
        elif bound == "max" and count > limit:
            yield "MaxCountConstraintComponent", f"takes at most {limit} value(s), has {count}"

    return check


def _datatype(compiler: _Compiler, prop: str, obj: object) -> Check:
    wanted = str(obj)
    python_type = _PYTHON_TYPE.get(wanted)
    if python_type is None:
        raise compiler.refuse(f"sh:datatype {obj}")
    plain = wanted == str(XSD.string)

    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        for datatype, lexical, value in focus.values(prop):
            matches = (datatype == wanted or (plain and datatype is None)) and isinstance(value, python_type)
            if not matches or (python_type is int and isinstance(value, bool)):
                yield "DatatypeConstraintComponent", f"{lexical!r} is not of datatype {_local(obj)}"

    return check


def _min_length(compiler: _Compiler, prop: str, obj: object) -> Check:
    limit = int(obj.toPython()) if isinstance(obj, Literal) else 0

    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        for _, lexical, _ in focus.values(prop):
            if len(lexical) < limit:
                yield "MinLengthConstraintComponent", f"{lexical!r} is shorter than {limit} character(s)"

    return check


def _pattern(compiler: _Compiler, prop: str, obj: object) -> Check:
    regex = re.compile(str(obj))

    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        for _, lexical, _ in focus.values(prop):
            if not regex.search(lexical):
                yield "PatternConstraintComponent", f"{lexical!r} does not match {regex.pattern}"

    return check


def _in(compiler: _Compiler, prop: str, obj: object) -> Check:
    allowed = {(datatype, lexical) for datatype, lexical, _ in compiler.in_list(obj)}
    shown = ", ".join(sorted(lexical for _, lexical in allowed))

    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        for datatype, lexical, _ in focus.values(prop):
            if (datatype, lexical) not in allowed:
                yield "InConstraintComponent", f"{lexical!r} is not one of {shown}"

    return check


def _has_value(compiler: _Compiler, prop: str, obj: object) -> Check:
    wanted = _rdf_term(obj)[:2]

    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        if not any(term[:2] == wanted for term in focus.values(prop)):
            yield "HasValueConstraintComponent", f"does not have the value {wanted[1]}"

    return check


def _less_or_equal(compiler: _Compiler, prop: str, obj: object) -> Check:
    other = compiler.prop_by_iri.get(str(obj))
    if other is None:
        raise compiler.refuse(f"sh:lessThanOrEquals {obj}")

    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        for _, lexical, value in focus.values(prop):
            for _, other_lexical, other_value in focus.values(other):
                if isinstance(value, str) != isinstance(other_value, str) or not _le(value, other_value):
                    yield "LessThanOrEqualsConstraintComponent", f"{lexical} is after {other} {other_lexical}"

    return check


def _le(a: Any, b: Any) -> bool:
    try:
        return bool(a <= b)
    except TypeError:
        return False


def _bound(kind: str) -> Callable[[_Compiler, str, object], Check]:
    def make(compiler: _Compiler, prop: str, obj: object) -> Check:
        _, bound_lexical, bound = _rdf_term(obj)
        if isinstance(bound, bool) or not isinstance(bound, int | Decimal | float):
            raise compiler.refuse(f"sh:{kind} {obj} (only numeric bounds are implemented)")

        def check(focus: _Focus) -> Iterator[tuple[str, str]]:
            for datatype, lexical, value in focus.values(prop):
                numeric = datatype in _NUMERIC and value is not None and not isinstance(value, bool)
                ok = numeric and (value > bound if kind == "minExclusive" else value <= bound)
                if not ok:
                    relation = "greater than" if kind == "minExclusive" else "at most"
                    yield (
                        f"{kind[0].upper()}{kind[1:]}ConstraintComponent",
                        f"{lexical} must be {relation} {bound_lexical}",
                    )

        return check

    return make


def _class(compiler: _Compiler, prop: str, obj: object) -> Check:
    def check(focus: _Focus) -> Iterator[tuple[str, str]]:
        for _, lexical, _ in focus.values(prop):  # a literal is an instance of no class
            yield "ClassConstraintComponent", f"{lexical!r} is not a {_local(obj)}"

    return check


_PROPERTY_CHECKS: dict[URIRef, Callable[[_Compiler, str, object], Check]] = {
    SH.minCount: lambda c, p, o: _count("min", c, p, o),
    SH.maxCount: lambda c, p, o: _count("max", c, p, o),
    SH.datatype: _datatype,
    SH.minLength: _min_length,
    SH.pattern: _pattern,
    SH["in"]: _in,
    SH.hasValue: _has_value,
    SH.lessThanOrEquals: _less_or_equal,
    SH.minExclusive: _bound("minExclusive"),
    SH.maxInclusive: _bound("maxInclusive"),
    SH["class"]: _class,
}


def compile_shapes(shapes: Graph, schema: Schema) -> tuple[_NodeShape, ...]:
    """Every node shape of `shapes` as direct checks; `OntologyError` naming a shape that uses an
    unimplemented construct, or a shape the compiled checks would not reach."""
    compiler = _Compiler(shapes, schema)
    subjects = set(shapes.subjects(RDF.type, SH.NodeShape))
    for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
        subjects |= set(shapes.subjects(predicate, None))
    subjects |= set(shapes.subjects(RDF.type, SH.PropertyShape)) - set(shapes.objects(None, SH.property))
    compiled = []
    for subject in sorted(subjects, key=str):
        if not isinstance(subject, URIRef):
            compiler.shape = str(subject)
            raise compiler.refuse("a blank node shape with targets")
        compiled.append(compiler.node_shape(subject))
    return tuple(compiled)


@cache
def compiled_shapes() -> tuple[_NodeShape, ...]:
    """The project's shapes, compiled once per process."""
    return compile_shapes(load_shapes(), load_schema())


def violations(data: Dataset, shapes: tuple[_NodeShape, ...] | None = None) -> list[Found]:
    """Every violation as (record, path local name, shape, constraint component, message)."""
    schema = load_schema()
    found: list[Found] = []
    focus_of: dict[str, _Focus] = {}
    for shape in shapes if shapes is not None else compiled_shapes():
        for target in shape.targets:
            for focus_id in dict.fromkeys(target(data)):
                focus = focus_of.get(focus_id)
                if focus is None:
                    record = data.nodes.get(focus_id) or data.edges.get(focus_id)
                    focus = focus_of[focus_id] = _Focus(focus_id, record, schema)
                for check in shape.checks:
                    found.extend((focus_id, None, shape.name, c, m) for c, m in check(focus))
                for prop in shape.properties:
                    found.extend((focus_id, prop.local, shape.name, c, m) for c, m in prop.run(focus))
    return found


def shape_problems(data: Dataset) -> list[Problem]:
    """SHACL problems of a loaded dataset, each with the file and line its record came from."""
    schema = load_schema()
    by_local = {spec.iri.split("#")[-1]: name for name, spec in schema.properties.items()}
    problems = []
    for record_id, local, shape, _, message in violations(data):
        record = data.nodes.get(record_id) or data.edges.get(record_id)
        origin = record.origin if record is not None else None
        problems.append(
            Problem(
                f"SHACL {shape}: {message}",
                file=origin.file if origin else None,
                line=origin.line if origin else None,
                record=record_id,
                field=by_local.get(local or "", local),
            )
        )
    return sorted(problems, key=lambda p: (p.record or "", p.field or "", p.message))
