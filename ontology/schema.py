"""Compile the OWL ontology into the schema every other module derives from.

The Turtle file is the single source of truth: node labels are its classes, relationship types
its object properties (camelCase -> UPPER_SNAKE), properties its datatype properties
(camelCase -> snake_case). `compile_schema` checks the ontology for consistency and raises
`OntologyError` on the first class of problem it finds, listing every instance of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from ontology.errors import OntologyError
from ontology.vocab import Label, Prop, Rel

CT = Namespace("https://w3id.org/chiptrail/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
HERE = Path(__file__).parent
ONTOLOGY_PATH = HERE / "chiptrail.ttl"
SHAPES_PATH = HERE / "shapes.ttl"

DATATYPES = {
    XSD.string: "string",
    XSD.date: "date",
    XSD.decimal: "decimal",
    XSD.integer: "integer",
    XSD.boolean: "boolean",
    XSD.anyURI: "anyURI",
}


def upper_snake(name: str) -> str:
    """`leasesComputeTo` -> `LEASES_COMPUTE_TO`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def snake(name: str) -> str:
    """`interconnectGbps` -> `interconnect_gbps`; `peakTopsFp8` -> `peak_tops_fp8`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class ClassSpec:
    label: str
    iri: str
    parents: frozenset[str]
    name_en: str
    name_zh: str | None
    comment: str


@dataclass(frozen=True)
class RelSpec:
    type: str
    iri: str
    domains: frozenset[str]
    ranges: frozenset[str]
    comment: str


@dataclass(frozen=True)
class PropertySpec:
    name: str
    iri: str
    datatype: str
    multi: bool
    node_domains: frozenset[str]
    on_every_node: bool
    on_every_edge: bool
    edge_types: frozenset[str]
    comment: str
    minimum: float | None = None  # ct:minInclusive
    maximum: float | None = None  # ct:maxInclusive


@dataclass(frozen=True)
class Schema:
    """The compiled ontology. Immutable; build it with `load_schema()`."""

    classes: dict[str, ClassSpec]
    relationships: dict[str, RelSpec]
    properties: dict[str, PropertySpec]
    # Worked out once per label or set of labels: every record a source makes or a read returns asks.
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _closures: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def ancestors(self, label: str) -> frozenset[str]:
        """The label and every class above it in the ontology."""
        found = self._ancestors.get(label)
        if found is None:
            found = self._ancestors[label] = self._walk_up(label)
        return found

    def _walk_up(self, label: str) -> frozenset[str]:
        seen: set[str] = set()
        todo = [label]
        while todo:
            current = todo.pop()
            if current in seen or current not in self.classes:
                continue
            seen.add(current)
            todo.extend(self.classes[current].parents)
        return frozenset(seen)

    def closure(self, labels: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Labels plus every superclass, in a stable order (most general first)."""
        key = tuple(labels)
        found = self._closures.get(key)
        if found is None:
            above: set[str] = set()
            for label in key:
                above |= self.ancestors(label)
            found = self._closures[key] = tuple(sorted(above, key=lambda lab: (len(self.ancestors(lab)), lab)))
        return found

    def node_properties(self, labels: tuple[str, ...]) -> dict[str, PropertySpec]:
        """Properties a node with these labels may carry."""
        allowed = set(self.closure(labels))
        return {
            name: spec for name, spec in self.properties.items() if spec.on_every_node or spec.node_domains & allowed
        }

    def edge_properties(self, rel_type: str) -> dict[str, PropertySpec]:
        """Properties a relationship of this type may carry."""
        return {
            name: spec for name, spec in self.properties.items() if spec.on_every_edge or rel_type in spec.edge_types
        }

    def allows(self, rel_type: str, from_labels: tuple[str, ...], to_labels: tuple[str, ...]) -> bool:
        """Whether the ontology's domain and range admit this edge."""
        rel = self.relationships[rel_type]
        return bool(rel.domains & set(self.closure(from_labels))) and bool(rel.ranges & set(self.closure(to_labels)))


def _local(iri: object) -> str:
    return str(iri).split("#")[-1]


def _classes_of(graph: Graph, node: object) -> list[URIRef]:
    """A class IRI, or the members of an owl:unionOf blank node."""
    if isinstance(node, URIRef):
        return [node]
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        if union is not None:
            return [m for m in Collection(graph, union) if isinstance(m, URIRef)]
    return []


def _text(graph: Graph, subject: URIRef, predicate: URIRef, lang: str | None = None) -> str | None:
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and (lang is None or value.language == lang):
            return str(value)
    return None


def _flag(graph: Graph, subject: URIRef, predicate: URIRef) -> bool:
    return any(bool(v.toPython()) for v in graph.objects(subject, predicate) if isinstance(v, Literal))


def _compile_classes(graph: Graph, problems: list[str]) -> dict[str, ClassSpec]:
    classes: dict[str, ClassSpec] = {}
    for iri in sorted(s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)):
        if not str(iri).startswith(str(CT)):
            continue
        label = _local(iri)
        parents = frozenset(_local(p) for p in graph.objects(iri, RDFS.subClassOf) if str(p).startswith(str(CT)))
        name_en = _text(graph, iri, RDFS.label, "en")
        if name_en is None:
            problems.append(f"class {label} has no English rdfs:label")
        classes[label] = ClassSpec(
            label,
            str(iri),
            parents,
            name_en or label,
            _text(graph, iri, RDFS.label, "zh"),
            _text(graph, iri, RDFS.comment) or "",
        )
    for spec in classes.values():
        for parent in spec.parents - classes.keys():
            problems.append(f"class {spec.label} is a subclass of undeclared class {parent}")
    return classes


def _compile_relationships(graph: Graph, classes: dict[str, ClassSpec], problems: list[str]) -> dict[str, RelSpec]:
    rels: dict[str, RelSpec] = {}
    for iri in sorted(s for s in graph.subjects(RDF.type, OWL.ObjectProperty) if isinstance(s, URIRef)):
        name = upper_snake(_local(iri))
        ends: list[frozenset[str]] = []
        for predicate in (RDFS.domain, RDFS.range):
            members = [c for v in graph.objects(iri, predicate) for c in _classes_of(graph, v)]
            labels = frozenset(_local(m) for m in members)
            if not labels:
                problems.append(f"relationship {name} has no {_local(predicate)}")
            for unknown in labels - classes.keys():
                problems.append(f"relationship {name} names undeclared class {unknown}")
            ends.append(labels)
        if name in rels:
            problems.append(f"relationship type {name} is declared twice")
        rels[name] = RelSpec(name, str(iri), ends[0], ends[1], _text(graph, iri, RDFS.comment) or "")
    return rels


def _bound(graph: Graph, subject: URIRef, predicate: URIRef, problems: list[str]) -> float | None:
    """A numeric range annotation, or None; anything but a number is a problem of the ontology."""
    value = graph.value(subject, predicate)
    if value is None:
        return None
    number = value.toPython() if isinstance(value, Literal) else None
    if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
        problems.append(f"property {snake(_local(subject))}: {_local(predicate)} must be a number, got {value}")
        return None
    return float(number)


def _compile_properties(
    graph: Graph, classes: dict[str, ClassSpec], rels: dict[str, RelSpec], problems: list[str]
) -> dict[str, PropertySpec]:
    props: dict[str, PropertySpec] = {}
    by_iri = {spec.iri: spec.type for spec in rels.values()}
    for iri in sorted(s for s in graph.subjects(RDF.type, OWL.DatatypeProperty) if isinstance(s, URIRef)):
        name = snake(_local(iri))
        range_ = graph.value(iri, RDFS.range)
        if not isinstance(range_, URIRef) or range_ not in DATATYPES:
            problems.append(f"property {name} has unsupported or missing XSD range {range_}")
            continue
        domains = frozenset(_local(c) for v in graph.objects(iri, RDFS.domain) for c in _classes_of(graph, v))
        for unknown in domains - classes.keys():
            problems.append(f"property {name} names undeclared class {unknown}")
        edge_types = frozenset(by_iri.get(str(e), f"?{e}") for e in graph.objects(iri, CT.onEdge))
        for unknown in (t for t in edge_types if t.startswith("?")):
            problems.append(f"property {name} is declared on unknown relationship {unknown[1:]}")
        spec = PropertySpec(
            name,
            str(iri),
            DATATYPES[range_],
            _flag(graph, iri, CT.multiValued),
            domains,
            _flag(graph, iri, CT.onEveryNode),
            _flag(graph, iri, CT.onEveryEdge),
            edge_types,
            _text(graph, iri, RDFS.comment) or "",
            _bound(graph, iri, CT.minInclusive, problems),
            _bound(graph, iri, CT.maxInclusive, problems),
        )
        if not (spec.node_domains or spec.on_every_node or spec.on_every_edge or spec.edge_types):
            problems.append(f"property {name} has no domain: no node or edge may carry it")
        if name in props:
            problems.append(f"property {name} is declared twice")
        props[name] = spec
    return props


def _check_no_cycles(classes: dict[str, ClassSpec], problems: list[str]) -> None:
    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for parent in classes[start].parents & classes.keys():
            if parent == target or (parent not in seen and reaches(parent, target, seen | {parent})):
                return True
        return False

    for label in classes:
        if reaches(label, label, set()):
            problems.append(f"class {label} is its own superclass")


def _check_shapes(shapes: Graph, schema: Schema, problems: list[str]) -> None:
    known_iris = {c.iri for c in schema.classes.values()} | {p.iri for p in schema.properties.values()}
    known_iris |= {r.iri for r in schema.relationships.values()}
    for predicate in (SH.targetClass, SH["class"], SH.path):
        for term in shapes.objects(None, predicate):
            if isinstance(term, URIRef) and str(term).startswith(str(CT)) and str(term) not in known_iris:
                problems.append(f"shapes.ttl refers to {_local(term)}, which the ontology does not declare")


def compile_schema(ontology: Graph, shapes: Graph | None = None) -> Schema:
    """Build the schema from parsed graphs; raise `OntologyError` listing every inconsistency."""
    problems: list[str] = []
    classes = _compile_classes(ontology, problems)
    _check_no_cycles(classes, problems)
    rels = _compile_relationships(ontology, classes, problems)
    props = _compile_properties(ontology, classes, rels, problems)
    clash = set(classes) & set(rels) | set(classes) & set(props)
    problems.extend(f"name {name} is used by two kinds of term" for name in sorted(clash))
    schema = Schema(classes, rels, props)
    if shapes is not None:
        _check_shapes(shapes, schema, problems)
    if problems:
        raise OntologyError("inconsistent ontology:\n  " + "\n  ".join(problems))
    return schema


def parse_turtle(path: Path) -> Graph:
    """Parse a Turtle file, turning a syntax error into an `OntologyError` naming the file."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise OntologyError(f"{path}: cannot parse Turtle: {exc}") from exc
    return graph


@cache
def load_schema() -> Schema:
    """The project's schema, compiled once per process from `chiptrail.ttl` and `shapes.ttl`."""
    schema = compile_schema(parse_turtle(ONTOLOGY_PATH), load_shapes())
    check_code_terms(schema)
    return schema


@cache
def load_shapes() -> Graph:
    """The SHACL shapes graph, parsed once per process (the schema's consistency check reads it too).

    Both caches hold package data, so they cannot go stale; another ontology needs a new process.
    """
    return parse_turtle(SHAPES_PATH)


def _constants(holder: type) -> list[str]:
    return [v for k, v in vars(holder).items() if k.isupper() and isinstance(v, str)]


def check_code_terms(schema: Schema) -> None:
    """Raise `OntologyError` if the ontology no longer declares a name the code relies on (`ontology.vocab`)."""
    missing = [f"class {x}" for x in _constants(Label) if x not in schema.classes]
    missing += [f"relationship {x}" for x in _constants(Rel) if x not in schema.relationships]
    missing += [f"property {x}" for x in _constants(Prop) if x not in schema.properties]
    if missing:
        raise OntologyError("the code relies on terms the ontology does not declare: " + ", ".join(missing))
