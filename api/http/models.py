"""Response models: they document the JSON contract in the OpenAPI schema (the bodies are the
same plain data the command line prints, built by queries/views.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Ref(BaseModel):
    id: str | None = Field(examples=["chip-nvidia-h100-sxm"])
    name: str | None = Field(examples=["NVIDIA H100 SXM"])
    illustrative: bool | None = Field(default=None, description="Present and true on fictional scenario records.")


class SourceRef(BaseModel):
    id: str
    name: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None


class Hop(BaseModel):
    from_: Ref = Field(alias="from")
    to: Ref
    type: str = Field(examples=["SUPPLIES"])
    date: str | None = Field(description="Start of validity (ISO date).")
    until: str | None = Field(description="End of validity (ISO date).")
    quantity: int | None
    confidence: str | None = Field(examples=["alleged"])
    illustrative: bool
    sources: list[SourceRef]


class RuleFinding(BaseModel):
    id: str
    name: str
    citation: str
    effect: str
    valid_from: str | None
    valid_to: str | None
    outcome: str = Field(description="met | not_met | unknown | targeted | policy_change")
    classification: str | None
    reason: str = Field(examples=["TPP 15,832 ≥ 4,800 → 3A090.a, 88 FR 73458, in force from 2023-11-17"])


class Restriction(BaseModel):
    chip: Ref
    destination: str = Field(examples=["CN"])
    as_of: str = Field(examples=["2025-05-01"])
    restricted: bool
    status: str = Field(description="license_required | not_restricted | undetermined (| mixed for a family)")
    license_policy: str | None
    metrics: dict[str, float | None] | None
    rules: list[RuleFinding]
    explanation: str


class RestrictionAnswer(Restriction):
    query: str
    variants: list[Restriction]


class Route(BaseModel):
    chip: Ref
    destination: Ref
    length: int
    weakest_confidence: str
    illustrative: bool
    path: list[str]
    hops: list[Hop]
    restriction: Restriction | None
    screening: dict[str, Any] | None = Field(
        default=None,
        description="With screen=true: verdict (item | party | both | neither), explanation, and per hop the "
        "sender, recipient and end users with their status (listed | affiliate | undetermined | clear).",
    )


class Lead(BaseModel):
    site: Ref
    chip: Ref
    count: int | None
    status: str | None
    confidence: str | None
    note: str | None
    sources: list[SourceRef]


class RoutesQuery(BaseModel):
    chip: str
    chips: list[Ref]
    region: Ref
    as_of: str
    max_hops: int
    time_respecting: bool
    screen: bool | None = None


class RoutesAnswer(BaseModel):
    query: RoutesQuery
    routes: list[Route]
    leads: list[Lead]
    truncated: bool = Field(description="True when `limit` cut the list of routes.")


class Entity(BaseModel):
    id: str
    labels: list[str] = Field(examples=[["Entity", "DataCenter"]])
    properties: dict[str, Any]
    sources: list[SourceRef]


class Neighbourhood(BaseModel):
    nodes: list[Entity]
    edges: list[Hop]


class SearchHit(BaseModel):
    id: str
    name: str | None
    labels: list[str]
    matched: str = Field(description="The name, alias or Chinese name that matched.")
    score: float = Field(description="1.0 is an exact match; lower is fuzzier.")


class QueryParameter(BaseModel):
    name: str
    type: str
    description: str


class NamedQueryInfo(BaseModel):
    name: str
    description: str
    parameters: list[QueryParameter]
    example: str


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    backend: str | None = None
