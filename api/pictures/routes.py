"""Routes drawn left to right, from the organisation that makes the chip to the data centre: nodes
coloured by role, each hop labelled with its date and quantity, its line as strong as its evidence
(dashed for alleged, dotted for estimated, faint for illustrative), the hops at the route's weakest
confidence flagged,
fictional nodes dashed; a click on a hop (or hovering it) shows its sources."""

from __future__ import annotations

from textwrap import wrap

from api.pictures.page import CONFIDENCE_DASH, CONFIDENCE_WIDTH, document, esc, legend, role_key, source_items
from queries.answers import Hop, Lead, Ref, Route, RoutesAnswer

BOX_W, BOX_H, GAP, TOP = 150, 54, 130, 34
STATUS_WORDS = {
    "license_required": "US licence required",
    "license_exception": "licence exception",
    "not_restricted": "no US licence required",
    "undetermined": "undetermined",
    "mixed": "mixed",
}


def _node(ref: Ref, x: int) -> str:
    lines = wrap(ref.name or ref.id or "?", 20)[:3]
    dash = " stroke-dasharray='5 3'" if ref.illustrative else ""
    texts = "".join(
        f"<tspan x='{x + BOX_W // 2}' dy='{0 if i == 0 else 14}'>{esc(line)}</tspan>" for i, line in enumerate(lines)
    )
    y_text = TOP + BOX_H // 2 - 7 * (len(lines) - 1) + 4
    return (
        f"<g class='node' data-id='{esc(ref.id)}'><title>{esc(ref.name)} ({esc(ref.id)})"
        f"{' — fictional' if ref.illustrative else ''}</title>"
        f"<rect class='role-{role_key(ref)}' x='{x}' y='{TOP}' width='{BOX_W}' height='{BOX_H}' rx='8' "
        f"stroke-width='2'{dash}/>"
        f"<text text-anchor='middle' y='{y_text}' font-size='12' fill='#111'>{texts}</text></g>"
    )


def _hop(hop: Hop, x: int, details_id: str, weakest: bool) -> str:
    x1, x2, y = x + BOX_W, x + BOX_W + GAP - 6, TOP + BOX_H // 2
    confidence = hop.confidence or "unknown"
    dash = CONFIDENCE_DASH.get(confidence, "2 2")
    width = CONFIDENCE_WIDTH.get(confidence, 2)
    colour = "#9aa1ac" if hop.illustrative else "#F36924"
    label = " · ".join(p for p in (hop.date, f"×{hop.quantity:,}" if hop.quantity is not None else None) if p)
    sources = "; ".join(s.title or s.name or s.id for s in hop.sources) or "no source given"
    flag = (
        f"<text x='{(x1 + x2) // 2}' y='{y + 30}' text-anchor='middle' font-size='10' fill='#B52A2F'>weakest</text>"
        if weakest
        else ""
    )
    return (
        f"<g class='hop' tabindex='0' data-details='{details_id}' data-confidence='{esc(confidence)}'>"
        f"<title>{esc(hop.from_.name)} → {esc(hop.to.name)}: {esc(label)}, {esc(confidence)}. Sources: "
        f"{esc(sources)}</title>"
        f"<rect x='{x1}' y='{y - 26}' width='{GAP}' height='62' fill='transparent'/>"
        f"<line x1='{x1 + 2}' y1='{y}' x2='{x2}' y2='{y}' stroke='{colour}' stroke-width='{width}' "
        f"stroke-dasharray='{dash}' marker-end='url(#arrow)'/>"
        f"<text class='hop-label' x='{(x1 + x2) // 2}' y='{y - 8}' text-anchor='middle' font-size='10'>"
        f"{esc(label)}</text>"
        f"<text x='{(x1 + x2) // 2}' y='{y + 17}' text-anchor='middle' font-size='10' fill='#66707d'>"
        f"{esc(confidence)}</text>{flag}</g>"
    )


def _route_svg(route: Route, index: int) -> str:
    nodes = [route.hops[0].from_, *(h.to for h in route.hops)] if route.hops else [route.destination]
    width = len(nodes) * BOX_W + (len(nodes) - 1) * GAP + 10
    parts = [_node(ref, i * (BOX_W + GAP)) for i, ref in enumerate(nodes)]
    parts += [
        _hop(hop, i * (BOX_W + GAP), f"r{index}-h{i}", hop.confidence == route.weakest_confidence)
        for i, hop in enumerate(route.hops)
    ]
    marker = (
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' "
        "orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='#555'/></marker></defs>"
    )
    return (
        f"<svg class='route' role='img' width='{width}' height='{TOP + BOX_H + 30}' "
        f"viewBox='0 0 {width} {TOP + BOX_H + 30}' xmlns='http://www.w3.org/2000/svg'>{marker}{''.join(parts)}</svg>"
    )


def _hop_details(route: Route, index: int) -> str:
    rows = []
    for i, hop in enumerate(route.hops):
        head = f"{esc(hop.from_.name)} → {esc(hop.to.name)} ({esc(hop.date or 'date unknown')}, {esc(hop.confidence)})"
        rows.append(
            f"<details id='r{index}-h{i}' class='sources'><summary>{head}</summary>"
            f"<ul>{source_items(hop.sources)}</ul></details>"
        )
    return "".join(rows)


def _verdict(route: Route) -> str:
    parts = []
    if route.restriction is not None:
        r = route.restriction
        status = STATUS_WORDS.get(r.status.value, r.status.value)
        parts.append(
            f"<b>{esc(r.chip.name)}</b> to {esc(r.destination)} on {esc(r.as_of)}: <b>{esc(status)}</b>"
            f"{' (' + esc(r.license_policy) + ')' if r.license_policy else ''}"
        )
    if route.screening is not None:
        parts.append(
            f"Screening verdict: <b>{esc(route.screening.verdict.value)}</b> — {esc(route.screening.explanation)}"
        )
    restricted = route.restriction is not None and route.restriction.restricted
    return f"<div class='verdict{'' if restricted else ' clear'}'>{'<br>'.join(parts)}</div>" if parts else ""


def _route(route: Route, index: int) -> str:
    fiction = " <span class='muted'>(illustrative: fictional records)</span>" if route.illustrative else ""
    title = (
        f"Route {index + 1}: {esc(route.chip.name)} to {esc(route.destination.name)}, {route.length} hops, "
        f"weakest evidence {esc(route.weakest_confidence)}{fiction}"
    )
    return (
        f"<section class='route-block' id='route-{index + 1}'><h2>{title}</h2>{_verdict(route)}"
        f"{_route_svg(route, index)}{_hop_details(route, index)}</section>"
    )


def _leads(leads: list[Lead]) -> str:
    if not leads:
        return ""
    rows = "".join(
        f"<tr><td><i class='swatch role-{role_key(lead.site)}'></i>{esc(lead.site.name)}</td>"
        f"<td>{esc(lead.chip.name)}</td>"
        f"<td class='num'>{'' if lead.count is None else f'{lead.count:,}'}</td><td>{esc(lead.status)}</td>"
        f"<td>{esc(lead.confidence)}</td><td><ul>{source_items(lead.sources)}</ul></td></tr>"
        for lead in leads
    )
    return (
        "<h2>Leads: chips reported at a site that no route reaches</h2><table class='leads'><tr><th>Site</th>"
        f"<th>Chip model</th><th>Count</th><th>Status</th><th>Confidence</th><th>Sources</th></tr>{rows}</table>"
    )


def routes_html(answer: RoutesAnswer) -> str:
    """The page for one routes answer (the same model `--format json` prints)."""
    q = answer.query
    chips = ", ".join(c.name or c.id or "?" for c in q.chips) or q.chip
    title = f"Routes of {chips} into {q.region.name} on {q.as_of}"
    restricted = {r.restriction.chip.name: r.restriction for r in answer.routes if r.restriction is not None}
    verdicts = "".join(
        f"<div class='verdict{'' if r.restricted else ' clear'}'>{esc(name)} to {esc(r.destination)}: "
        f"<b>{esc(STATUS_WORDS.get(r.status.value, r.status.value))}</b> — {esc(r.explanation)}</div>"
        for name, r in restricted.items()
    )
    keys = [role_key(ref) for route in answer.routes for h in route.hops for ref in (h.from_, h.to)]
    fiction = any(r.illustrative for r in answer.routes)
    body = [
        f"<h1>{esc(title)}</h1>",
        f"<p class='muted'>{len(answer.routes)} route(s){' (cut by the limit)' if answer.truncated else ''}, "
        f"{len(answer.leads)} lead(s); at most {q.max_hops} hops. Click a hop to see its sources.</p>",
        verdicts,
        "<p class='fiction'>Dashed boxes and grey hops are illustrative: a fictional scenario, not evidence.</p>"
        if fiction
        else "",
        legend([*keys, "site"]) if keys else "",
        "<p class='legend muted'>Hop lines: solid = confirmed or reported, dashed = alleged, dotted = estimated, "
        "faint grey = illustrative.</p>",
        *(_route(route, i) for i, route in enumerate(answer.routes)),
        "" if answer.routes else "<p>No route found.</p>",
        _leads(answer.leads),
    ]
    return document(title, "\n".join(part for part in body if part))
