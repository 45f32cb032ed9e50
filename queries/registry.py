"""Named Cypher queries: one `.cypher` file each in this folder, loaded and checked at import.

A file starts with a header a user can read in the Neo4j Browser:

    // name: places_within
    // description: …
    // param: place_id STRING -- what it is
    // example: :param {place_id: 'place-cn-xj'}

Loading fails (`OntologyError`) if the name differs from the file name, a `$parameter` is used
but not declared (or declared but unused), or a label or relationship type is not in the ontology.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import OntologyError
from ontology.schema import Schema, load_schema

HERE = Path(__file__).parent
MAX_HOPS = 20
HOP_QUANTIFIER = "{1,20}"  # the literal a runner tightens to {1,max_hops}
MAX_DEPTH = 3
DEPTH_QUANTIFIER = "{0,3}"  # the literal a runner tightens to {0,depth}
HEADER = re.compile(r"^//\s*(name|description|param|example):\s*(.*)$")
PARAM = re.compile(r"^(\w+)\s+([A-Z<>]+)\s*(?:--\s*(.*))?$")
USED_PARAM = re.compile(r"\$(\w+)")
# :Label or :TYPE after '(' or '[' or '|' within a pattern, and `x:Label` predicates.
TOKEN = re.compile(r"[(\[]\s*\w*\s*:\s*([A-Za-z_]+)|\b\w+:([A-Z][A-Za-z]+)\b|\|([A-Z][A-Za-z_]*)\b")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    example: str
    text: str
    path: Path


def _terms(text: str) -> set[str]:
    body = re.sub(r"'[^']*'", "''", text)
    return {t for match in TOKEN.finditer(body) for t in match.groups() if t}


def parse(path: Path, schema: Schema) -> NamedQuery:
    """Read one query file and check it against the ontology."""
    header: dict[str, list[str]] = {"name": [], "description": [], "param": [], "example": []}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line)
        if match and not body:
            header[match[1]].append(match[2].strip())
        elif line.strip():
            body.append(line)
    text = "\n".join(body)
    params = []
    for raw in header["param"]:
        found = PARAM.match(raw)
        if not found:
            raise OntologyError(f"{path.name}: cannot read parameter line '{raw}'")
        params.append(Parameter(found[1], found[2], found[3] or ""))
    name = header["name"][0] if header["name"] else ""
    problems = [] if name == path.stem else [f"name '{name}' differs from the file name"]
    declared, used = {p.name for p in params}, set(USED_PARAM.findall(text))
    problems += [f"parameter ${p} is used but not declared" for p in sorted(used - declared)]
    problems += [f"parameter ${p} is declared but not used" for p in sorted(declared - used)]
    known = set(schema.classes) | set(schema.relationships)
    problems += [f"'{t}' is not a label or relationship type of the ontology" for t in sorted(_terms(text) - known)]
    if problems:
        raise OntologyError(f"{path.name}: " + "; ".join(problems))
    return NamedQuery(name, " ".join(header["description"]), tuple(params), " ".join(header["example"]), text, path)


def load_registry(folder: Path = HERE, schema: Schema | None = None) -> dict[str, NamedQuery]:
    """Every named query in the folder, by name."""
    schema = schema or load_schema()
    queries = [parse(path, schema) for path in sorted(folder.glob("*.cypher"))]
    return {q.name: q for q in queries}


REGISTRY = load_registry()
