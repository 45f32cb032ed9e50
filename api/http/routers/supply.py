"""The upstream supply chain over HTTP: a chip's dependencies and the upstream chokepoints."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.http.deps import StoreDep
from queries.answers import DependenciesAnswer, UpstreamAnswer
from queries.dependencies import dependencies
from queries.upstream import DEFAULT_TOP, upstream_chokepoints

router = APIRouter(tags=["supply chain"])
AsOf = Annotated[dt.date | None, Query(description="Date the answer holds for (default today).")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown name; the problem lists the closest."}}


@router.get("/dependencies", response_model=DependenciesAnswer, responses=NOT_FOUND)
def get_dependencies(
    store: StoreDep,
    chip: Annotated[
        str,
        Query(
            min_length=1, max_length=200, description="Chip model id, name, alias or family.", examples=["Ascend 910C"]
        ),
    ],
    as_of: AsOf = None,
) -> DependenciesAnswer:
    """What the chip needs upstream, by stage: each input's providers (country, share, year, the
    source's words), whether an export-control rule of the provider's country covers it ("unknown"
    where the graph holds none), and the chip's designer and foundry. Same JSON as
    `chiptrail dependencies --format json`."""
    return dependencies(store, chip, as_of=as_of)


@router.get("/chokepoints/upstream", response_model=UpstreamAnswer, responses=NOT_FOUND)
def get_upstream_chokepoints(
    store: StoreDep,
    stage: Annotated[str | None, Query(max_length=200, description="Only inputs of this stage.")] = None,
    input_name: Annotated[
        str | None, Query(alias="input", max_length=200, description="Only this input (name or ETO id).")
    ] = None,
    as_of: AsOf = None,
    top: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_TOP,
) -> UpstreamAnswer:
    """Providers of supply-chain inputs ranked by the share they supply, single-provider inputs
    flagged, with the year and the source's words. Same JSON as `chiptrail chokepoints --upstream`."""
    return upstream_chokepoints(store, stage=stage, input_name=input_name, as_of=as_of, top=top)
