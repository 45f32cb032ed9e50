"""Tracing commands: routes, restrictions, and the demo that runs the main job."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from api.cli.console import emit, emit_drawn, loaded, out
from api.cli.options import (
    AsOfOpt,
    Backend,
    BackendOpt,
    DataOpt,
    Format,
    FormatOpt,
    OutputOpt,
    PictureFormat,
    PictureFormatOpt,
    parse_date,
)
from api.cli.render import policy as render_policy
from api.cli.render import routes as render
from api.cli.render.specs import print_specs
from api.pictures import routes_html
from ontology import load_schema
from ontology.vocab import Prop
from queries.chokepoints import chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.lookup import all_decisions, restrictions_for, restrictions_view, specs_for
from queries.routes import DEFAULT_MAX_HOPS, find_routes
from queries.views import Viewer, restriction_view

app = typer.Typer()


@app.command()
def routes(
    chip: Annotated[str, typer.Option(help="Chip model id, name, alias or family (H100 covers every variant).")],
    region: Annotated[str, typer.Option(help="Region id, name, Chinese name or ISO code; places inside it count.")],
    as_of: AsOfOpt = None,
    max_hops: Annotated[
        int,
        typer.Option(
            "--max-hops", min=1, help="Longest route, in SUPPLIES hops (up to the bound in supply_paths.cypher)."
        ),
    ] = DEFAULT_MAX_HOPS,
    time_respecting: Annotated[
        bool, typer.Option("--time-respecting", help="Only routes whose hop dates never decrease.")
    ] = False,
    screen: Annotated[
        bool,
        typer.Option("--screen", help="Screen each hop's parties (designations, ≥ 50% affiliates) and give a verdict."),
    ] = False,
    fmt: PictureFormatOpt = PictureFormat.table,
    output: OutputOpt = None,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Routes that carry a chip model into a region, each hop with its evidence, and leads (--format html
    draws them)."""
    with loaded(data, backend) as store:
        answer = find_routes(
            store,
            chip,
            region,
            as_of=parse_date(as_of),
            max_hops=max_hops,
            time_respecting_only=time_respecting,
            screen=screen,
        )
        payload = Viewer(store).routes_answer(answer)
        emit_drawn(fmt, payload, lambda: render.print_routes(out, payload), lambda: routes_html(payload), output)


@app.command()
def restrictions(
    chip: Annotated[str, typer.Option(help="Chip model id, name, alias or family.")],
    destination: Annotated[str, typer.Option(help="ISO 3166-1 code (CN) or a place name.")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Whether a chip model needs a US licence for a destination on a date, and why."""
    with loaded(data, backend) as store:
        decisions = restrictions_for(store, chip, destination, parse_date(as_of))
        payload = restrictions_view(chip, decisions)

        def table() -> None:
            out.print(f"[bold]US licence requirement for {payload.destination} on {payload.as_of}[/]")
            render.print_decisions(out, [restriction_view(d) for d in decisions])

        emit(fmt, payload, table)


@app.command()
def specs(
    chip: Annotated[str, typer.Option(help="Chip model id, name, alias or family.")],
    destination: Annotated[
        str | None, typer.Option(help="Also decide for this destination (ISO code or place name).")
    ] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """A chip model's figures from every source side by side (curated, Epoch AI, …), the conflicts,
    and with --destination the decision from each source's figures."""
    with loaded(data, backend) as store:
        answers = specs_for(store, chip, destination, parse_date(as_of))

        def table() -> None:
            for answer in answers:
                print_specs(out, answer)

        emit(fmt, [a.model_dump(mode="json", by_alias=True) for a in answers], table)


@app.command()
def demo(
    region: Annotated[str, typer.Option(help="Region to trace into.")] = "Xinjiang",
    destination: Annotated[str, typer.Option(help="Destination country for the restriction check.")] = "CN",
    as_of: AsOfOpt = None,
) -> None:
    """Load the curated and scenario data; show counts, restrictions, screened routes into Xinjiang, leads,
    the region's exposure and the top chokepoints."""
    with loaded(None) as store:
        day = parse_date(as_of) or dt.date.today()
        out.print("[bold]What the graph holds[/] (curated facts with sources, plus the illustrative scenario)")
        render.print_counts(out, store.counts(), set(load_schema().classes))
        decisions = all_decisions(store, destination, day)
        out.print(
            f"\n[bold]Which chip models need a US licence for {destination} on {day}[/] (derived from specs and rules)"
        )
        render.print_decisions(out, [restriction_view(d) for d in decisions])
        viewer = Viewer(store)
        for decision in (d for d in decisions if d.restricted):
            answer = find_routes(store, decision.chip.id, region, as_of=day, screen=True)
            if answer.routes or answer.leads:
                out.rule(str(decision.chip.props.get(Prop.NAME, decision.chip.id)))
                render.print_routes(out, viewer.routes_answer(answer))
        out.rule("Exposure")
        render_policy.print_exposure(out, exposure_view(viewer, exposure(store, region, as_of=day)))
        out.rule("Chokepoints")
        render_policy.print_chokepoints(out, chokepoints(store, region, as_of=day, top=5))
        out.print(f"\n✱ = {render.FICTIONAL}: an invented network from data/scenarios, not evidence.")
