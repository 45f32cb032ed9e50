"""Terminal rendering of screening, exposure, what-if and chokepoint answers."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from api.cli.render.routes import FICTIONAL, PARTY_STYLE, as_json, display_name
from queries.answers import ChokepointsAnswer, ExposureAnswer, ScreenAnswer, WhatIfAnswer


def _n(value: float | int | None, digits: int = 0) -> str:
    return "unknown" if value is None else f"{value:,.{digits}f}"


def print_screen(console: Console, answer: ScreenAnswer) -> None:
    payload = as_json(answer)
    flag = f"  {FICTIONAL}" if payload["party"].get("illustrative") else ""
    console.print(
        Text(f"{payload['party']['name']} on {payload['as_of']}: ")
        + Text(payload["status"], style=PARTY_STYLE[payload["status"]])
        + Text.from_markup(flag)
    )
    console.print(Text(payload["explanation"]))
    for finding in payload["affiliates"]:
        table = Table(title=f"ownership under {finding['rule']['name']}", show_edge=False)
        for column in ("holder", "chain", "share"):
            table.add_column(column, overflow="fold")
        for stake in finding["stakes"]:
            share = "unknown" if stake["share"] is None else f"{stake['share']:g}%"
            table.add_row(stake["holder"], Text(stake["explanation"]), share)
        console.print(table)


def _measure_row(table: Table, label: str, m: dict[str, Any]) -> None:
    table.add_row(label, _n(m["chips"]), _n(m["tpp"]), _n(m["h100_equivalents"], 1), str(m["unknown_counts"]))


def print_exposure(console: Console, answer: ExposureAnswer) -> None:
    payload = as_json(answer)
    q = payload["query"]
    console.print(f"[bold]Compute reaching {q['region']['name']}[/] (as of {q['as_of']})")
    table = Table(show_edge=False)
    for column in ("", "chips", "TPP", "H100-eq.", "counts unknown"):
        table.add_column(column, justify="right" if column else "left")
    _measure_row(table, "total", payload["totals"])
    _measure_row(table, "restricted chip models", payload["restricted"])
    for row in payload["by_chip"]:
        _measure_row(table, f"  {row['chip']['name']}{' (restricted)' if row['restricted'] else ''}", row)
    for row in payload["by_confidence"]:
        _measure_row(table, f"  {row['confidence']}", row)
    console.print(table)
    sites = Table(title="data centres", show_edge=False)
    for column in ("site", "chips", "basis", "confidence", "power check"):
        sites.add_column(column, overflow="fold")
    for site in payload["sites"]:
        chips = "; ".join(f"{_n(i['count'])} {i['chip']['name']}" for i in site["chips"])
        basis = ", ".join(sorted({i["basis"] for i in site["chips"]}))
        confidence = ", ".join(sorted({i["confidence"] for i in site["chips"]}))
        check = site["plausibility"]
        power = (
            check["verdict"]
            if check["ratio"] is None
            else f"{check['verdict']} ({check['chip_power_mw']} MW of chips / {check['capacity_mw']} MW)"
        ) + f" [{check['evidence']}]"
        sites.add_row(display_name(site["site"]), chips, basis, confidence, power)
    console.print(sites)
    _print_aggregates(console, payload["reported_aggregates"])


def _first_sources(sources: list[dict[str, Any]], shown: int = 2) -> str:
    names = [str(s.get("name") or s["id"]) for s in sources]
    more = f" (+{len(names) - shown} more)" if len(names) > shown else ""
    return "; ".join(names[:shown]) + more


def _print_aggregates(console: Console, aggregates: list[dict[str, Any]]) -> None:
    """Counts reported for several projects together: shown as reported, never split between models."""
    if not aggregates:
        return
    table = Table(title="reported aggregates (as reported; not split between chip models)", show_edge=False)
    for column in ("projects", "chips (reported)", "chip models named", "status", "confidence", "sources"):
        table.add_column(column, overflow="fold")
    for row in aggregates:
        table.add_row(
            display_name(row["node"]),
            _n(row["count"]),
            " or ".join(c["name"] for c in row["chips"]),
            row["status"] or "unknown",
            row["confidence"] or "unknown",
            _first_sources(row["sources"]),
        )
    console.print(table)


def print_whatif(console: Console, answer: WhatIfAnswer) -> None:
    payload = as_json(answer)
    q = payload["query"]
    console.print(f"[bold]What if: {payload['overlay']['name']}[/] — {q['region']['name']}, as of {q['as_of']}")
    if not payload["changed"]:
        console.print("No chip model, route, data centre or exposure total changes status.")
        return
    for chip in payload["chips"]:
        reasons = "; ".join(chip["deciding"])
        console.print(f"  chip {chip['chip']['name']}: {chip['before']} → [bold]{chip['after']}[/] — {reasons}")
    for route in payload["routes"]:
        path = " → ".join(route["path"])
        console.print(f"  route {path} ({route['chip']['name']}): {route['before']} → [bold]{route['after']}[/]")
    for site in payload["sites"]:
        b, a = site["before"], site["after"]
        console.print(
            f"  site {display_name(site['site'])}: "
            f"restricted chips {b['restricted_chips']:,} → {a['restricted_chips']:,}, "
            f"licence routes {b['licence_routes']} → {a['licence_routes']}"
        )
    e = payload["restricted_exposure"]
    console.print(f"  restricted exposure: {_n(e['before']['chips'])} → {_n(e['after']['chips'])} chips")


def print_chokepoints(console: Console, answer: ChokepointsAnswer) -> None:
    payload = as_json(answer)
    q = payload["query"]
    console.print(
        f"[bold]Chokepoints into {q['region']['name']}[/] (as of {q['as_of']}): "
        f"{payload['licence_routes']} of {payload['routes']} routes need a licence"
    )
    table = Table(show_edge=False)
    for column in ("intermediary", "licence routes", "share", "betweenness", "chips"):
        table.add_column(column, overflow="fold")
    for row in payload["chokepoints"]:
        table.add_row(
            display_name(row["node"]),
            str(row["licence_routes"]),
            f"{row['share']:.0%}",
            f"{row['betweenness']:.3f}",
            ", ".join(c.removeprefix("chip-") for c in row["chips"]),
        )
    console.print(table)
