"""Human-readable (rich) rendering of answers for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

FICTIONAL = "[bold magenta]ILLUSTRATIVE (fictional)[/]"
STATUS_STYLE = {"license_required": "bold red", "not_restricted": "green", "undetermined": "yellow"}


def _name(ref: dict[str, Any]) -> str:
    mark = " ✱" if ref.get("illustrative") else ""
    return f"{ref['name']}{mark}"


def _sources(sources: list[dict[str, Any]]) -> str:
    return "; ".join(f"{s.get('publisher') or ''}: {s.get('title') or s['id']}".strip(": ") for s in sources)


def status_text(decision: dict[str, Any] | None) -> Text:
    if decision is None:
        return Text("destination country unknown", style="yellow")
    label = decision["status"].replace("_", " ")
    if decision.get("license_policy"):
        label += f" ({decision['license_policy']})"
    return Text(label, style=STATUS_STYLE[decision["status"]])


def print_routes(console: Console, answer: dict[str, Any]) -> None:
    """Each route as a header line, its restriction, and a table of hops with their evidence."""
    q = answer["query"]
    chips = ", ".join(c["name"] for c in q["chips"])
    console.print(
        f"[bold]Routes for {chips} into {q['region']['name']}[/] "
        f"(as of {q['as_of']}, ≤ {q['max_hops']} hops"
        f"{', time-respecting' if q['time_respecting'] else ''}): {len(answer['routes'])} found"
    )
    for number, route in enumerate(answer["routes"], 1):
        flag = f"  {FICTIONAL}" if route["illustrative"] else ""
        console.print(
            f"\n[bold]{number}. {route['chip']['name']} → {_name(route['destination'])}[/]  "
            f"{route['length']} hops, weakest evidence: {route['weakest_confidence']}{flag}"
        )
        if route["restriction"]:
            console.print(
                Text("   ") + status_text(route["restriction"]) + Text(": " + route["restriction"]["explanation"])
            )
        table = Table(show_edge=False, pad_edge=False, box=None)
        for column in ("from", "to", "date", "qty", "confidence", "sources"):
            table.add_column(column, overflow="fold")
        for hop in route["hops"]:
            qty = f"{hop['quantity']:,}" if hop["quantity"] is not None else ""
            table.add_row(
                _name(hop["from"]),
                _name(hop["to"]),
                hop["date"] or "",
                qty,
                hop["confidence"],
                _sources(hop["sources"]),
            )
        console.print(table)
    print_leads(console, answer["leads"])


def print_leads(console: Console, leads: list[dict[str, Any]]) -> None:
    """Reported deployments no known route reaches."""
    console.print(f"\n[bold]Leads[/] (chips reported at a site, no known supply route): {len(leads)}")
    if not leads:
        return
    table = Table(show_edge=False, box=None)
    for column in ("site", "chip", "count", "status", "confidence", "sources"):
        table.add_column(column, overflow="fold")
    for lead in leads:
        count = f"{lead['count']:,}" if lead["count"] is not None else "unknown"
        table.add_row(
            _name(lead["site"]),
            lead["chip"]["name"],
            count,
            lead["status"] or "",
            lead["confidence"],
            _sources(lead["sources"]),
        )
    console.print(table)


def print_decisions(console: Console, decisions: list[dict[str, Any]]) -> None:
    """One row per chip model: status and the reasons."""
    table = Table(show_lines=True)
    for column in ("chip", "destination", "as of", "status", "explanation"):
        table.add_column(column, overflow="fold")
    for d in decisions:
        table.add_row(d["chip"]["name"], d["destination"], d["as_of"], status_text(d), d["explanation"])
    console.print(table)


def print_counts(console: Console, counts: dict[str, int], labels: set[str]) -> None:
    """Node counts by label, then relationship counts by type."""
    table = Table(title="What the graph holds")
    table.add_column("label / type")
    table.add_column("count", justify="right")
    for key in sorted(counts, key=lambda k: (k not in labels, k)):
        table.add_row(key if key in labels else f"[dim]-[{key}]->[/]", f"{counts[key]:,}")
    console.print(table)
