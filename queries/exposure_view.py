"""The exposure answer: totals, splits, and each site with its power plants and power check.

The power check compares the chips' TDP with a capacity, taken from the first of: the capacity
typed on the site; the capacity of its POWERED_BY plants valid on the date; the capacity of the
plants within `NEARBY_KM` (50 km, great-circle) of the site or of its place's centroid
(`queries.power`) — shared with whatever else they feed, so an upper bound on what the site
draws. `evidence` says which one was used.
"""

from __future__ import annotations

from collections import defaultdict

from graph.store import GraphStore
from ontology.records import Node, valid_on
from ontology.vocab import Label, Prop, Rel
from queries.answers import (
    ChipMeasure,
    ConfidenceMeasure,
    ExposureAnswer,
    ExposureItem,
    ExposureQuery,
    ExposureSite,
    Measure,
    PlantRef,
    Plausibility,
    Plausible,
    PowerEvidence,
    ReferenceChip,
    ReportedAggregate,
)
from queries.evidence import number
from queries.exposure import Exposure, Item
from queries.exposure import Measure as Totals
from queries.power import DEFAULT_RADIUS_KM, SitePower, sites_power
from queries.views import Viewer

NEARBY_KM = DEFAULT_RADIUS_KM
NEARBY_NOTE = f"capacity of the plants within {NEARBY_KM:g} km, which may feed others too; "
PLAUSIBILITY_NOTE = (
    "chips' TDP only; servers, networking and cooling draw more (PUE), so a ratio near or above 1 is implausible"
)


def measure_view(m: Totals) -> Measure:
    return Measure(
        chips=m.chips,
        tpp=round(m.tpp, 1),
        h100_equivalents=round(m.h100_equivalents, 2) if m.h100_equivalents is not None else None,
        items=m.items,
        unknown_counts=m.unknown_counts,
    )


def _plausibility(items: list[Item], capacity_mw: float | None, evidence: PowerEvidence) -> Plausibility:
    known = [(i.count, number(i.chip.props.get(Prop.TDP))) for i in items if i.count is not None]
    if not known or any(tdp is None for _, tdp in known):
        note = "a chip count or TDP is unknown"
        return Plausibility(
            chip_power_mw=None,
            capacity_mw=capacity_mw,
            ratio=None,
            verdict=Plausible.unknown,
            note=note,
            evidence=evidence,
            radius_km=NEARBY_KM if evidence is PowerEvidence.nearby_plants else None,
        )
    power = sum(count * tdp for count, tdp in known if count is not None and tdp is not None) / 1e6
    if not capacity_mw:
        note = "the site's power is not reported, nor that of plants feeding it or near it"
        return Plausibility(
            chip_power_mw=round(power, 3), capacity_mw=None, ratio=None, verdict=Plausible.unknown, note=note
        )
    ratio = power / capacity_mw
    nearby = evidence is PowerEvidence.nearby_plants
    return Plausibility(
        chip_power_mw=round(power, 3),
        capacity_mw=capacity_mw,
        ratio=round(ratio, 4),
        verdict=Plausible.implausible if ratio > 1 else Plausible.plausible,
        note=(NEARBY_NOTE if nearby else "") + PLAUSIBILITY_NOTE,
        evidence=evidence,
        radius_km=NEARBY_KM if nearby else None,
    )


def _capacity_of(viewer: Viewer, plants: list[str]) -> float | None:
    known = [c for p in plants if (c := _capacity(viewer.node(p))) is not None]
    return sum(known) if known else None


def power_evidence(
    viewer: Viewer, site_id: str, plants: list[str], nearby: SitePower | None
) -> tuple[float | None, PowerEvidence]:
    """The capacity the power check uses and where it comes from (see the module's docstring)."""
    typed = _capacity(viewer.node(site_id))
    if typed is not None:
        return typed, PowerEvidence.site_capacity
    fed = _capacity_of(viewer, plants)
    if fed is not None:
        return fed, PowerEvidence.powered_by
    if nearby is not None and any(p.capacity_mw is not None for p in nearby.plants):
        return round(nearby.capacity_mw, 3), PowerEvidence.nearby_plants
    return None, PowerEvidence.none


def _list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _capacity(node: Node | None) -> float | None:
    return number(node.props.get(Prop.CAPACITY_MW)) if node else None


def _item(viewer: Viewer, item: Item) -> ExposureItem:
    return ExposureItem(
        chip=viewer.ref(item.chip.id),
        count=item.count,
        basis=item.basis,
        delivered_by_routes=item.route_count,
        confidence=item.confidence,
        restricted=item.restricted,
        evidence=[e.id for e in item.edges],
        sources=viewer.sources(sorted({s for e in item.edges for s in _list(e.props.get(Prop.SOURCES))})),
    )


def _plant(viewer: Viewer, plant_id: str) -> PlantRef:
    return PlantRef(**viewer.ref(plant_id).model_dump(), capacity_mw=_capacity(viewer.node(plant_id)))


def _site(viewer: Viewer, site_id: str, items: list[Item], plants: list[str], nearby: SitePower | None) -> ExposureSite:
    node = viewer.node(site_id)
    props = node.props if node else {}
    planned = props.get(Prop.PLANNED_CHIPS)
    capacity, evidence = power_evidence(viewer, site_id, plants, nearby)
    return ExposureSite(
        site=viewer.ref(site_id),
        capacity_mw=_capacity(node),
        planned_chips=planned if isinstance(planned, int) and not isinstance(planned, bool) else None,
        power_plants=[_plant(viewer, p) for p in plants],
        chips=[_item(viewer, i) for i in items],
        plausibility=_plausibility(items, capacity, evidence),
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _aggregate(viewer: Viewer, node_id: str, items: list[Item]) -> ReportedAggregate:
    """An aggregate count as reported, with the chip models it names (not split between them)."""
    node = viewer.node(node_id)
    props = node.props if node else {}
    text = props.get(Prop.NOTE)
    return ReportedAggregate(
        node=viewer.ref(node_id),
        count=_int(props.get(Prop.PLANNED_CHIPS)),
        chips=[viewer.ref(i.chip.id) for i in items],
        projects=_int(props.get(Prop.PROJECT_COUNT)),
        status=str(status) if (status := props.get(Prop.STATUS)) is not None else None,
        restricted=bool(items) and all(i.restricted for i in items),
        confidence=str(c) if (c := props.get(Prop.CONFIDENCE)) is not None else None,
        note=str(text) if text is not None else None,
        sources=viewer.sources(props.get(Prop.SOURCES)),
    )


def _aggregates(viewer: Viewer, by_site: dict[str, list[Item]]) -> list[ReportedAggregate]:
    found = [s for s in sorted(by_site) if (n := viewer.node(s)) is not None and Label.PROJECT_AGGREGATE in n.labels]
    viewer.prefetch({src for s in found if (n := viewer.node(s)) for src in _list(n.props.get(Prop.SOURCES))})
    return [_aggregate(viewer, s, by_site[s]) for s in found]


def _plants(viewer: Viewer, answer: Exposure, sites: list[str]) -> dict[str, list[str]]:
    """Each site's power plants whose POWERED_BY edge holds on the answer's date."""
    found: dict[str, list[str]] = {}
    for site in sites:
        edges = viewer.store.edges(Rel.POWERED_BY, source=site)
        found[site] = sorted(e.target for e in edges if valid_on(e.props, answer.as_of))
    viewer.prefetch({p for plants in found.values() for p in plants})
    return found


def _nearby(
    viewer: Viewer, store: GraphStore, answer: Exposure, sites: list[str], plants: dict[str, list[str]]
) -> dict[str, SitePower]:
    """Plants near the sites no typed capacity or POWERED_BY plant speaks for (one query, if any), asked
    of the whole store: the answer's sub-graph holds the plants on its routes, not every plant nearby."""
    wanting = [s for s in sites if _capacity(viewer.node(s)) is None and _capacity_of(viewer, plants[s]) is None]
    if not wanting:
        return {}
    found = sites_power(store, region_id=answer.region.id, site_id=None, within_km=NEARBY_KM, day=answer.as_of)
    return {s.site: s for s in found}


def exposure_view(viewer: Viewer, answer: Exposure) -> ExposureAnswer:
    store = viewer.store
    if answer.view is not None and answer.view is not viewer.store:  # read from the answer's sub-graph
        viewer = Viewer(answer.view)
    by_site: dict[str, list[Item]] = defaultdict(list)
    for item in answer.items:
        by_site[item.site].append(item)
    viewer.prefetch(set(by_site) | {i.chip.id for i in answer.items})
    sites = sorted(by_site)
    plants = _plants(viewer, answer, sites)
    nearby = _nearby(viewer, store, answer, sites, plants)
    restricted = {i.chip.id for i in answer.items if i.restricted}
    reference = (
        ReferenceChip(**viewer.ref(answer.reference.id).model_dump(), tpp=answer.reference_tpp)
        if answer.reference
        else None
    )
    by_chip = [
        ChipMeasure(chip=viewer.ref(chip), restricted=chip in restricted, **measure_view(m).model_dump())
        for chip, m in sorted(answer.by("chip").items())
    ]
    by_confidence = [
        ConfidenceMeasure(confidence=c, **measure_view(m).model_dump())
        for c, m in sorted(answer.by("confidence").items())
    ]
    return ExposureAnswer(
        query=ExposureQuery(
            region=viewer.ref(answer.region.id), as_of=answer.as_of.isoformat(), reference_chip=reference
        ),
        totals=measure_view(answer.total()),
        restricted=measure_view(answer.total(restricted_only=True)),
        by_chip=by_chip,
        by_confidence=by_confidence,
        sites=[_site(viewer, s, by_site[s], plants[s], nearby.get(s)) for s in sites],
        reported_aggregates=_aggregates(viewer, by_site),
        illustrative=any(viewer.ref(s).illustrative for s in by_site),
    )
