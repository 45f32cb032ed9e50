"""Resolution as answers: candidates side by side, judgements as written, the cluster a judgement would make."""

from __future__ import annotations

from pydantic import Field

from loaders.judgements import Judgement
from ontology.records import Node
from ontology.vocab import Prop
from queries.answers import Answer
from queries.candidates import Candidate, countries
from queries.clusters import identifiers


class RecordOut(Answer):
    OMIT_NONE = ("name_zh", "dataset", "record_key")
    id: str
    name: str
    name_zh: str | None = None
    aliases: list[str]
    countries: list[str]
    identifiers: list[str] = Field(examples=[["csl:3f1e…", "uscc:91110000…"]])
    dataset: str | None = Field(default=None, description="Absent on curated records.", examples=["trade_gov_csl"])
    record_key: str | None = None


class CandidateOut(Answer):
    OMIT_NONE = ("suggestion",)
    left: RecordOut
    right: RecordOut
    score: float = Field(examples=[0.76])
    algorithm: str = Field(examples=["chiptrail-names-v1"])
    features: dict[str, float | str] = Field(
        description="name_similarity, country (+0.05 / -0.2), identifier_conflict (-0.3, with the schemes "
        "`conflicting`), shared_identifier, org_unit_suffix (a veto)."
    )
    suggestion: str | None = Field(default=None, description="'different' when a veto applies (a parent and sub-unit).")


class JudgementOut(Answer):
    OMIT_NONE = ("score", "supersedes")
    left: str
    right: str
    judgement: str
    user: str
    at: str
    reason: str
    score: float | None = None
    supersedes: str | None = None
    file: str = Field(description="Which judgements file holds the line: bundled or user.", examples=["user"])


def _text(node: Node, key: str) -> str | None:
    value = node.props.get(key)
    return value if isinstance(value, str) else None


def record(node: Node) -> RecordOut:
    aliases = node.props.get(Prop.ALIASES)
    return RecordOut(
        id=node.id,
        name=str(node.props.get(Prop.NAME, node.id)),
        name_zh=_text(node, Prop.NAME_ZH),
        aliases=list(aliases) if isinstance(aliases, list) else [],
        countries=sorted(countries(node)),
        identifiers=identifiers(node),
        dataset=_text(node, Prop.DATASET),
        record_key=_text(node, Prop.RECORD_KEY),
    )


def candidate_view(candidate: Candidate, nodes: dict[str, Node]) -> CandidateOut:
    return CandidateOut(
        left=record(nodes[candidate.left]),
        right=record(nodes[candidate.right]),
        score=candidate.score,
        algorithm=candidate.algorithm,
        features=candidate.features,
        suggestion=candidate.suggestion,
    )


def judgement_view(j: Judgement, file: str) -> JudgementOut:
    return JudgementOut(
        left=j.left,
        right=j.right,
        judgement=j.judgement,
        user=j.user,
        at=j.at,
        reason=j.reason,
        score=j.score,
        supersedes=j.supersedes,
        file=file,
    )
