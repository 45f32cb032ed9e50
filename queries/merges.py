"""SAME_AS judgements as answers show them: the records joined and who decided, when and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ontology.records import Edge
from ontology.vocab import Prop
from queries.answers import MergeOut, Ref

Namer = Callable[[str], str]


@dataclass(frozen=True)
class Merge:
    edge: str
    left: str
    right: str
    judgement: str
    decided_by: str
    decided_at: str | None
    reason: str
    score: float | None

    @property
    def by_rule(self) -> bool:
        return self.decided_by.startswith("rule:")

    @classmethod
    def of(cls, edge: Edge) -> Merge:
        return cls.from_props(edge.source, edge.target, {**edge.props, Prop.ID: edge.id})

    @classmethod
    def from_props(cls, left: str, right: str, props: dict[str, Any]) -> Merge:
        at, score = props.get(Prop.DECIDED_AT), props.get(Prop.SCORE)
        return cls(
            edge=str(props[Prop.ID]),
            left=left,
            right=right,
            judgement=str(props.get(Prop.JUDGEMENT)),
            decided_by=str(props.get(Prop.DECIDED_BY)),
            decided_at=str(at) if at is not None else None,
            reason=str(props.get(Prop.REASON, "")),
            score=float(score) if isinstance(score, int | float) else None,
        )

    def describe(self, name: Namer) -> str:
        who = f"by {self.decided_by}" if self.by_rule else f"judged by {self.decided_by}"
        when = f" on {self.decided_at}" if self.decided_at else ""
        return f"{name(self.left)} is the same as {name(self.right)} ({who}{when}: {self.reason})"

    def view(self, name: Namer) -> MergeOut:
        return MergeOut(
            edge=self.edge,
            left=Ref(id=self.left, name=name(self.left)),
            right=Ref(id=self.right, name=name(self.right)),
            judgement=self.judgement,
            decided_by=self.decided_by,
            by_rule=self.by_rule,
            decided_at=self.decided_at,
            reason=self.reason,
            score=self.score,
        )
