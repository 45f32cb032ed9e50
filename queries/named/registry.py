"""Parse and check the named Cypher queries: one `.cypher` file each in `cypher/`.

A file starts with a header a user can read in the Neo4j Browser:

    // name: places_within
    // description: …
    // param: place_id STRING -- what it is
    // example: :param {place_id: 'place-cn-xj'}

Parsing fails (`OntologyError`) if the name differs from the file name, a `$parameter` is used
but not declared (or declared but unused), a label or relationship type is not in the ontology,
or the hop quantifier is missing or repeated. A query has at most one bounded quantifier
(`{1,20}`); its bounds are read from the file, and the parameter named in `BOUND_PARAMS`
(`max_hops`, `depth`) tightens its upper bound before it runs, since Cypher 5 takes no
parameter inside a quantifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology.errors import InvalidParameter, OntologyError
from ontology.schema import Schema

CYPHER = Path(__file__).parent / "cypher"
BOUND_PARAMS = ("max_hops", "depth")
HEADER = re.compile(r"^//\s*(name|description|param|example):\s*(.*)$")
PARAM = re.compile(r"^(\w+)\s+([A-Z<>]+)\s*(?:--\s*(.*))?$")
USED_PARAM = re.compile(r"\$(\w+)")
QUANTIFIER = re.compile(r"\{\s*(\d+)\s*,\s*(\d+)\s*\}")
# :Label or :TYPE after '(' or '[' or '|' within a pattern, and `x:Label` predicates.
TOKEN = re.compile(r"[(\[]\s*\w*\s*:\s*([A-Za-z_]+)|\b\w+:([A-Z][A-Za-z]+)\b|\|([A-Z][A-Za-z_]*)\b")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Hops:
    """The query's one bounded quantifier: its bounds, where it stands and which parameter tightens it."""

    lower: int
    upper: int
    start: int
    end: int
    parameter: str | None

    def check(self, value: Any) -> int:
        """The parameter's value, if it is a whole number within the file's bounds."""
        low = max(self.lower, 1) if self.parameter == "max_hops" else self.lower
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= self.upper:
            raise InvalidParameter(f"{self.parameter} must be a whole number from {low} to {self.upper}")
        return value


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    example: str
    text: str
    path: Path
    hops: Hops | None = None

    def check(self, params: dict[str, Any]) -> None:
        """Raise `InvalidParameter` unless exactly the declared parameters are given, bounds in range."""
        expected = [p.name for p in self.parameters]
        if set(params) != set(expected):
            raise InvalidParameter(f"query '{self.name}' takes {sorted(expected)}, got {sorted(params)}")
        if self.hops is not None and self.hops.parameter is not None:
            self.hops.check(params[self.hops.parameter])

    def check_bound(self, value: Any) -> None:
        """Raise `InvalidParameter` unless `value` fits the parameter that bounds this query's hops."""
        if self.hops is None or self.hops.parameter is None:
            raise OntologyError(f"{self.name}.cypher has no parameter bounding its hops")
        self.hops.check(value)

    def bounded(self, params: dict[str, Any]) -> str:
        """The text with its quantifier tightened to the parameter's value (checked first, never user text).

        Cypher refuses {0,0}; depth 0 keeps {0,1}, and the query's `length(p) <= $depth` ends it.
        """
        self.check(params)
        hops = self.hops
        if hops is None or hops.parameter is None:
            return self.text
        upper = max(int(params[hops.parameter]), 1)
        return f"{self.text[: hops.start]}{{{hops.lower},{upper}}}{self.text[hops.end :]}"


def _terms(text: str) -> set[str]:
    body = re.sub(r"'[^']*'", "''", text)
    return {t for match in TOKEN.finditer(body) for t in match.groups() if t}


def _header(path: Path) -> tuple[dict[str, list[str]], str]:
    header: dict[str, list[str]] = {"name": [], "description": [], "param": [], "example": []}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line)
        if match and not body:
            header[match[1]].append(match[2].strip())
        elif line.strip():
            body.append(line)
    return header, "\n".join(body)


def _parameters(path: Path, lines: list[str]) -> tuple[Parameter, ...]:
    params = []
    for raw in lines:
        found = PARAM.match(raw)
        if not found:
            raise OntologyError(f"{path.name}: cannot read parameter line '{raw}'")
        params.append(Parameter(found[1], found[2], found[3] or ""))
    return tuple(params)


def _hops(text: str, declared: set[str], problems: list[str]) -> Hops | None:
    found = list(QUANTIFIER.finditer(text))
    bound = [p for p in BOUND_PARAMS if p in declared]
    if len(bound) > 1:
        problems.append(f"declares {' and '.join(bound)}; one parameter at most may bound the hops")
    if len(found) > 1:
        problems.append(f"has {len(found)} bounded quantifiers; at most one is allowed")
    elif bound and not found:
        problems.append(f"declares ${bound[0]} but has no bounded quantifier {{m,n}} for it to tighten")
    if len(found) != 1 or len(bound) > 1:
        return None
    match = found[0]
    lower, upper = int(match[1]), int(match[2])
    if lower > upper or upper < 1:
        problems.append(f"quantifier {match[0]} is empty")
    return Hops(lower, upper, match.start(), match.end(), bound[0] if bound else None)


def parse(path: Path, schema: Schema) -> NamedQuery:
    """Read one query file and check it against the ontology."""
    header, text = _header(path)
    params = _parameters(path, header["param"])
    name = header["name"][0] if header["name"] else ""
    problems = [] if name == path.stem else [f"name '{name}' differs from the file name"]
    declared, used = {p.name for p in params}, set(USED_PARAM.findall(text))
    problems += [f"parameter ${p} is used but not declared" for p in sorted(used - declared)]
    problems += [f"parameter ${p} is declared but not used" for p in sorted(declared - used)]
    known = set(schema.classes) | set(schema.relationships)
    problems += [f"'{t}' is not a label or relationship type of the ontology" for t in sorted(_terms(text) - known)]
    hops = _hops(text, declared, problems)
    if problems:
        raise OntologyError(f"{path.name}: " + "; ".join(problems))
    description, example = " ".join(header["description"]), " ".join(header["example"])
    return NamedQuery(name, description, params, example, text, path, hops)


def parse_folder(folder: Path, schema: Schema) -> dict[str, NamedQuery]:
    """Every named query in the folder, by name."""
    return {q.name: q for q in (parse(path, schema) for path in sorted(folder.glob("*.cypher")))}
