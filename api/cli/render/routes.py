"""Terminal (rich) rendering of routes, leads, restriction decisions and counts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from rich.columns import Columns
from rich.console import Console
from rich.table import Table
from rich.text import Text

from queries.answers import Restriction, RoutesAnswer


def as_json(answer: BaseModel) -> dict[str, Any]:
    """The answer as the JSON the API returns and `--format json` prints (the tables read that)."""
    return answer.model_dump(mode="json", by_alias=True)


FICTIONAL = "[bold magenta]ILLUSTRATIVE (fictional)[/]"
STATUS_STYLE = {
    "license_required": "bold red",
    "license_exception": "magenta",
    "not_restricted": "green",
    "undetermined": "yellow",
    "mixed": "yellow",
}


def display_name(ref: dict[str, Any]) -> str:
    mark = " ✱" if ref.get("illustrative") else ""
    return f"{ref['name']}{mark}"


def _sources(sources: list[dict[str, Any]]) -> str:
    return "; ".join(str(s.get("name") or s.get("title") or s["id"]) for s in sources)


def status_text(decision: dict[str, Any] | None) -> Text:
    if decision is None:
        return Text("destination country unknown", style="yellow")
    label = decision["status"].replace("_", " ")
    if decision.get("license_policy"):
        label += f" ({decision['license_policy']})"
    return Text(label, style=STATUS_STYLE[decision["status"]])


def print_routes(console: Console, routes: RoutesAnswer) -> None:
    """Each route as a header line, its restriction, and a table of hops with their evidence."""
    answer = as_json(routes)
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
            f"\n[bold]{number}. {route['chip']['name']} → {display_name(route['destination'])}[/]  "
            f"{route['length']} hops, weakest evidence: {route['weakest_confidence']}{flag}"
        )
        decision = route["restriction"]
        if decision:
            console.print(
                Text(f"   {decision['destination']}: ") + status_text(decision) + Text(" — " + _reasons(decision))
            )
        table = Table(show_edge=False, pad_edge=False, box=None)
        for column in ("from", "to", "date", "qty", "confidence", "sources"):
            table.add_column(column, overflow="fold")
        for hop in route["hops"]:
            qty = f"{hop['quantity']:,}" if hop["quantity"] is not None else ""
            table.add_row(
                display_name(hop["from"]),
                display_name(hop["to"]),
                hop["date"] or "",
                qty,
                hop["confidence"],
                _sources(hop["sources"]),
            )
        console.print(table)
        if route.get("screening"):
            print_screening(console, route["screening"])
    print_leads(console, answer["leads"])


VERDICT_STYLE = {"both": "bold red", "item": "red", "party": "red", "neither": "green"}
PARTY_STYLE = {"listed": "bold red", "affiliate": "red", "undetermined": "yellow", "clear": "green"}


def print_screening(console: Console, screening: dict[str, Any]) -> None:
    """The route's verdict and every party flagged (or undetermined) on a hop."""
    style = VERDICT_STYLE[screening["verdict"]]
    head = screening["explanation"].split(":")[0].rstrip(".")  # the reasons follow, party by party
    console.print(Text("   screening: ") + Text(head, style=style))
    for number, hop in enumerate(screening["hops"], 1):
        roles = [("sender", hop["sender"]), ("recipient", hop["recipient"])]
        roles += [("end user", u) for u in hop["end_users"]]
        for role, party in ((r, p) for r, p in roles if p and p["status"] != "clear"):
            line = Text(f"     hop {number} ({hop['date']}), {role} {display_name(party)}: ")
            line += Text(party["status"], style=PARTY_STYLE[party["status"]])
            console.print(line + Text(" — " + party.get("explanation", "")))


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
            display_name(lead["site"]),
            lead["chip"]["name"],
            count,
            lead["status"] or "",
            lead["confidence"],
            _sources(lead["sources"]),
        )
    console.print(table)


def _reasons(decision: dict[str, Any]) -> str:
    deciding = [
        r["reason"] for r in decision["rules"] if r["outcome"] in ("met", "targeted", "policy_change", "unknown")
    ]
    return "; ".join(deciding) or str(decision["explanation"])


def print_decisions(console: Console, restrictions: list[Restriction]) -> None:
    """One row per chip model: status and the rules and numbers that decided it."""
    decisions = [as_json(r) for r in restrictions]
    table = Table(show_lines=True, expand=True)
    table.add_column("chip", ratio=2)
    table.add_column("status", ratio=2)
    table.add_column("why", ratio=5)
    for d in decisions:
        table.add_row(d["chip"]["name"], status_text(d), _reasons(d))
    console.print(table)


def print_counts(console: Console, counts: dict[str, int], labels: set[str]) -> None:
    """Node counts by label, then relationship counts by type."""
    tables = []
    for title, keys in (
        ("nodes by label", sorted(k for k in counts if k in labels)),
        ("relationships by type", sorted(k for k in counts if k not in labels)),
    ):
        table = Table(title=title, show_edge=False)
        table.add_column(title.split()[-1])
        table.add_column("count", justify="right")
        for key in keys:
            table.add_row(key, f"{counts[key]:,}")
        tables.append(table)
    console.print(Columns(tables, padding=(0, 4)))
