"""A chip model's specifications from every source that gives them, side by side.

Records of one chip model are tied by a shared identifier (`epoch:<Epoch hardware name>` on the
curated chip and on the Epoch AI records): naming, not a figure. For each figure the spec view
lists every record that gives it, with its dataset and sources, and flags a conflict when two
values differ beyond rounding (more than 1 %). No figure overwrites another.

The decision the graph gives for a chip uses the gap-filled figures (queries/gap_fill.py): the
curated record's where it has one, else the first other source's. When a source's own figures (gaps filled the same way)
would lead to another outcome or classification, the spec answer says so: one decision per source,
and `decisions_differ`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field

from ontology.records import Node, Value
from ontology.vocab import Prop
from queries.answers import Answer, Ref, Restriction
from queries.decide import decide
from queries.evidence import number
from queries.gap_fill import FIGURES, dataset_of, gap_filled, has
from queries.restrictions import Decision, Rule
from queries.views import restriction_view

TOLERANCE = 0.01  # relative difference still taken as rounding


# --- answers ---------------------------------------------------------------------------------------


class SpecClaim(Answer):
    record: Ref
    dataset: str = Field(examples=["curated", "epoch_ml_hardware"])
    value: float | str
    sources: list[str]
    confidence: str | None


class SpecFigure(Answer):
    figure: str = Field(examples=["peak_tops_fp8"])
    value: float | str | None = Field(description="The value the decision uses (curated first, else the next source).")
    used_from: str | None = Field(description="Dataset of the value used.")
    conflict: bool = Field(description="Two sources give values that differ beyond rounding (1 %).")
    claims: list[SpecClaim]


class SourceDecision(Answer):
    dataset: str
    record: Ref
    decision: Restriction


class SpecAnswer(Answer):
    chip: Ref
    records: list[Ref]
    figures: list[SpecFigure]
    conflicts: list[str] = Field(description="Figures on which the sources disagree.")
    decision: Restriction | None = Field(description="From the gap-filled figures (when a destination is given).")
    by_source: list[SourceDecision] = Field(description="From each source's own figures, gaps filled from the others.")
    decisions_differ: bool = Field(description="Sources' figures lead to different outcomes or classifications.")
    explanation: str


# --- figures ---------------------------------------------------------------------------------------


def _differs(values: list[Value]) -> bool:
    numbers = [n for v in values if (n := number(v)) is not None]
    if len(numbers) == len(values):
        low, high = min(numbers), max(numbers)
        return high - low > TOLERANCE * max(abs(high), 1e-12)
    texts = sorted({str(v).casefold().strip() for v in values}, key=len)
    # a date at two precisions (2024 and 2024-04-01) agrees; so does one text twice
    return any(not long.startswith(short) for short in texts for long in texts if len(long) >= len(short))


def _claim(node: Node, key: str) -> SpecClaim:
    value = node.props[key]
    shown: float | str = n if (n := number(value)) is not None else str(value)
    sources = node.props.get(Prop.SOURCES)
    confidence = node.props.get(Prop.CONFIDENCE)
    return SpecClaim(
        record=Ref(id=node.id, name=str(node.props.get(Prop.NAME, node.id))),
        dataset=dataset_of(node),
        value=shown,
        sources=[str(s) for s in sources] if isinstance(sources, list) else [],
        confidence=str(confidence) if confidence is not None else None,
    )


def figures(group: list[Node]) -> list[SpecFigure]:
    found = []
    for key in FIGURES:
        givers = [n for n in group if has(n, key)]
        if not givers:
            continue
        claims = [_claim(n, key) for n in givers]
        found.append(
            SpecFigure(
                figure=key,
                value=claims[0].value,
                used_from=claims[0].dataset,
                conflict=len(givers) > 1 and _differs([n.props[key] for n in givers]),
                claims=claims,
            )
        )
    return found


# --- the answer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    code: str
    day: dt.date
    rules: list[Rule]


def _outcome(decision: Decision) -> tuple[str, tuple[str, ...]]:
    classes = tuple(sorted({f.classification for f in decision.findings if f.classification}))
    return decision.status.value, classes


def _by_source(group: list[Node], where: Destination) -> list[tuple[Node, Decision]]:
    return [(n, decide(gap_filled(group, n), where.rules, where.code, where.day)) for n in group]


def _explain(group: list[Node], conflicts: list[str], by_source: list[tuple[Node, Decision]]) -> str:
    names = ", ".join(f"{dataset_of(n)} ({n.id})" for n in group)
    text = f"{len(group)} record(s): {names}."
    text += f" Sources disagree on {', '.join(conflicts)}." if conflicts else " No figure conflicts."
    outcomes = {_outcome(d) for _, d in by_source}
    if len(outcomes) > 1:
        each = "; ".join(
            f"{dataset_of(n)}: {d.status.value}"
            + (f" ({', '.join(_outcome(d)[1])})" if _outcome(d)[1] else "")
            + f", TPP {d.metrics.get('tpp')}, PD {d.metrics.get('pd')}"
            for n, d in by_source
        )
        text += f" The sources' figures lead to different decisions — {each}. The graph's decision uses the "
        text += f"{dataset_of(group[0])} figures where they exist."
    return text


def spec_answer(group: list[Node], where: Destination | None) -> SpecAnswer:
    """The figures of one chip model from every record of the group, and the decisions they lead to."""
    found = figures(group)
    conflicts = [f.figure for f in found if f.conflict]
    by_source = _by_source(group, where) if where else []
    decision = decide(gap_filled(group), where.rules, where.code, where.day) if where else None
    lead = group[0]
    return SpecAnswer(
        chip=Ref(id=lead.id, name=str(lead.props.get(Prop.NAME, lead.id))),
        records=[Ref(id=n.id, name=str(n.props.get(Prop.NAME, n.id))) for n in group],
        figures=found,
        conflicts=conflicts,
        decision=restriction_view(decision) if decision else None,
        by_source=[
            SourceDecision(
                dataset=dataset_of(n),
                record=Ref(id=n.id, name=str(n.props.get(Prop.NAME, n.id))),
                decision=restriction_view(d),
            )
            for n, d in by_source
        ],
        decisions_differ=len({_outcome(d) for _, d in by_source}) > 1,
        explanation=_explain(group, conflicts, by_source),
    )
