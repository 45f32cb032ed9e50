"""The curated YAML dataset and illustrative scenarios -> validated node and edge records.

A file is a mapping with `nodes:` and `edges:` lists and optional `defaults:` applied to every
record in it. A node names `id` and `labels`; an edge names `type`, `from` and `to`; every other
key is a property the ontology must allow. Every problem found is reported at once, each with
file, line, record and field; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from loaders.coerce import CoercionError, coerce, shown
from loaders.consistency import stake_problems
from loaders.yamlevents import LINE, LINES
from loaders.yamlfile import read_yaml
from ontology.criteria import EXPECTED, EXPECTED_ELIGIBILITY, read_criteria, read_eligibility
from ontology.errors import DataError, Problem
from ontology.records import Dataset, Edge, Node, Origin, Props, collector_paused, default_edge_id
from ontology.schema import PropertySpec, Schema, load_schema
from ontology.vocab import CONFIDENCE_LEVELS, Label, Prop

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
NODE_KEYS = {"id", "labels"}
EDGE_KEYS = {"type", "from", "to"}
_SKIPPED_NODE = frozenset(NODE_KEYS - {"id"} | {LINE, LINES})  # keys `_props` passes over
_SKIPPED_EDGE = frozenset(EDGE_KEYS - {"id"} | {LINE, LINES})


def discover(paths: Iterable[Path]) -> list[Path]:
    """YAML files under the given files and folders, sorted so loading is deterministic."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"}))
        else:
            found.append(path)
    return found


def _clip(value: object) -> str:
    return shown(value) if not isinstance(value, str) else (value if len(value) <= 80 else value[:79] + "…")


SHOWN_OPTIONS = 25  # an error stays a few lines long however large the ontology grows


def _suggest(word: str, allowed: Iterable[str]) -> str:
    options = sorted(allowed)
    close = difflib.get_close_matches(word, options, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    more = f" … ({len(options) - SHOWN_OPTIONS} more)" if len(options) > SHOWN_OPTIONS else ""
    return f"{hint}; allowed: {', '.join(options[:SHOWN_OPTIONS])}{more}"


class _FileReader:
    """Turns one parsed file into records, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path, schema: Schema) -> None:
        self.path = path
        self.schema = schema
        self.problems: list[Problem] = []
        # what the schema answers for each combination of labels and each type, asked once per file
        self._closures: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._node_specs: dict[tuple[str, ...], dict[str, PropertySpec]] = {}
        self._edge_specs: dict[str, dict[str, PropertySpec]] = {}

    def _closure(self, labels: tuple[str, ...]) -> tuple[str, ...]:
        if labels not in self._closures:
            closure = self._closures[labels] = self.schema.closure(labels)
            self._node_specs[labels] = self.schema.node_properties(closure)
        return self._closures[labels]

    def problem(self, message: str, raw: dict[str, Any], key: object = None, record: str | None = None) -> None:
        line = raw.get(LINES, {}).get(key, raw.get(LINE)) if key is not None else raw.get(LINE)
        field = _clip(key) if key is not None else None
        self.problems.append(Problem(message, file=str(self.path), line=line, record=record, field=field))

    def read(self, document: Any) -> tuple[list[Node], list[Edge]]:
        if document is None:
            return [], []
        if not isinstance(document, dict):
            self.problems.append(Problem("top level must be a mapping with nodes: and edges:", file=str(self.path)))
            return [], []
        for key in set(document) - {"nodes", "edges", "defaults", LINE, LINES}:
            self.problem("unknown top-level key; allowed: defaults, edges, nodes", document, key)
        raw_defaults = document.get("defaults") or {}
        if not isinstance(raw_defaults, dict):
            self.problem(f"'defaults' must be a mapping of properties, got {shown(raw_defaults)}", document, "defaults")
            raw_defaults = {}
        defaults = {k: v for k, v in raw_defaults.items() if k not in (LINE, LINES)}
        nodes = [n for raw in self._items(document, "nodes") if (n := self._node({**defaults, **raw}))]
        edges = [e for raw in self._items(document, "edges") if (e := self._edge({**defaults, **raw}))]
        return nodes, edges

    def _items(self, document: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
        items = document.get(key) or []
        if not isinstance(items, list):
            self.problem(f"'{key}' must be a list of records", document, key)
            return
        for item in items:
            if isinstance(item, dict):
                yield item
            else:
                self.problem(f"each entry of '{key}' must be a mapping, got {shown(item)}", document, key)

    def _node(self, raw: dict[str, Any]) -> Node | None:
        node_id = raw.get("id")
        if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
            self.problem(f"'id' must be lower-case kebab text, got {shown(node_id)}", raw, "id")
            return None
        labels = raw.get("labels")
        if isinstance(labels, str):
            labels = [labels]
        if not isinstance(labels, list) or not labels or not all(isinstance(lab, str) for lab in labels):
            self.problem(f"'labels' must list class names, got {shown(labels)}", raw, "labels", node_id)
            return None
        unknown = [lab for lab in labels if lab not in self.schema.classes]
        for lab in unknown:
            self.problem(f"unknown label '{lab}'{_suggest(str(lab), self.schema.classes)}", raw, "labels", node_id)
        if unknown:
            return None
        closure = self._closure(tuple(labels))
        props = self._props(raw, _SKIPPED_NODE, self._node_specs[tuple(labels)], node_id, "/".join(labels))
        if Label.SOURCE not in closure:
            self._check_evidence(raw, props, node_id)
        else:
            self._check_address(raw, props, node_id)
        self._check_criteria(raw, props, node_id)
        return Node(node_id, closure, props, Origin(str(self.path), raw.get(LINE)))

    def _edge(self, raw: dict[str, Any]) -> Edge | None:
        rel_type, source, target = raw.get("type"), raw.get("from"), raw.get("to")
        where = f"{_clip(source)} -[{_clip(rel_type)}]-> {_clip(target)}"
        if not isinstance(rel_type, str):
            self.problem(f"'type' must name one relationship type, got {shown(rel_type)}", raw, "type", where)
            return None
        if rel_type not in self.schema.relationships:
            self.problem(
                f"unknown relationship type {shown(rel_type)}{_suggest(rel_type, self.schema.relationships)}",
                raw,
                "type",
                where,
            )
            return None
        for key, value in (("from", source), ("to", target)):
            if not isinstance(value, str) or not value:
                self.problem(f"'{key}' must name a node id", raw, key, where)
                return None
        assert isinstance(source, str) and isinstance(target, str)
        if rel_type not in self._edge_specs:
            self._edge_specs[rel_type] = self.schema.edge_properties(rel_type)
        props = self._props(raw, _SKIPPED_EDGE, self._edge_specs[rel_type], where, rel_type)
        self._check_evidence(raw, props, where)
        edge_id = str(props.pop(Prop.ID, default_edge_id(source, rel_type, target)))
        if Prop.ID in raw and not ID_PATTERN.match(edge_id):
            self.problem(f"'id' must be lower-case kebab text, got {shown(edge_id)}", raw, "id", where)
        return Edge(edge_id, rel_type, source, target, props, Origin(str(self.path), raw.get(LINE)))

    def _props(
        self, raw: dict[str, Any], skipped: frozenset[str], allowed: dict[str, PropertySpec], record: str, kind: str
    ) -> Props:
        props: Props = {}
        for key, value in raw.items():
            if key in skipped or value is None:
                continue
            spec = allowed.get(key)
            if spec is None:
                self.problem(f"unknown property for {kind}{_suggest(str(key), allowed)}", raw, key, record)
                continue
            try:
                props[key] = coerce(value, spec)
            except CoercionError as exc:
                self.problem(str(exc), raw, key, record)
        if skipped is _SKIPPED_NODE:  # a node's id is its key, not a property
            props.pop(Prop.ID, None)
        start, end = props.get(Prop.VALID_FROM), props.get(Prop.VALID_TO)
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.problem(f"valid_to {end} is before valid_from {start}", raw, Prop.VALID_TO, record)
        return props

    def _check_criteria(self, raw: dict[str, Any], props: Props, record: str) -> None:
        """Every criteria and eligibility line of a rule follows the grammar the restriction reasoning reads."""
        for key, read, expected in (
            (Prop.CRITERIA, read_criteria, EXPECTED),
            (Prop.ELIGIBILITY, read_eligibility, EXPECTED_ELIGIBILITY),
        ):
            lines = props.get(key)
            for line in lines if isinstance(lines, list) else []:
                if read(line) is None:
                    self.problem(f"cannot read {key} line {shown(line)}: {expected}", raw, key, record)

    def _check_address(self, raw: dict[str, Any], props: Props, record: str) -> None:
        """A source's address is the document it cites, not a site's home page: a path beyond '/', or a
        query that names the document (a `?p=123` permalink)."""
        url = props.get(Prop.URL)
        if url is None:
            return
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.problem(f"'url' must be an http(s) address, got {url!r}", raw, Prop.URL, record)
        elif parts.path in ("", "/") and not parts.query:
            self.problem(
                f"'url' {url!r} names a site, not a document: give the document's address, "
                "or leave url out and say in the note what the citation gives",
                raw,
                Prop.URL,
                record,
            )

    def _check_evidence(self, raw: dict[str, Any], props: Props, record: str) -> None:
        """Every assertion cites a source and states a confidence; fiction says it is fiction."""
        if not props.get(Prop.SOURCES):
            self.problem("every record must cite at least one source", raw, Prop.SOURCES, record)
        confidence = props.get(Prop.CONFIDENCE)
        if confidence not in CONFIDENCE_LEVELS:
            self.problem(
                f"confidence must be one of {', '.join(CONFIDENCE_LEVELS)}, got {shown(confidence)}",
                raw,
                Prop.CONFIDENCE,
                record,
            )
        elif props.get(Prop.ILLUSTRATIVE) is True and confidence != "illustrative":
            self.problem("an illustrative record must have confidence: illustrative", raw, Prop.CONFIDENCE, record)


def _where(origin: Origin | None) -> tuple[str | None, int | None]:
    return (origin.file, origin.line) if origin else (None, None)


def _add(found: dict[str, Any], record: Node | Edge, problems: list[Problem]) -> None:
    previous = found.get(record.id)
    if previous is not None and previous != record:
        file, line = _where(record.origin)
        problems.append(
            Problem(
                f"duplicate id with conflicting fields; first defined at {previous.origin}",
                file=file,
                line=line,
                record=record.id,
            )
        )
    elif previous is None:
        found[record.id] = record


def _check_references(data: Dataset, schema: Schema, problems: list[Problem]) -> None:
    """Edges join existing nodes within the ontology's domain and range; cited ids exist."""
    allowed: dict[tuple[str, tuple[str, ...], tuple[str, ...]], bool] = {}

    def _allows(rel_type: str, from_labels: tuple[str, ...], to_labels: tuple[str, ...]) -> bool:
        key = (rel_type, from_labels, to_labels)  # a few hundred combinations among all the edges
        if key not in allowed:
            allowed[key] = schema.allows(rel_type, from_labels, to_labels)
        return allowed[key]

    for edge in data.edges.values():
        file, line = _where(edge.origin)
        ends = [data.nodes.get(edge.source), data.nodes.get(edge.target)]
        for key, node_id, node in (("from", edge.source, ends[0]), ("to", edge.target, ends[1])):
            if node is None:
                problems.append(
                    Problem(
                        f"no node with id '{node_id}'{_closest(node_id, data.nodes)}",
                        file=file,
                        line=line,
                        record=edge.id,
                        field=key,
                    )
                )
        if ends[0] and ends[1] and not _allows(edge.type, ends[0].labels, ends[1].labels):
            rel = schema.relationships[edge.type]
            problems.append(
                Problem(
                    f"{edge.type} goes from {'|'.join(sorted(rel.domains))} to {'|'.join(sorted(rel.ranges))}, "
                    f"not from {ends[0].labels[-1]} to {ends[1].labels[-1]}",
                    file=file,
                    line=line,
                    record=edge.id,
                    field="type",
                )
            )
    records: list[Node | Edge] = [*data.nodes.values(), *data.edges.values()]
    for record in records:
        _check_ids(record, Prop.SOURCES, Label.SOURCE, data, problems)
        _check_ids(record, Prop.CHIPS, Label.CHIP_MODEL, data, problems)


def _closest(node_id: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(node_id, list(known), n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _check_ids(record: Node | Edge, key: str, label: str, data: Dataset, problems: list[Problem]) -> None:
    value = record.props.get(key)
    for ref in value if isinstance(value, list) else []:
        target = data.nodes.get(ref)
        if target is None or label not in target.labels:
            file, line = _where(record.origin)
            problems.append(
                Problem(
                    f"'{ref}' is not a {label} id{_closest(ref, data.nodes)}",
                    file=file,
                    line=line,
                    record=record.id,
                    field=key,
                )
            )


def load_paths(paths: Iterable[Path], schema: Schema | None = None) -> Dataset:
    """Read, validate and cross-check every YAML file under `paths`; raise `DataError` listing all problems."""
    schema = schema or load_schema()
    files = discover(paths)
    problems: list[Problem] = []
    if not files:
        problems.append(Problem("no YAML files found", file=", ".join(str(p) for p in paths)))
    data = Dataset()
    for path in files:
        try:
            document = read_yaml(path)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        reader = _FileReader(path, schema)
        with collector_paused():
            nodes, edges = reader.read(document)
        problems.extend(reader.problems)
        records: list[Node | Edge] = [*nodes, *edges]
        for record in records:
            _add(data.nodes if isinstance(record, Node) else data.edges, record, problems)
    if not problems:
        _check_references(data, schema, problems)
        problems.extend(stake_problems(data))
    if problems:
        raise DataError(problems)
    return data
