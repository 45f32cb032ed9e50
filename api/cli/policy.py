"""Policy commands: screen, exposure, whatif, chokepoints, dependencies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.console import emit, emit_drawn, loaded, out, user_errors
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
    RegionOpt,
    parse_date,
)
from api.cli.render import policy as render_policy
from api.cli.render import supply as render_supply
from api.pictures import exposure_html
from queries.chokepoints import DEFAULT_TOP
from queries.chokepoints import chokepoints as rank_chokepoints
from queries.dependencies import dependencies as chip_dependencies
from queries.exposure import exposure as compute_exposure
from queries.exposure_view import exposure_view
from queries.overlay import read_overlay
from queries.policies import screen_party
from queries.upstream import upstream_chokepoints
from queries.views import Viewer
from queries.whatif import whatif as compare

app = typer.Typer()


@app.command()
def screen(
    party: Annotated[str, typer.Argument(help="Organisation id, name, alias or Chinese name.")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Is the organisation designated on the date, by which listing — or a ≥ 50% affiliate of listed parties?"""
    with loaded(data, backend) as store:
        payload = screen_party(store, party, parse_date(as_of))
        emit(fmt, payload, lambda: render_policy.print_screen(out, payload))


@app.command()
def exposure(
    region: RegionOpt,
    as_of: AsOfOpt = None,
    fmt: PictureFormatOpt = PictureFormat.table,
    output: OutputOpt = None,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Compute reaching a region: chips, TPP and H100-equivalents by chip model and confidence, per site
    (--format html draws them)."""
    with loaded(data, backend) as store:
        payload = exposure_view(Viewer(store), compute_exposure(store, region, as_of=parse_date(as_of)))
        emit_drawn(
            fmt, payload, lambda: render_policy.print_exposure(out, payload), lambda: exposure_html(payload), output
        )


@app.command()
def whatif(
    overlay: Annotated[Path, typer.Argument(help="YAML overlay: changed or added rules, listings, affiliates on/off.")],
    region: RegionOpt,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """What changes (chip models, routes, data centres, exposure) under a modified rule set."""
    with user_errors():
        changes = read_overlay(overlay)
    with loaded(data, backend) as store:
        payload = compare(store, changes, region, parse_date(as_of), str(overlay))
        emit(fmt, payload, lambda: render_policy.print_whatif(out, payload))


@app.command()
def chokepoints(
    region: Annotated[
        str | None, typer.Option(help="Region id, name, Chinese name or ISO code; places inside it count.")
    ] = None,
    as_of: AsOfOpt = None,
    top: Annotated[int, typer.Option(min=1, max=1000, help="How many intermediaries to list.")] = DEFAULT_TOP,
    upstream: Annotated[
        bool, typer.Option(help="Rank upstream providers by the share of a supply-chain input they supply.")
    ] = False,
    stage: Annotated[str | None, typer.Option(help="With --upstream: only inputs of this stage.")] = None,
    input_name: Annotated[
        str | None, typer.Option("--input", help="With --upstream: only this input (name or ETO id).")
    ] = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Intermediaries ranked by the licence-requiring routes into a region that pass through them;
    with --upstream, the providers of supply-chain inputs ranked by their share."""
    if upstream:
        with loaded(data, backend) as store:
            ranked = upstream_chokepoints(store, stage=stage, input_name=input_name, as_of=parse_date(as_of), top=top)
            emit(fmt, ranked, lambda: render_supply.print_upstream(out, ranked))
        return
    if region is None:
        raise typer.BadParameter("give --region, or --upstream for supply-chain providers", param_hint="--region")
    with loaded(data, backend) as store:
        payload = rank_chokepoints(store, region, as_of=parse_date(as_of), top=top)
        emit(fmt, payload, lambda: render_policy.print_chokepoints(out, payload))


@app.command()
def dependencies(
    chip: Annotated[str, typer.Option(help="Chip model id, name, alias or family (e.g. 'Ascend 910C').")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """What the chip needs upstream, by stage: who provides each input (country, share, year, source)
    and whether an export-control rule of the provider's country covers it ("unknown" where the
    graph is silent); the chip's designer and foundry."""
    with loaded(data, backend) as store:
        payload = chip_dependencies(store, chip, as_of=parse_date(as_of))
        emit(fmt, payload, lambda: render_supply.print_dependencies(out, payload))
