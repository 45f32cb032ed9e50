"""The answers chiptrail gives, described once: the views build them, the API returns them (FastAPI
validates every body against them) and the command line prints their JSON.

Dates are ISO 8601 text. A reference to a node is `{id, name, role}` plus `illustrative: true` on
fictional scenario records (absent otherwise), so no output shows fiction unmarked.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer


class Status(StrEnum):
    """Whether a chip model needs a US licence for a destination on a date (`mixed` across a family).

    `license_required`: a licence must be obtained (the only status that is `restricted`).
    `license_exception`: a rule controls the item, but a licence exception in force covers it (License
    Exception NAC: ship after notifying BIS, which may object) — controlled, not `restricted`.
    """

    license_required = "license_required"
    license_exception = "license_exception"
    not_restricted = "not_restricted"
    undetermined = "undetermined"
    mixed = "mixed"


class Outcome(StrEnum):
    """How one rule in force bears on a chip model (`eligible` / `not_eligible` / `unknown` for a licence
    exception: whether it covers the controlled item)."""

    met = "met"
    not_met = "not_met"
    unknown = "unknown"
    targeted = "targeted"
    policy_change = "policy_change"
    eligible = "eligible"
    not_eligible = "not_eligible"


class Verdict(StrEnum):
    """Why a route needs a licence: the item, a party, both, or neither."""

    item = "item"
    party = "party"
    both = "both"
    neither = "neither"


class PartyStatus(StrEnum):
    listed = "listed"
    affiliate = "affiliate"
    undetermined = "undetermined"
    clear = "clear"


class AffiliateStatus(StrEnum):
    affiliate = "affiliate"
    undetermined = "undetermined"
    below = "below"


class Basis(StrEnum):
    """Where an exposure count comes from."""

    deployment = "deployment"
    routes = "routes"
    unknown = "unknown"


class Plausible(StrEnum):
    plausible = "plausible"
    implausible = "implausible"
    unknown = "unknown"


class Answer(BaseModel):
    """Base of every answer model: members listed in `OMIT_NONE` are left out while they are None."""

    model_config = ConfigDict(frozen=True)
    OMIT_NONE: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _omit(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        for key in self.OMIT_NONE:
            if isinstance(data, dict) and data.get(key) is None:
                data.pop(key, None)
        return data


# --- shared pieces -------------------------------------------------------------------------------


class Ref(Answer):
    OMIT_NONE = ("illustrative", "role")
    id: str | None = Field(examples=["chip-nvidia-h100-sxm"])
    name: str | None = Field(examples=["NVIDIA H100 SXM"])
    illustrative: bool | None = Field(default=None, description="Present and true on fictional scenario records.")
    role: str | None = Field(
        default=None,
        examples=["intermediary"],
        description="What the node is, for colouring it (queries/roles.py: chip, designer, intermediary, shell, "
        "site, power, place, policy, source, …); absent where the node is not in the graph.",
    )


class SourceRef(Answer):
    id: str
    name: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None


class Hop(Answer):
    from_: Ref = Field(validation_alias=AliasChoices("from", "from_"), serialization_alias="from")
    to: Ref
    type: str = Field(examples=["SUPPLIES"])
    date: str | None = Field(description="Start of validity (ISO date).")
    until: str | None = Field(description="End of validity (ISO date).")
    quantity: int | None
    confidence: str | None = Field(examples=["alleged"])
    illustrative: bool
    sources: list[SourceRef]


# --- restrictions --------------------------------------------------------------------------------


class RuleFinding(Answer):
    id: str
    name: str
    citation: str
    effect: str
    valid_from: str | None
    valid_to: str | None
    outcome: Outcome
    classification: str | None
    reason: str = Field(examples=["TPP 15,832 ≥ 4,800 → 3A090.a, 88 FR 73458, in force from 2023-11-17"])


class Restriction(Answer):
    chip: Ref
    destination: str = Field(examples=["CN"])
    as_of: str = Field(examples=["2025-05-01"])
    restricted: bool
    status: Status
    license_policy: str | None
    metrics: dict[str, float | None] | None
    rules: list[RuleFinding]
    explanation: str


class RestrictionAnswer(Restriction):
    """One decision at the top; a family (`H100`) adds one decision per variant under `variants`."""

    query: str
    variants: list[Restriction]


# --- routes --------------------------------------------------------------------------------------


class PartyRef(Answer):
    OMIT_NONE = ("illustrative", "explanation")
    id: str
    name: str
    status: PartyStatus
    illustrative: bool | None = None
    explanation: str | None = None


class HopScreening(Answer):
    edge: str
    date: str
    sender: PartyRef | None
    recipient: PartyRef | None
    end_users: list[PartyRef]


class RouteScreening(Answer):
    verdict: Verdict
    item: bool
    party: bool
    explanation: str
    hops: list[HopScreening]


class Route(Answer):
    OMIT_NONE = ("screening",)
    chip: Ref
    destination: Ref
    length: int
    weakest_confidence: str
    illustrative: bool
    path: list[str]
    hops: list[Hop]
    restriction: Restriction | None
    screening: RouteScreening | None = Field(
        default=None, description="With screen=true: the verdict and every hop's parties with their status."
    )


class Lead(Answer):
    site: Ref
    chip: Ref
    count: int | None
    status: str | None
    confidence: str | None
    note: str | None
    sources: list[SourceRef]


class RoutesQuery(Answer):
    OMIT_NONE = ("screen",)
    chip: str
    chips: list[Ref]
    region: Ref
    as_of: str
    max_hops: int
    time_respecting: bool
    screen: bool | None = None


class RoutesAnswer(Answer):
    query: RoutesQuery
    routes: list[Route]
    leads: list[Lead]
    truncated: bool = Field(description="True when `limit` cut the list of routes.")


# --- entities ------------------------------------------------------------------------------------


class Entity(Answer):
    id: str
    labels: list[str] = Field(examples=[["Entity", "DataCenter"]])
    properties: dict[str, Any]
    sources: list[SourceRef]


class Neighbourhood(Answer):
    nodes: list[Entity]
    edges: list[Hop]


class SearchHit(Answer):
    id: str
    name: str | None
    labels: list[str]
    matched: str = Field(description="The name, alias or Chinese name that matched.")
    score: float = Field(description="1.0 is an exact match; lower is fuzzier.")


# --- screening -----------------------------------------------------------------------------------


class MergeOut(Answer):
    """A SAME_AS judgement an answer crossed: which records, who decided (a person, or rule:NAME), when and why."""

    OMIT_NONE = ("decided_at", "score")
    edge: str
    left: Ref
    right: Ref
    judgement: str = Field(examples=["positive"])
    decided_by: str = Field(examples=["rule:shared-identifier", "ana"])
    by_rule: bool = Field(description="True when a rule decided (a shared identifier), false for a person.")
    decided_at: str | None = None
    reason: str = Field(examples=["shared identifier csl:3f1e…"])
    score: float | None = None


class DesignationOut(Answer):
    OMIT_NONE = ("via", "merges")
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
    via: Ref | None = Field(
        default=None, description="The record designated, when it is another member of the party's SAME_AS cluster."
    )
    merges: list[MergeOut] | None = Field(default=None, description="The SAME_AS judgements crossed to reach `via`.")


class ChainLink(Answer):
    from_: str = Field(validation_alias=AliasChoices("from", "from_"), serialization_alias="from")
    to: str
    percentage: float | None = Field(description="Share held, percent; null when no source gives it.")
    edge: str
    sources: list[str] | None
    confidence: str | None


class StakeOut(Answer):
    OMIT_NONE = ("merges",)
    holder: str = Field(description="The listed party at the top of the chain.")
    chain: list[ChainLink]
    share: float | None = Field(description="Product of the chain's percentages; null if one is unknown.")
    explanation: str = Field(examples=["Redsand → Kestrel 60% × Kestrel → Jadeport 40% = 24%"])
    merges: list[MergeOut] | None = Field(
        default=None, description="SAME_AS judgements the chain crosses (a stake recorded on another cluster member)."
    )


class AffiliateRule(Answer):
    id: str
    name: str
    citation: str
    valid_from: str | None
    valid_to: str | None
    threshold: float
    extends: list[str]


class AffiliateFindingOut(Answer):
    rule: AffiliateRule
    status: AffiliateStatus
    known_total: float = Field(examples=[54.0])
    unknown_chains: int
    stakes: list[StakeOut]
    explanation: str


class ScreenAnswer(Answer):
    party: Ref
    as_of: str
    status: PartyStatus
    designations: list[DesignationOut]
    affiliates: list[AffiliateFindingOut]
    explanation: str


# --- exposure ------------------------------------------------------------------------------------


class Measure(Answer):
    chips: int = Field(description="Chips with a known count.")
    tpp: float = Field(description="Σ count × the chip model's TPP.")
    h100_equivalents: float | None = Field(description="TPP ÷ the reference chip's TPP (the H100 SXM by default).")
    items: int = Field(description="(site, chip model) pairs.")
    unknown_counts: int = Field(description="Pairs no source gives a count for (not in the sums).")


class ChipMeasure(Answer):
    chip: Ref
    restricted: bool
    chips: int
    tpp: float
    h100_equivalents: float | None
    items: int
    unknown_counts: int


class ConfidenceMeasure(Answer):
    confidence: str
    chips: int
    tpp: float
    h100_equivalents: float | None
    items: int
    unknown_counts: int


class ExposureItem(Answer):
    chip: Ref
    count: int | None
    basis: Basis
    delivered_by_routes: int | None
    confidence: str
    restricted: bool
    evidence: list[str] = Field(description="Ids of the DEPLOYS or SUPPLIES edges counted.")
    sources: list[SourceRef]


class PlantRef(Ref):
    capacity_mw: float | None


class PowerEvidence(StrEnum):
    """What the power check's capacity is: the site's own, its POWERED_BY plants', or nearby plants'."""

    site_capacity = "site_capacity"
    powered_by = "powered_by"
    nearby_plants = "nearby_plants"
    none = "none"


class Plausibility(Answer):
    OMIT_NONE = ("radius_km",)
    chip_power_mw: float | None
    capacity_mw: float | None
    ratio: float | None
    verdict: Plausible
    note: str
    evidence: PowerEvidence = Field(
        default=PowerEvidence.none,
        description="site_capacity: capacity typed on the site; powered_by: its POWERED_BY plants valid on the date; "
        "nearby_plants: plants within radius_km of it (shared with any other consumer); none: no capacity known.",
    )
    radius_km: float | None = Field(default=None, description="The radius of nearby_plants.")


class ExposureSite(Answer):
    site: Ref
    capacity_mw: float | None
    planned_chips: int | None
    power_plants: list[PlantRef]
    chips: list[ExposureItem]
    plausibility: Plausibility


class ReferenceChip(Ref):
    tpp: float | None


class ExposureQuery(Answer):
    region: Ref
    as_of: str
    reference_chip: ReferenceChip | None


class ReportedAggregate(Answer):
    """A count reported for a set of projects together (the Bloomberg 39 projects), shown as reported:
    never split between the chip models it names, and not in the per-model sums."""

    node: Ref
    count: int | None = Field(
        description="Chips the reporting gives for the whole aggregate (a lower bound where reported as 'more than')."
    )
    chips: list[Ref] = Field(description="The chip models the reporting names; the count is not split between them.")
    projects: int | None
    status: str | None
    restricted: bool = Field(description="Every chip model named needs a US licence for the region on the date.")
    confidence: str | None
    note: str | None
    sources: list[SourceRef]


class ExposureAnswer(Answer):
    query: ExposureQuery
    totals: Measure
    restricted: Measure
    by_chip: list[ChipMeasure]
    by_confidence: list[ConfidenceMeasure]
    sites: list[ExposureSite]
    reported_aggregates: list[ReportedAggregate] = Field(
        description="Aggregate counts as reported (e.g. more than 115,000 H100/H200 across 39 projects), beside the "
        "per-model totals; their per-model items count under unknown_counts."
    )
    illustrative: bool


# --- what-if and chokepoints ---------------------------------------------------------------------


class OverlayName(Answer):
    name: str


class RegionQuery(Answer):
    region: Ref
    as_of: str


class ChipChange(Answer):
    chip: Ref
    before: Status
    after: Status
    explanation: str
    deciding: list[str]


class RouteChange(Answer):
    chip: Ref
    path: list[str]
    before: Verdict
    after: Verdict
    explanation: str | None


class SiteStatus(Answer):
    restricted_chips: int
    licence_routes: int


class SiteChange(Answer):
    site: Ref
    before: SiteStatus
    after: SiteStatus


class ExposureChange(Answer):
    before: Measure
    after: Measure


class WhatIfAnswer(Answer):
    overlay: OverlayName
    query: RegionQuery
    changed: bool = Field(description="False when nothing below changes.")
    chips: list[ChipChange]
    routes: list[RouteChange]
    sites: list[SiteChange]
    restricted_exposure: ExposureChange


class ChokepointsQuery(Answer):
    region: Ref
    as_of: str
    top: int


class Chokepoint(Answer):
    node: Ref
    licence_routes: int
    share: float = Field(description="Of all licence-requiring routes into the region.")
    betweenness: float = Field(description="Normalised, on the subgraph of the licence routes into the region.")
    chips: list[str]
    sites: list[str]
    verdicts: dict[str, int]


class ChokepointsAnswer(Answer):
    query: ChokepointsQuery
    licence_routes: int
    routes: int
    chokepoints: list[Chokepoint]


# --- upstream supply chain (dependencies, upstream chokepoints) ------------------------------------


class ControlRef(Answer):
    rule: Ref
    citation: str | None
    issuing_countries: list[str] = Field(description="ISO 3166-1 codes of the bodies the rule is ISSUED_BY.")
    covers: str = Field(description="The rule's covered_inputs term that matched (the input or a kind it belongs to).")
    sources: list[SourceRef]


class SupplyProvider(Answer):
    provider: Ref
    kind: str = Field(examples=["organization"], description="organization | country")
    country: str | None = Field(examples=["NL"], description="ISO 3166-1 alpha-2; null where the source gives none.")
    share: float | None = Field(
        description="Percent of the input the provider supplies; null where the data is silent."
    )
    share_text: str = Field(examples=["100%", "unknown"])
    negligible: bool | None = None
    year: int | None
    source_text: str | None = Field(description="The publisher's own words for the figure.")
    export_control: str = Field(
        examples=["covered", "unknown"],
        description="covered: a rule in the graph, issued in the provider's country, covers the input; "
        "unknown: the graph holds no such rule (not a statement that none exists).",
    )
    rules: list[ControlRef]
    sources: list[SourceRef]


class SupplyNeed(Answer):
    input: Ref
    type: str | None = Field(examples=["tool_resource"])
    stage: str | None = Field(examples=["Fabrication"])
    leads_to: str | None = Field(
        description="The next input on the way to the chip (what this goes into or is a kind of)."
    )
    single_provider: bool = Field(description="Exactly one provider is known: a chokepoint.")
    providers: list[SupplyProvider]
    controls: list[ControlRef] = Field(description="Rules in the graph covering the input, whatever their country.")
    note: str | None
    sources: list[SourceRef]


class StageNeeds(Answer):
    stage: Ref | None
    providers: list[SupplyProvider] = Field(description="Shares of the whole stage (e.g. capacity by country).")
    needs: list[SupplyNeed]


class ChipParty(Answer):
    organization: Ref
    relation: str = Field(examples=["DESIGNS"])
    country: str | None
    confidence: str | None
    sources: list[SourceRef]


class DependenciesAnswer(Answer):
    query: str
    as_of: str
    chips: list[Ref]
    chip_input: list[Ref] = Field(
        description="The supply-chain inputs the chip is taken to be (TYPE_OF, else the finished chip)."
    )
    basis: str = Field(examples=["ultimate_output"], description="type_of | ultimate_output | none")
    designers: list[ChipParty]
    foundries: list[ChipParty] = Field(description="MANUFACTURES / FABRICATES edges; empty where the graph has none.")
    unknown: list[str] = Field(description="What the graph does not say, in words.")
    stages: list[StageNeeds]
    licences: list[str] = Field(description="Licences of the datasets the answer draws on (e.g. CC BY-NC 4.0).")


class UpstreamQuery(Answer):
    stage: str | None
    input: str | None
    as_of: str
    top: int


class UpstreamChokepoint(Answer):
    provider: Ref
    kind: str
    country: str | None
    input: Ref
    stage: str | None
    share: float | None
    share_text: str
    single_provider: bool
    year: int | None
    source_text: str | None
    sources: list[SourceRef]


class UpstreamAnswer(Answer):
    query: UpstreamQuery
    inputs: int
    single_provider_inputs: list[str] = Field(description="Names of the inputs exactly one provider supplies.")
    chokepoints: list[UpstreamChokepoint]
    licences: list[str]


# --- power near sites (chiptrail power) ----------------------------------------------------------


class Coordinates(Answer):
    """Where a distance is measured from or to, and how exact that is."""

    OMIT_NONE = ("place",)
    latitude: float
    longitude: float
    precision: str | None = Field(description="coord_precision as the source gives it (exact, county_centroid, …).")
    origin: str = Field(description="own: the record's coordinates; place: the centroid of the place it lies in.")
    place: Ref | None = None


class PlantOwner(Answer):
    owner: Ref
    percentage: float | None = Field(description="Share of the plant the owner holds (OWNS); null when unknown.")
    stake_level: str | None = Field(
        default=None,
        description="ultimate_parent: the share the source attributes to a parent through the direct owners; "
        "null: a direct stake.",
    )


class NearbyPlant(Answer):
    plant: Ref
    distance_km: float = Field(description="Great-circle (haversine) distance on the mean Earth radius, 6371.0088 km.")
    capacity_mw: float | None
    fuel: list[str]
    status: str | None
    precision: str | None = Field(description="The plant's coord_precision.")
    owners: list[PlantOwner]


class FuelTotal(Answer):
    fuel: str = Field(description="The plant's fuels joined by '+' (a plant counts once), or 'unknown'.")
    plants: int
    capacity_mw: float


class OwnerTotal(Answer):
    owner: Ref
    plants: int
    capacity_mw: float = Field(description="Capacity of the plants the owner holds a stake in.")
    attributable_mw: float | None = Field(description="Capacity × the owner's percentage; null if a share is unknown.")


class PowerTotals(Answer):
    plants: int
    capacity_mw: float
    unknown_capacity: int = Field(description="Plants whose capacity is not reported (not in capacity_mw).")
    by_fuel: list[FuelTotal]
    by_owner: list[OwnerTotal]


class PowerSite(Answer):
    site: Ref
    coordinates: Coordinates | None
    note: str | None = Field(description="Why distances are unknown, or that a place's centroid stands in.")
    plants: list[NearbyPlant]
    totals: PowerTotals


class PowerQuery(Answer):
    OMIT_NONE = ("region", "site")
    region: Ref | None = None
    site: Ref | None = None
    within_km: float
    as_of: str
    distance: str = Field(description="How distances are measured.")


class PowerAnswer(Answer):
    query: PowerQuery
    sites: list[PowerSite]
    illustrative: bool


# --- power near a point (chiptrail power --near) -------------------------------------------------


class NearSite(Answer):
    site: Ref
    distance_km: float = Field(description="Great-circle (haversine) distance on the mean Earth radius, 6371.0088 km.")
    coordinates: Coordinates = Field(description="The site's own coordinates and their coord_precision.")


class PointQuery(Answer):
    latitude: float
    longitude: float
    within_km: float
    as_of: str
    distance: str = Field(description="How distances are measured.")


class PointPowerAnswer(Answer):
    query: PointQuery
    sites: list[NearSite] = Field(description="Sites whose own coordinates lie within the radius, nearest first.")
    sites_without_coordinates: int = Field(
        description="Sites (data centres, project aggregates) in the graph with no coordinates of their own: "
        "they cannot be placed, so none of them is listed."
    )
    plants: list[NearbyPlant] = Field(description="Plants within the radius of the point, nearest first.")
    totals: PowerTotals
    illustrative: bool
