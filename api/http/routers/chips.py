"""Chip models and whether they need a US licence for a destination on a date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.http.deps import StoreDep
from ontology.vocab import Label
from queries.answers import Entity, RestrictionAnswer
from queries.lookup import restrictions_for, restrictions_view, specs_for
from queries.resolve import resolve_chips
from queries.specs import SpecAnswer
from queries.views import Viewer

router = APIRouter(tags=["chips"])
ChipId = Annotated[
    str, Path(min_length=1, max_length=200, description="Chip id, name, alias or family.", examples=["chip-nvidia-h20"])
]


@router.get("/chips", response_model=list[Entity])
def list_chips(store: StoreDep) -> list[Entity]:
    """Every chip model with its specifications and sources."""
    viewer = Viewer(store)
    return [viewer.entity(n) for n in store.nodes(Label.CHIP_MODEL)]


@router.get("/chips/{chip}", response_model=list[Entity], responses={404: {"description": "Unknown chip."}})
def get_chip(store: StoreDep, chip: ChipId) -> list[Entity]:
    """The chip models an id, name or family names ('H100' gives both variants)."""
    viewer = Viewer(store)
    return [viewer.entity(n) for n in resolve_chips(store, chip)]


@router.get(
    "/chips/{chip}/restrictions",
    response_model=RestrictionAnswer,
    responses={404: {"description": "Unknown chip or destination."}},
)
def get_restrictions(
    store: StoreDep,
    chip: ChipId,
    destination: Annotated[
        str, Query(min_length=1, max_length=200, description="ISO 3166-1 code or place name.", examples=["CN"])
    ],
    as_of: Annotated[dt.date | None, Query(description="Default today.")] = None,
) -> RestrictionAnswer:
    """Whether a US licence is needed, with the rule, its citation and the numbers — the same JSON as
    `chiptrail restrictions --format json`."""
    return restrictions_view(chip, restrictions_for(store, chip, destination, as_of))


@router.get(
    "/chips/{chip}/specs",
    response_model=list[SpecAnswer],
    responses={404: {"description": "Unknown chip or destination."}},
)
def get_specs(
    store: StoreDep,
    chip: ChipId,
    destination: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Also decide for this destination.", examples=["CN"]),
    ] = None,
    as_of: Annotated[dt.date | None, Query(description="Default today.")] = None,
) -> list[SpecAnswer]:
    """The chip model's figures from every source side by side (curated, Epoch AI, …) with conflicts
    flagged, and with a destination the decision from each source's figures — the same JSON as
    `chiptrail specs --format json`."""
    return specs_for(store, chip, destination, as_of)
