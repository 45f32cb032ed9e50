"""The power command: plants within a radius of each site in a region, or of one site."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.cli.console import emit, loaded, out
from api.cli.options import AsOfOpt, Backend, BackendOpt, DataOpt, Format, FormatOpt, parse_date

app = typer.Typer()
DISTANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km|m)?\s*$", re.IGNORECASE)
POINT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*$")


def parse_point(text: str) -> tuple[float, float]:
    """'43.0,94.0' or '43.0, 94.0' (latitude, longitude in degrees) -> (lat, lon). Raises `typer.BadParameter`."""
    found = POINT.match(text)
    if found is None:
        raise typer.BadParameter(f"expected a point as LAT,LON in degrees such as 43.0,94.0, got '{text}'")
    lat, lon = float(found[1]), float(found[2])
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise typer.BadParameter(f"latitude must be from -90 to 90 and longitude from -180 to 180, got '{text}'")
    return lat, lon


def _check_point(value: str | None) -> str | None:
    if value is not None:
        parse_point(value)
    return value


def parse_distance(text: str) -> float:
    """'50km', '50 km', '5000m' or a plain number (km) -> km. Raises `typer.BadParameter` otherwise."""
    found = DISTANCE.match(text)
    if found is None:
        raise typer.BadParameter(f"expected a distance such as 50km, 50 km, 5000m or 50 (km), got '{text}'")
    value = float(found[1])
    km = value / 1000.0 if (found[2] or "km").lower() == "m" else value
    if km <= 0:
        raise typer.BadParameter(f"the distance must be more than 0, got '{text}'")
    return km


def _check_distance(value: str) -> str:
    parse_distance(value)
    return value


def _owners(plant: dict[str, Any]) -> str:
    parts = [
        f"{o['owner']['name']}{' ✱' if o['owner'].get('illustrative') else ''}"
        + (f" [{o['percentage']:g}%]" if o["percentage"] is not None else "")
        + (" (parent)" if o.get("stake_level") else "")
        for o in plant["owners"]
    ]
    return "; ".join(parts) or "unknown"


def _plants(count: int) -> str:
    return f"{count} plant{'' if count == 1 else 's'}"


def _mw(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.1f}"


def print_power(console: Console, payload: dict[str, Any]) -> None:
    """Each site: where it is measured from, its plants nearest first, totals by fuel and owner."""
    query = payload["query"]
    console.print(f"[bold]Power plants within {query['within_km']:g} km[/] on {query['as_of']} ({query['distance']})")
    for site in payload["sites"]:
        where = site["coordinates"]
        at = (
            f"{where['latitude']:.4f}, {where['longitude']:.4f} ({where['precision'] or 'precision unknown'})"
            if where
            else ""
        )
        mark = " ✱" if site["site"].get("illustrative") else ""
        console.rule(f"{site['site']['name']}{mark}  {at}".strip())
        if site["note"]:
            console.print(f"[yellow]{site['note']}[/]")
        print_plants(console, site["plants"], site["totals"])


def print_plants(console: Console, plants: list[dict[str, Any]], totals: dict[str, Any]) -> None:
    """A table of plants, nearest first, then their totals by fuel and by owner."""
    if plants:
        table = Table(show_edge=False)
        for column in ("plant", "km", "MW", "fuel", "status", "owners", "plant coords"):
            table.add_column(column, overflow="fold")
        for p in plants:
            name = p["plant"]["name"] + (" ✱" if p["plant"].get("illustrative") else "")
            fuel = "+".join(p["fuel"]) or "unknown"
            table.add_row(
                name,
                f"{p['distance_km']:.1f}",
                _mw(p["capacity_mw"]),
                fuel,
                p["status"] or "",
                _owners(p),
                p["precision"] or "",
            )
        console.print(table)
    fuels = ", ".join(f"{f['fuel']} {_mw(f['capacity_mw'])} MW" for f in totals["by_fuel"]) or "none"
    console.print(f"total {_mw(totals['capacity_mw'])} MW in {_plants(totals['plants'])}; by fuel: {fuels}")
    for o in totals["by_owner"]:
        share = f", attributable {_mw(o['attributable_mw'])} MW" if o["attributable_mw"] is not None else ""
        console.print(f"  {o['owner']['name']}: {_mw(o['capacity_mw'])} MW in {_plants(o['plants'])}{share}")


@app.command()
def power(
    region: Annotated[
        str | None, typer.Option(help="Region id, name, Chinese name or ISO code: every site in it or inside it.")
    ] = None,
    site: Annotated[str | None, typer.Option(help="One site id (instead of --region).")] = None,
    near: Annotated[
        str | None,
        typer.Option(
            help="A point LAT,LON in degrees (instead of --region/--site): the sites and plants within the radius.",
            callback=_check_point,
        ),
    ] = None,
    within: Annotated[
        str,
        typer.Option("--within", help="Radius: 50km, 50 km, 5000m or a plain number of km.", callback=_check_distance),
    ] = "50km",
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Power plants within a radius of each site in a region (or of one site): capacity, fuel, owners and
    great-circle distance, with totals by fuel and owner. With --near, the sites and plants within the
    radius of a point."""
    if sum(x is not None for x in (region, site, near)) != 1:
        raise typer.BadParameter("give --region, --site or --near (one of them)")
    if near is not None:
        _power_at(parse_point(near), parse_distance(within), parse_date(as_of), fmt, data, backend)
        return
    from queries.power import power_near  # the query layer loads only when the command runs
    from queries.power_view import power_view
    from queries.views import Viewer

    with loaded(data, backend) as store:
        answer = power_near(store, region=region, site=site, within_km=parse_distance(within), as_of=parse_date(as_of))
        payload = power_view(Viewer(store), answer)
        emit(fmt, payload, lambda: print_power(out, payload.model_dump(mode="json")))


def _power_at(
    point: tuple[float, float], km: float, day: dt.date | None, fmt: Format, data: DataOpt, backend: Backend
) -> None:
    from queries.power_point import power_at_point
    from queries.power_view import point_view
    from queries.views import Viewer

    with loaded(data, backend) as store:
        payload = point_view(Viewer(store), power_at_point(store, *point, within_km=km, as_of=day))
        emit(fmt, payload, lambda: print_point(out, payload.model_dump(mode="json")))


def print_point(console: Console, payload: dict[str, Any]) -> None:
    """The sites near the point, its plants nearest first, and their totals by fuel and owner."""
    query = payload["query"]
    console.print(
        f"[bold]Within {query['within_km']:g} km of {query['latitude']:.4f}, {query['longitude']:.4f}[/]"
        f" on {query['as_of']} ({query['distance']})"
    )
    console.rule("sites")
    for s in payload["sites"]:
        mark = " ✱" if s["site"].get("illustrative") else ""
        precision = s["coordinates"]["precision"] or "precision unknown"
        console.print(f"  {s['site']['name']}{mark}  {s['distance_km']:.1f} km ({precision})")
    if not payload["sites"]:
        console.print("  none")
    if payload["sites_without_coordinates"]:
        console.print(
            f"[yellow]{payload['sites_without_coordinates']} site(s) in the graph have no coordinates: not placed[/]"
        )
    console.rule("plants")
    print_plants(console, payload["plants"], payload["totals"])
