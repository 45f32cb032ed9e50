"""The JSON shape of an exposure answer: totals, splits, and each site with its power check."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.store import valid_on
from ontology.records import Node
from ontology.vocab import Prop, Rel
from queries.exposure import ExposureAnswer, Item, number
from queries.views import Viewer

PLAUSIBILITY_NOTE = (
    "chips' TDP only; servers, networking and cooling draw more (PUE), so a ratio near or above 1 is implausible"
)


def _plausibility(items: list[Item], capacity_mw: float | None) -> dict[str, Any]:
    known = [(i.count, number(i.chip.props.get(Prop.TDP))) for i in items if i.count is not None]
    if not known or any(tdp is None for _, tdp in known):
        return {
            "chip_power_mw": None,
            "capacity_mw": capacity_mw,
            "ratio": None,
            "verdict": "unknown",
            "note": "a chip count or TDP is unknown",
        }
    power = sum(count * tdp for count, tdp in known if count is not None and tdp is not None) / 1e6
    if not capacity_mw:
        return {
            "chip_power_mw": round(power, 3),
            "capacity_mw": None,
            "ratio": None,
            "verdict": "unknown",
            "note": "the site's power is not reported",
        }
    ratio = power / capacity_mw
    verdict = "implausible" if ratio > 1 else "plausible"
    return {
        "chip_power_mw": round(power, 3),
        "capacity_mw": capacity_mw,
        "ratio": round(ratio, 4),
        "verdict": verdict,
        "note": PLAUSIBILITY_NOTE,
    }


def _list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _capacity(node: Node | None) -> float | None:
    return number(node.props.get(Prop.CAPACITY_MW)) if node else None


def _item(viewer: Viewer, item: Item) -> dict[str, Any]:
    return {
        "chip": viewer.ref(item.chip.id),
        "count": item.count,
        "basis": item.basis,
        "delivered_by_routes": item.route_count,
        "confidence": item.confidence,
        "restricted": item.restricted,
        "evidence": [e.id for e in item.edges],
        "sources": viewer.sources(sorted({s for e in item.edges for s in _list(e.props.get(Prop.SOURCES))})),
    }


def _site(viewer: Viewer, site_id: str, items: list[Item]) -> dict[str, Any]:
    node = viewer.node(site_id)
    props = node.props if node else {}
    plants = [e.target for e in viewer.store.edges(Rel.POWERED_BY, source=site_id) if valid_on(e.props, None)]
    return {
        "site": viewer.ref(site_id),
        "capacity_mw": _capacity(node),
        "planned_chips": props.get(Prop.PLANNED_CHIPS),
        "power_plants": [{**viewer.ref(p), "capacity_mw": _capacity(viewer.node(p))} for p in sorted(plants)],
        "chips": [_item(viewer, i) for i in items],
        "plausibility": _plausibility(items, number(props.get(Prop.CAPACITY_MW))),
    }


def exposure_view(viewer: Viewer, answer: ExposureAnswer) -> dict[str, Any]:
    by_site: dict[str, list[Item]] = defaultdict(list)
    for item in answer.items:
        by_site[item.site].append(item)
    viewer.prefetch(set(by_site) | {i.chip.id for i in answer.items})
    restricted = {i.chip.id for i in answer.items if i.restricted}
    return {
        "query": {
            "region": viewer.ref(answer.region.id),
            "as_of": answer.as_of.isoformat(),
            "reference_chip": {**viewer.ref(answer.reference.id), "tpp": answer.reference_tpp}
            if answer.reference
            else None,
        },
        "totals": answer.total().as_dict(),
        "restricted": answer.total(restricted_only=True).as_dict(),
        "by_chip": [
            {"chip": viewer.ref(chip), "restricted": chip in restricted, **m.as_dict()}
            for chip, m in sorted(answer.by("chip").items())
        ],
        "by_confidence": [{"confidence": c, **m.as_dict()} for c, m in sorted(answer.by("confidence").items())],
        "sites": [_site(viewer, s, by_site[s]) for s in sorted(by_site)],
        "illustrative": any(viewer.ref(s).get("illustrative") for s in by_site),
    }
