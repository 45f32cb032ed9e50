"""Response models of the policy endpoints (screen, exposure, what-if, chokepoints): the JSON contract
the command line prints with --format json, documented for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.http.models import Ref, SourceRef


class DesignationOut(BaseModel):
    listing: Ref
    lists: list[str] = Field(examples=[["list-bis-entity-list"]])
    valid_from: str | None = Field(examples=["2019-06-24"])
    valid_to: str | None
    citation: str | None = Field(examples=["84 FR 29371"])
    license_requirement: str | None
    license_policy: str | None = Field(examples=["presumption of denial"])
    confidence: str | None
    sources: list[str]
    illustrative: bool


class ChainLink(BaseModel):
    from_: str = Field(alias="from")
    to: str
    percentage: float | None = Field(description="Share held, percent; null when no source gives it.")
    edge: str
    sources: list[str] | None
    confidence: str | None


class Stake(BaseModel):
    holder: str = Field(description="The listed party at the top of the chain.")
    chain: list[ChainLink]
    share: float | None = Field(description="Product of the chain's percentages; null if one is unknown.")
    explanation: str = Field(examples=["Redsand → Kestrel 60% × Kestrel → Jadeport 40% = 24%"])


class AffiliateFindingOut(BaseModel):
    rule: dict[str, Any] = Field(description="id, name, citation, valid_from, valid_to, threshold, extends.")
    status: str = Field(description="affiliate | undetermined | below")
    known_total: float = Field(examples=[54.0])
    unknown_chains: int
    stakes: list[Stake]
    explanation: str


class ScreenAnswer(BaseModel):
    party: Ref
    as_of: str
    status: str = Field(description="listed | affiliate | undetermined | clear")
    designations: list[DesignationOut]
    affiliates: list[AffiliateFindingOut]
    explanation: str


class MeasureOut(BaseModel):
    chips: int = Field(description="Chips with a known count.")
    tpp: float = Field(description="Σ count × the chip model's TPP.")
    h100_equivalents: float | None = Field(description="TPP ÷ the H100 SXM's TPP (15,832).")
    items: int = Field(description="(site, chip model) pairs.")
    unknown_counts: int = Field(description="Pairs no source gives a count for (not in the sums).")


class ChipMeasure(MeasureOut):
    chip: Ref
    restricted: bool


class ConfidenceMeasure(MeasureOut):
    confidence: str


class ExposureItem(BaseModel):
    chip: Ref
    count: int | None
    basis: str = Field(description="deployment | routes | unknown")
    delivered_by_routes: int | None
    confidence: str
    restricted: bool
    evidence: list[str] = Field(description="Ids of the DEPLOYS or SUPPLIES edges counted.")
    sources: list[SourceRef]


class ExposureSite(BaseModel):
    site: Ref
    capacity_mw: float | None
    planned_chips: int | None
    power_plants: list[dict[str, Any]]
    chips: list[ExposureItem]
    plausibility: dict[str, Any] = Field(description="chip_power_mw, capacity_mw, ratio, verdict, note.")


class ExposureAnswer(BaseModel):
    query: dict[str, Any]
    totals: MeasureOut
    restricted: MeasureOut
    by_chip: list[ChipMeasure]
    by_confidence: list[ConfidenceMeasure]
    sites: list[ExposureSite]
    illustrative: bool


class WhatIfAnswer(BaseModel):
    overlay: dict[str, Any]
    query: dict[str, Any]
    changed: bool = Field(description="False when nothing below changes.")
    chips: list[dict[str, Any]] = Field(description="chip, before, after, explanation, deciding.")
    routes: list[dict[str, Any]] = Field(description="chip, path, before, after (verdicts), explanation.")
    sites: list[dict[str, Any]] = Field(description="site, before and after {restricted_chips, licence_routes}.")
    restricted_exposure: dict[str, MeasureOut]


class Chokepoint(BaseModel):
    node: Ref
    licence_routes: int
    share: float = Field(description="Of all licence-requiring routes into the region.")
    betweenness: float = Field(description="Normalised, on the chip-carrying SUPPLIES subgraph.")
    chips: list[str]
    sites: list[str]
    verdicts: dict[str, int]


class ChokepointsAnswer(BaseModel):
    query: dict[str, Any]
    licence_routes: int
    routes: int
    chokepoints: list[Chokepoint]
