"""Whether a chip model needs a US licence for a destination on a date, derived from data.

Nothing in the data says "restricted". A decision is computed from the chip's published
specifications (TPP, performance density, interconnect bandwidth) and the rules stored as
`ExportControlRule` nodes: their criteria lines, destinations, effect and dates in force, and
the chip models that product-specific actions TARGET. Each decision explains itself with the
rule, its citation and the numbers.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.store import GraphStore
from ontology.criteria import EXPECTED, EXPECTED_ELIGIBILITY, read_criteria, read_eligibility
from ontology.errors import DataError, Problem
from ontology.records import Node, valid_on
from ontology.vocab import Label, Prop
from queries.answers import Outcome, Status
from queries.evidence import fmt, number
from queries.named import run

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
NEGATION = {">=": "<", ">": "≤", "<=": ">", "<": "≥"}
METRIC_NAMES = {"tpp": "TPP", "pd": "performance density", "interconnect_gbps": "interconnect"}
UNITS = {"interconnect_gbps": " GB/s"}
BITS = {"peak_tops_fp4": 4, "peak_tops_fp8": 8, "peak_tops_fp16": 16}


@dataclass(frozen=True)
class Term:
    metric: str
    op: str
    threshold: float

    def check(self, metrics: dict[str, float | None]) -> tuple[bool | None, str]:
        """(met, wording); met is None when the chip's figure is unknown."""
        name, unit = METRIC_NAMES[self.metric], UNITS.get(self.metric, "")
        value = metrics.get(self.metric)
        if value is None:
            return None, f"{name} unknown"
        met = OPS[self.op](value, self.threshold)
        symbol = SYMBOL[self.op] if met else NEGATION[self.op]
        return met, f"{name} {fmt(value)}{unit} {symbol} {fmt(self.threshold)}{unit}"


@dataclass(frozen=True)
class CriteriaLine:
    """One criteria line: a classification and the terms that must all hold."""

    classification: str
    terms: tuple[Term, ...]

    @classmethod
    def parse(cls, line: str, rule_id: str) -> CriteriaLine:
        found = read_criteria(line)
        if found is None:
            message = f"cannot read criteria line {line!r}: {EXPECTED}"
            raise DataError([Problem(message, record=rule_id, field=Prop.CRITERIA)])
        head, terms = found
        return cls(head, tuple(Term(metric, op, threshold) for metric, op, threshold in terms))

    def check(self, metrics: dict[str, float | None]) -> tuple[bool | None, str]:
        results = [term.check(metrics) for term in self.terms]
        met: bool | None = True
        if any(r[0] is False for r in results):
            met = False
        elif any(r[0] is None for r in results):
            met = None
        return met, " and ".join(dict.fromkeys(r[1] for r in results))


@dataclass(frozen=True)
class Eligibility:
    """One line of a licence exception's eligibility: 'CLASS' or 'CLASS unless data_center'."""

    classification: str
    unless_data_center: bool = False

    @classmethod
    def parse(cls, line: str, rule_id: str) -> Eligibility:
        found = read_eligibility(line)
        if found is None:
            message = f"cannot read eligibility line {line!r}: {EXPECTED_ELIGIBILITY}"
            raise DataError([Problem(message, record=rule_id, field=Prop.ELIGIBILITY)])
        return cls(*found)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    citation: str
    effect: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    destinations: frozenset[str]
    country_groups: tuple[str, ...]
    license_policy: str | None
    tests: tuple[CriteriaLine, ...]
    targets: frozenset[str]
    threshold: float | None = None  # affiliates rules: the ownership share, percent
    extends: frozenset[str] = frozenset()  # affiliates rules: the lists they extend
    suspends: frozenset[str] = frozenset()  # suspensions: the rules they suspend
    widens: frozenset[str] = frozenset()  # destination-scope records: the rules they add destinations to
    treated_as: frozenset[str] = frozenset()  # destination-scope records: codes their destinations count as
    eligibility: tuple[Eligibility, ...] = ()  # licence exceptions: the classifications that may use them

    def in_force(self, day: dt.date) -> bool:
        props = {Prop.VALID_FROM: self.valid_from, Prop.VALID_TO: self.valid_to}
        return valid_on({k: v for k, v in props.items() if v is not None}, day)

    def names(self, destinations: set[str]) -> bool:
        """Whether the rule's own destinations include one of these codes (or every destination)."""
        return bool((destinations | {"*"}) & self.destinations)

    def cite(self) -> str:
        since = f", in force from {self.valid_from.isoformat()}" if self.valid_from else ""
        return f"{self.citation}{since}"


@dataclass(frozen=True)
class Finding:
    """How one rule in force bears on the chip."""

    rule: Rule
    outcome: Outcome
    classification: str | None
    reason: str
    unsure: tuple[str, ...] = ()  # classifications tested before the one met whose figures are unknown


@dataclass(frozen=True)
class Decision:
    chip: Node
    destination: str
    as_of: dt.date
    status: Status
    license_policy: str | None
    metrics: dict[str, float | None]
    findings: tuple[Finding, ...] = field(default=())
    explanation: str = ""

    @property
    def restricted(self) -> bool:
        """A licence must be obtained. Not under a licence exception (`license_exception`): the item is
        controlled but may ship after notifying BIS."""
        return self.status == Status.license_required


def _num(node: Node, key: str) -> float | None:
    return number(node.props.get(key))


def computed_tpp(chip: Node) -> float | None:
    """TPP from the dense peak figures: max over bit widths of TOPS × bits (2 × MacTOPS = TOPS)."""
    products = [v * bits for key, bits in BITS.items() if (v := _num(chip, key)) is not None]
    return max(products) if products else None


def chip_metrics(chip: Node) -> dict[str, float | None]:
    """The figures the rules test: TPP as cited (else computed), density = TPP / die area."""
    tpp = _num(chip, Prop.TPP) or computed_tpp(chip)
    area = _num(chip, Prop.DIE_AREA)
    pd = round(tpp / area, 2) if tpp is not None and area else None
    return {"tpp": tpp, "pd": pd, "interconnect_gbps": _num(chip, Prop.INTERCONNECT)}


def _date(node: Node, key: str) -> dt.date | None:
    value = node.props.get(key)
    return value if isinstance(value, dt.date) else None


def _strings(node: Node, key: str) -> list[str]:
    value = node.props.get(key)
    return list(value) if isinstance(value, list) else []


def load_rules(store: GraphStore) -> list[Rule]:
    """Every export-control rule in the store, with the chip models it targets, oldest first."""
    rules = []
    for row in run(store, "rules"):
        props = dict(row["props"])
        node = Node(str(props.pop(Prop.ID)), (Label.EXPORT_CONTROL_RULE,), props)
        targets = frozenset(row["targets"])
        rules.append(
            Rule(
                id=node.id,
                name=str(node.props.get(Prop.NAME, node.id)),
                citation=str(node.props.get(Prop.CITATION, "")),
                effect=str(node.props.get(Prop.EFFECT, "informational")),
                valid_from=_date(node, Prop.VALID_FROM),
                valid_to=_date(node, Prop.VALID_TO),
                destinations=frozenset(_strings(node, Prop.DESTINATIONS)),
                country_groups=tuple(_strings(node, Prop.COUNTRY_GROUPS)),
                license_policy=str(node.props[Prop.LICENSE_POLICY]) if Prop.LICENSE_POLICY in node.props else None,
                tests=tuple(CriteriaLine.parse(line, node.id) for line in _strings(node, Prop.CRITERIA)),
                targets=targets,
                threshold=_num(node, Prop.OWNERSHIP_THRESHOLD),
                extends=frozenset(row["extends"]),
                suspends=frozenset(row["suspends"]),
                widens=frozenset(row["widens"]),
                treated_as=frozenset(_strings(node, Prop.TREATED_AS)),
                eligibility=tuple(Eligibility.parse(line, node.id) for line in _strings(node, Prop.ELIGIBILITY)),
            )
        )
    return sorted(rules, key=lambda r: (r.valid_from or dt.date.min, r.id))
