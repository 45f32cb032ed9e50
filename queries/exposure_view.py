"""The exposure answer: totals, splits, and each site with its power plants and power check."""

from __future__ import annotations

from collections import defaultdict

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
    ReferenceChip,
    ReportedAggregate,
)
from queries.evidence import number
from queries.exposure import Exposure, Item
from queries.exposure import Measure as Totals
from queries.views import Viewer

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


def _plausibility(items: list[Item], capacity_mw: float | None) -> Plausibility:
    known = [(i.count, number(i.chip.props.get(Prop.TDP))) for i in items if i.count is not None]
    if not known or any(tdp is None for _, tdp in known):
        note = "a chip count or TDP is unknown"
        return Plausibility(
            chip_power_mw=None, capacity_mw=capacity_mw, ratio=None, verdict=Plausible.unknown, note=note
        )
    power = sum(count * tdp for count, tdp in known if count is not None and tdp is not None) / 1e6
    if not capacity_mw:
        note = "the site's power is not reported"
        return Plausibility(
            chip_power_mw=round(power, 3), capacity_mw=None, ratio=None, verdict=Plausible.unknown, note=note
        )
    ratio = power / capacity_mw
    return Plausibility(
        chip_power_mw=round(power, 3),
        capacity_mw=capacity_mw,
        ratio=round(ratio, 4),
        verdict=Plausible.implausible if ratio > 1 else Plausible.plausible,
        note=PLAUSIBILITY_NOTE,
    )


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


def _site(viewer: Viewer, answer: Exposure, site_id: str, items: list[Item], plants: list[str]) -> ExposureSite:
    node = viewer.node(site_id)
    props = node.props if node else {}
    planned = props.get(Prop.PLANNED_CHIPS)
    return ExposureSite(
        site=viewer.ref(site_id),
        capacity_mw=_capacity(node),
        planned_chips=planned if isinstance(planned, int) and not isinstance(planned, bool) else None,
        power_plants=[_plant(viewer, p) for p in plants],
        chips=[_item(viewer, i) for i in items],
        plausibility=_plausibility(items, number(props.get(Prop.CAPACITY_MW))),
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


def exposure_view(viewer: Viewer, answer: Exposure) -> ExposureAnswer:
    if answer.view is not None and answer.view is not viewer.store:  # read from the answer's sub-graph
        viewer = Viewer(answer.view)
    by_site: dict[str, list[Item]] = defaultdict(list)
    for item in answer.items:
        by_site[item.site].append(item)
    viewer.prefetch(set(by_site) | {i.chip.id for i in answer.items})
    sites = sorted(by_site)
    plants = _plants(viewer, answer, sites)
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
        sites=[_site(viewer, answer, s, by_site[s], plants[s]) for s in sites],
        reported_aggregates=_aggregates(viewer, by_site),
        illustrative=any(viewer.ref(s).illustrative for s in by_site),
    )
