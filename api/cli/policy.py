"""Policy commands: screen, exposure, whatif, chokepoints."""

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
from api.pictures import exposure_html
from queries.chokepoints import DEFAULT_TOP
from queries.chokepoints import chokepoints as rank_chokepoints
from queries.exposure import exposure as compute_exposure
from queries.exposure_view import exposure_view
from queries.overlay import read_overlay
from queries.policies import screen_party
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
    region: RegionOpt,
    as_of: AsOfOpt = None,
    top: Annotated[int, typer.Option(min=1, max=1000, help="How many intermediaries to list.")] = DEFAULT_TOP,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Intermediaries ranked by the licence-requiring routes into a region that pass through them."""
    with loaded(data, backend) as store:
        payload = rank_chokepoints(store, region, as_of=parse_date(as_of), top=top)
        emit(fmt, payload, lambda: render_policy.print_chokepoints(out, payload))
