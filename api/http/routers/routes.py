"""GET /v1/routes — the headline question over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.http.deps import SettingsDep, StoreDep
from api.http.drawn import HTML_RESPONSE, FormatQuery, wants_html
from api.pictures import routes_html
from queries.answers import RoutesAnswer
from queries.routes import DEFAULT_MAX_HOPS, find_routes
from queries.views import Viewer

router = APIRouter(tags=["routes"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown chip or region; the problem lists the closest names."}
}


@router.get("/routes", response_model=RoutesAnswer, responses={**NOT_FOUND, **HTML_RESPONSE})
def get_routes(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    chip: Annotated[
        str, Query(min_length=1, max_length=200, description="Chip id, name, alias or family.", examples=["H100"])
    ],
    region: Annotated[
        str, Query(min_length=1, max_length=200, description="Region id, name or ISO code.", examples=["Xinjiang"])
    ],
    as_of: Annotated[dt.date | None, Query(description="Date the answer holds for (default today).")] = None,
    max_hops: Annotated[
        int, Query(ge=1, description="Longest route in SUPPLIES hops, up to the bound in supply_paths.cypher.")
    ] = DEFAULT_MAX_HOPS,
    time_respecting: bool = False,
    limit: Annotated[int, Query(ge=1, le=100_000, description="Most routes to return.")] = 100,
    screen: Annotated[
        bool, Query(description="Screen each hop's parties (designations, affiliates) and give a verdict per route.")
    ] = False,
    fmt: FormatQuery = None,
) -> RoutesAnswer | HTMLResponse:
    """Routes that carry the chip into the region, each hop with its evidence, and leads — the same
    JSON as `chiptrail routes --format json`; with `format=html` (or Accept: text/html) its picture."""
    answer = find_routes(
        store,
        chip,
        region,
        as_of=as_of,
        max_hops=max_hops,
        time_respecting_only=time_respecting,
        limit=min(limit, settings.max_limit),
        screen=screen,
    )
    payload = Viewer(store).routes_answer(answer)
    return HTMLResponse(routes_html(payload)) if wants_html(request, fmt) else payload
