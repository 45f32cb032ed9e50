"""Exposure drawn: the chips reaching a region as bars by chip model and by confidence, then each
site with its chips and its power check (the chips' draw against the plants' capacity)."""

from __future__ import annotations

from api.pictures.page import document, esc, legend, role_key, source_items
from queries.answers import ChipMeasure, ConfidenceMeasure, ExposureAnswer, ExposureSite, ReportedAggregate

BAR_W, ROW_H, LABEL_W = 420, 26, 230
CONFIDENCE_FILL = {
    "confirmed": "#2870C2",
    "reported": "#4C8EDA",
    "alleged": "#8DB6E8",
    "estimated": "#BCD3F0",
    "illustrative": "#C8CCD2",
}
VERDICT_COLOUR = {"plausible": "#5DB665", "implausible": "#CC3C6C", "unknown": "#9AA1AC"}


def _number(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _bars(rows: list[tuple[str, int, str, str, str]], kind: str) -> str:
    """Horizontal bars: (label, chips, fill, caption, tooltip) per row, scaled to the largest."""
    top = max((chips for _, chips, _, _, _ in rows), default=0) or 1
    height = ROW_H * len(rows) + 8
    parts = []
    for i, (label, chips, fill, caption, tip) in enumerate(rows):
        y, width = i * ROW_H + 4, max(round(BAR_W * chips / top), 2 if chips else 0)
        parts.append(
            f"<g class='bar' data-kind='{kind}' data-label='{esc(label)}' data-chips='{chips}'>"
            f"<title>{esc(tip)}</title>"
            f"<text x='{LABEL_W - 8}' y='{y + 16}' text-anchor='end' font-size='12'>{esc(label)}</text>"
            f"<rect x='{LABEL_W}' y='{y}' width='{width}' height='{ROW_H - 6}' rx='3' fill='{fill}'/>"
            f"<text x='{LABEL_W + width + 6}' y='{y + 16}' font-size='12'>{esc(caption)}</text></g>"
        )
    total_w = LABEL_W + BAR_W + 330
    return (
        f"<svg class='bars' role='img' width='{total_w}' height='{height}' viewBox='0 0 {total_w} {height}' "
        f"xmlns='http://www.w3.org/2000/svg'>{''.join(parts)}</svg>"
    )


def _by_chip(rows: list[ChipMeasure]) -> str:
    bars = [
        (
            m.chip.name or m.chip.id or "?",
            m.chips,
            "#4C8EDA" if not m.restricted else "#2870C2",
            f"{m.chips:,} chips · {_number(m.h100_equivalents, 1)} H100-eq{' · restricted' if m.restricted else ''}",
            f"{m.items} site–model pairs, {m.unknown_counts} without a count (not in the bar)",
        )
        for m in rows
    ]
    return "<h2>Chips by model</h2>" + _bars(bars, "chip")


def _by_confidence(rows: list[ConfidenceMeasure]) -> str:
    bars = [
        (
            m.confidence,
            m.chips,
            CONFIDENCE_FILL.get(m.confidence, "#A5ABB6"),
            f"{m.chips:,} chips · {_number(m.h100_equivalents, 1)} H100-eq",
            f"{m.items} site–model pairs, {m.unknown_counts} without a count (not in the bar)",
        )
        for m in rows
    ]
    return "<h2>Chips by confidence</h2>" + _bars(bars, "confidence")


def _power(site: ExposureSite) -> str:
    p = site.plausibility
    colour = VERDICT_COLOUR.get(p.verdict.value, "#9AA1AC")
    gauge = ""
    if p.ratio is not None:
        width = min(round(160 * p.ratio), 160)
        gauge = (
            f"<svg class='power' width='170' height='12' xmlns='http://www.w3.org/2000/svg'>"
            f"<rect width='160' height='10' fill='#eef0f2'/><rect width='{width}' height='10' fill='{colour}'/>"
            "</svg>"
        )
    return (
        f"<span class='power-verdict' style='color:{colour}'><b>{esc(p.verdict.value)}</b></span> "
        f"{gauge}<br><span class='muted'>chips draw {_number(p.chip_power_mw, 1)} MW of "
        f"{_number(p.capacity_mw)} MW ({esc(p.evidence.value)}); {esc(p.note)}</span>"
    )


def _site(site: ExposureSite) -> str:
    chips = "".join(
        f"<li>{esc(item.chip.name)}: {'count unknown' if item.count is None else f'{item.count:,}'} "
        f"({esc(item.basis.value)}, {esc(item.confidence)}{', restricted' if item.restricted else ''})"
        f"<ul>{source_items(item.sources)}</ul></li>"
        for item in site.chips
    )
    plants = ", ".join(f"{esc(p.name)} ({_number(p.capacity_mw)} MW)" for p in site.power_plants) or "none known"
    fiction = " <span class='muted'>(illustrative)</span>" if site.site.illustrative else ""
    return (
        f"<tr class='site'><td><i class='swatch role-{role_key(site.site)}'></i>{esc(site.site.name)}{fiction}"
        f"</td><td class='num'>{_number(site.capacity_mw)}</td><td>{plants}</td><td><ul>{chips}</ul></td>"
        f"<td>{_power(site)}</td></tr>"
    )


def _aggregates(rows: list[ReportedAggregate]) -> str:
    if not rows:
        return ""
    items = "".join(
        f"<li><b>{esc(a.node.name)}</b>: {'count unknown' if a.count is None else f'{a.count:,}'} chips "
        f"({', '.join(esc(c.name) for c in a.chips)}; {esc(a.confidence)}) — {esc(a.note)}"
        f"<ul>{source_items(a.sources)}</ul></li>"
        for a in rows
    )
    return f"<h2>Reported for several projects together (not split, not in the bars)</h2><ul>{items}</ul>"


def exposure_html(answer: ExposureAnswer) -> str:
    """The page for one exposure answer (the same model `--format json` prints)."""
    q, t, r = answer.query, answer.totals, answer.restricted
    title = f"Compute reaching {q.region.name} on {q.as_of}"
    summary = (
        f"<div class='verdict'>{t.chips:,} chips with a known count ({_number(t.h100_equivalents, 1)} "
        f"H100-equivalents); <b>{r.chips:,} of them need a US licence</b> "
        f"({_number(r.h100_equivalents, 1)} H100-equivalents). {t.unknown_counts} site–model pairs have no "
        "count and are not in the sums.</div>"
    )
    body = [
        f"<h1>{esc(title)}</h1>",
        summary,
        "<p class='fiction'>Includes illustrative records: a fictional scenario, not evidence.</p>"
        if answer.illustrative
        else "",
        _by_chip(answer.by_chip),
        _by_confidence(answer.by_confidence),
        "<h2>Sites and their power</h2>",
        legend(["site", "power"]),
        "<table class='sites'><tr><th>Site</th><th>Capacity (MW)</th><th>Power plants</th><th>Chips</th>"
        f"<th>Power check</th></tr>{''.join(_site(s) for s in answer.sites)}</table>",
        _aggregates(answer.reported_aggregates),
    ]
    return document(title, "\n".join(part for part in body if part))
