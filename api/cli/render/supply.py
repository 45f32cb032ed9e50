"""Tables for the upstream supply chain: a chip's dependencies by stage, and upstream chokepoints."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.cli.render.routes import as_json, display_name
from queries.answers import DependenciesAnswer, UpstreamAnswer

SHOWN_PROVIDERS = 3


def _sources(items: list[dict[str, Any]]) -> str:
    return "; ".join(dict.fromkeys(s.get("name") or s.get("title") or s["id"] for s in items)) or "—"


def _provider(line: dict[str, Any]) -> str:
    country = f" ({line['country']})" if line["country"] and line["kind"] == "organization" else ""
    year = f" {line['year']}" if line["year"] else ""
    control = ""
    if line["export_control"] == "covered":
        control = " — controlled (" + ", ".join(r["citation"] or r["rule"]["name"] for r in line["rules"]) + ")"
    return escape(f"{display_name(line['provider'])}{country} {line['share_text']}{year}{control}")


def _parties(label: str, parties: list[dict[str, Any]]) -> str:
    if not parties:
        return f"{label}: unknown (not in the graph)"
    shown = []
    for party in parties:
        country = f" ({party['country']})" if party["country"] else ""
        relation = f" [{party['relation']}]" if party["relation"] != "DESIGNS" else ""
        shown.append(f"{display_name(party['organization'])}{country}{relation} — {_sources(party['sources'])}")
    return escape(f"{label}: " + "; ".join(shown))


def print_dependencies(console: Console, answer: DependenciesAnswer) -> None:
    payload = as_json(answer)
    chips = ", ".join(display_name(c) for c in payload["chips"])
    inputs = ", ".join(display_name(i) for i in payload["chip_input"]) or "none"
    console.print(f"[bold]What {chips} needs upstream[/] (as of {payload['as_of']}; taken as: {inputs})")
    console.print(_parties("designer", payload["designers"]))
    console.print(_parties("foundry", payload["foundries"]))
    cited: set[str] = set()
    for stage in payload["stages"]:
        title = stage["stage"]["name"] if stage["stage"] else "no stage given"
        table = Table(title=f"{title}: {len(stage['needs'])} inputs", show_edge=False, title_justify="left")
        for column in ("input", "type", "providers (share, year)", "controls", "sources"):
            table.add_column(column, overflow="fold")
        for need in stage["needs"]:
            providers = [_provider(p) for p in need["providers"][:SHOWN_PROVIDERS]]
            more = len(need["providers"]) - SHOWN_PROVIDERS
            listed = "; ".join(providers) + (f"; +{more} more" if more > 0 else "") if providers else "unknown"
            controls = ", ".join(f"{c['citation']} ({'/'.join(c['issuing_countries'])})" for c in need["controls"])
            name = display_name(need["input"]) + (" ◆ single provider" if need["single_provider"] else "")
            text = sorted({p["source_text"] for p in need["providers"] if p["source_text"]})
            sources = "; ".join(text) if text else "—"
            cited.update(s.get("name") or s["id"] for s in need["sources"])
            table.add_row(name, need["type"] or "—", listed, controls or "unknown", sources)
        if stage["providers"]:
            console.print(escape(f"{title}, whole stage: " + "; ".join(_provider(p) for p in stage["providers"])))
        console.print(table)
    for line in payload["unknown"]:
        console.print(f"unknown — {line}")
    if cited:
        console.print("every input and share rests on: " + "; ".join(sorted(cited)))
    if payload["licences"]:
        console.print("licence of the supply-chain data: " + "; ".join(payload["licences"]))


def print_upstream(console: Console, answer: UpstreamAnswer) -> None:
    payload = as_json(answer)
    q = payload["query"]
    scope = ", ".join(f"{k} {q[k]!r}" for k in ("stage", "input") if q[k]) or "every input"
    console.print(
        f"[bold]Upstream chokepoints[/] ({scope}, as of {q['as_of']}): {payload['inputs']} inputs, "
        f"{len(payload['single_provider_inputs'])} with a single provider"
    )
    table = Table(show_edge=False)
    for column in ("provider", "country", "input", "stage", "share", "year", "source"):
        table.add_column(column, overflow="fold")
    for row in payload["chokepoints"]:
        table.add_row(
            display_name(row["provider"]),
            row["country"] or "unknown",
            display_name(row["input"]) + (" ◆" if row["single_provider"] else ""),
            row["stage"] or "—",
            row["share_text"],
            str(row["year"] or "—"),
            row["source_text"] or _sources(row["sources"]),
        )
    console.print(table)
    console.print("◆ single provider: the only one the data names for the input")
    if payload["licences"]:
        console.print("licence of the supply-chain data: " + "; ".join(payload["licences"]))
