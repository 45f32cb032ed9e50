"""GET /v1/power — power plants near the sites of a region, or near one site."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.http.deps import StoreDep
from queries.answers import PowerAnswer
from queries.power import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, power_near
from queries.power_view import power_view
from queries.views import Viewer

router = APIRouter(tags=["power"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown region or site; the problem lists the closest names."},
    422: {"description": "Neither or both of region and site, or a radius out of range."},
}


@router.get("/power", response_model=PowerAnswer, responses=ERRORS)
def get_power(
    store: StoreDep,
    region: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Region id, name or ISO code.", examples=["Xinjiang"]),
    ] = None,
    site: Annotated[
        str | None, Query(min_length=1, max_length=200, description="One site id (instead of region).")
    ] = None,
    within_km: Annotated[
        float, Query(gt=0, le=MAX_RADIUS_KM, description="Radius in km (great-circle, mean Earth radius).")
    ] = DEFAULT_RADIUS_KM,
    as_of: Annotated[dt.date | None, Query(description="Date the answer holds for (default today).")] = None,
) -> PowerAnswer:
    """Each site's power plants within the radius — capacity, fuel, owners (with shares) and distance, nearest
    first — with totals by fuel and owner; the same JSON as `chiptrail power --format json`. A site without
    coordinates (its own or its place's) is listed with "no coordinates: distances unknown"."""
    answer = power_near(store, region=region, site=site, within_km=within_km, as_of=as_of)
    return power_view(Viewer(store), answer)
