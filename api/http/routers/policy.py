"""Policy reasoning over HTTP: screening, exposure, what-if overlays and chokepoints."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.http.deps import StoreDep
from api.http.drawn import HTML_RESPONSE, FormatQuery, wants_html
from api.pictures import exposure_html
from queries.answers import ChokepointsAnswer, ExposureAnswer, ScreenAnswer, WhatIfAnswer
from queries.chokepoints import DEFAULT_TOP, chokepoints
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.overlay import Overlay
from queries.policies import screen_party
from queries.views import Viewer
from queries.whatif import whatif

router = APIRouter(tags=["policy"])
Region = Annotated[
    str, Query(min_length=1, max_length=200, description="Region id, name or ISO code.", examples=["Xinjiang"])
]
AsOf = Annotated[dt.date | None, Query(description="Date the answer holds for (default today).")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown name; the problem lists the closest."}}


@router.get("/screen", response_model=ScreenAnswer, responses=NOT_FOUND)
def get_screen(
    store: StoreDep,
    party: Annotated[
        str, Query(min_length=1, max_length=200, description="Organisation id, name or alias.", examples=["Sugon"])
    ],
    as_of: AsOf = None,
) -> ScreenAnswer:
    """Whether the organisation is designated on the date (which listing, citation, licence terms), or
    owned at or above an affiliates rule's threshold by listed parties — with every ownership chain,
    percentage and total. The same JSON as `chiptrail screen --format json`."""
    return screen_party(store, party, as_of)


@router.get("/exposure", response_model=ExposureAnswer, responses={**NOT_FOUND, **HTML_RESPONSE})
def get_exposure(
    request: Request, store: StoreDep, region: Region, as_of: AsOf = None, fmt: FormatQuery = None
) -> ExposureAnswer | HTMLResponse:
    """Compute reaching the region — chips, TPP and H100-equivalents by chip model and by confidence,
    each data centre with its evidence and a power plausibility check. Same JSON as `chiptrail exposure`;
    with `format=html` (or Accept: text/html) its picture."""
    payload = exposure_view(Viewer(store), exposure(store, region, as_of=as_of))
    return HTMLResponse(exposure_html(payload)) if wants_html(request, fmt) else payload


@router.get("/chokepoints", response_model=ChokepointsAnswer, responses=NOT_FOUND)
def get_chokepoints(
    store: StoreDep, region: Region, as_of: AsOf = None, top: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_TOP
) -> ChokepointsAnswer:
    """Intermediaries ranked by the licence-requiring routes into the region that pass through them,
    then by betweenness on the subgraph of those routes. Same JSON as `chiptrail chokepoints`."""
    return chokepoints(store, region, as_of=as_of, top=top)


class WhatIfRequest(BaseModel):
    region: str = Field(min_length=1, max_length=200, examples=["Xinjiang"])
    as_of: dt.date | None = None
    overlay: Overlay


EXAMPLE = {
    "region": "Xinjiang",
    "as_of": "2024-12-01",
    "overlay": {
        "name": "TPP threshold 2,000 from 2024-01-01",
        "rules": [
            {
                "id": "whatif-tpp-2000",
                "effect": "license_required",
                "valid_from": "2024-01-01",
                "destinations": ["CN"],
                "criteria": ["3A090.a: tpp >= 2000"],
            }
        ],
    },
}


@router.post("/whatif", response_model=WhatIfAnswer, responses=NOT_FOUND)
def post_whatif(store: StoreDep, request: Annotated[WhatIfRequest, Body(examples=[EXAMPLE])]) -> WhatIfAnswer:
    """Chip models, routes and data centres whose status changes under the overlay (changed or added
    rules, added or removed listings, the affiliates rule off), against the rules in force. Nothing is
    written. Same JSON as `chiptrail whatif`."""
    return whatif(store, request.overlay, request.region, request.as_of, "request body")
