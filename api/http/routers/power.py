"""GET /v1/power — power plants near the sites of a region, or near one site."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.http.deps import StoreDep
from ontology.errors import InvalidParameter
from queries.answers import PointPowerAnswer, PowerAnswer
from queries.power import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, power_near
from queries.power_point import power_at_point
from queries.power_view import point_view, power_view
from queries.views import Viewer

router = APIRouter(tags=["power"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown region or site; the problem lists the closest names."},
    422: {
        "description": "Not exactly one of region, site and point; a malformed point; "
        "or a point or radius out of range."
    },
}


@router.get("/power", response_model=PowerAnswer | PointPowerAnswer, responses=ERRORS)
def get_power(
    store: StoreDep,
    region: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Region id, name or ISO code.", examples=["Xinjiang"]),
    ] = None,
    site: Annotated[
        str | None, Query(min_length=1, max_length=200, description="One site id (instead of region).")
    ] = None,
    near: Annotated[
        str | None,
        Query(
            max_length=100,
            description="A point 'LAT,LON' in degrees (instead of region or site).",
            examples=["42.8,93.5"],
        ),
    ] = None,
    latitude: Annotated[
        float | None, Query(ge=-90, le=90, description="The point's latitude (with longitude).")
    ] = None,
    longitude: Annotated[
        float | None, Query(ge=-180, le=180, description="The point's longitude (with latitude).")
    ] = None,
    within_km: Annotated[
        float, Query(gt=0, le=MAX_RADIUS_KM, description="Radius in km (great-circle, mean Earth radius).")
    ] = DEFAULT_RADIUS_KM,
    as_of: Annotated[dt.date | None, Query(description="Date the answer holds for (default today).")] = None,
) -> PowerAnswer | PointPowerAnswer:
    """Each site's power plants within the radius — capacity, fuel, owners (with shares) and distance, nearest
        first — with totals by fuel and owner; the same JSON as `chiptrail power --format json`. A site without
        coordinates (its own or its place's) is listed with "no coordinates: distances unknown". With a point
    (`near=LAT,LON`, or `latitude` and `longitude`): the sites and plants within the radius of it, and how many
    sites have no coordinates (`chiptrail power --near LAT,LON --format json`)."""
    point = _point(near, latitude, longitude)
    if point is not None:
        if region is not None or site is not None:
            raise InvalidParameter("give a region, a site or a point (one of them)")
        return point_view(Viewer(store), power_at_point(store, *point, within_km=within_km, as_of=as_of))
    answer = power_near(store, region=region, site=site, within_km=within_km, as_of=as_of)
    return power_view(Viewer(store), answer)


def _point(near: str | None, latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    """The point asked for, if any. Raises `InvalidParameter` for a malformed or half-given point."""
    if near is not None:
        if latitude is not None or longitude is not None:
            raise InvalidParameter("give near=LAT,LON or latitude and longitude, not both")
        parts = near.split(",")
        try:
            lat, lon = (float(p) for p in parts)
        except ValueError:
            raise InvalidParameter(f"near must be LAT,LON in degrees such as 42.8,93.5, got '{near}'") from None
        return lat, lon
    if (latitude is None) != (longitude is None):
        raise InvalidParameter("give both latitude and longitude")
    return (latitude, longitude) if latitude is not None and longitude is not None else None
