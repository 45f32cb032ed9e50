"""Terminal (rich) rendering of a chip model's figures from every source, side by side."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from queries.specs import SpecAnswer, SpecFigure


def _value(value: float | str) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"
    return value


def _claims(figure: SpecFigure) -> str:
    return "\n".join(f"{_value(c.value)}  [dim]{escape(c.dataset)}[/]" for c in figure.claims)


def print_specs(console: Console, answer: SpecAnswer) -> None:
    """One row per figure: every source's value, a conflict flag, then the decisions."""
    table = Table(title=escape(answer.chip.name or answer.chip.id or ""), show_lines=True, expand=True)
    table.add_column("figure", ratio=2)
    table.add_column("value: source", ratio=4)
    table.add_column("conflict", ratio=1)
    for figure in answer.figures:
        table.add_row(figure.figure, _claims(figure), "[red]yes[/]" if figure.conflict else "")
    console.print(table)
    for each in answer.by_source:
        d = each.decision
        console.print(f"  from {escape(each.dataset)}: {d.status.value} — {escape(d.explanation)}")
    console.print(escape(answer.explanation))
