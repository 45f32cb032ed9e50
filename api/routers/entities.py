"""Any node with its evidence, and search over names."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from api.deps import StoreDep
from api.models import Entity, SearchHit
from ontology.errors import NotFound
from queries.search import search
from queries.views import Viewer

router = APIRouter(tags=["entities"])
EntityId = Annotated[str, Path(min_length=1, max_length=300, examples=["dc-nyocor-xinjiang"])]


@router.get("/entities/{entity_id}", response_model=Entity, responses={404: {"description": "No such id."}})
def get_entity(store: StoreDep, entity_id: EntityId) -> Any:
    """One node by id: labels, properties and the sources it rests on."""
    node = store.node(entity_id)
    if node is None:
        raise NotFound("entity", entity_id, [h.id for h in search(store, entity_id, 5)])
    return JSONResponse(Viewer(store).entity(node))


@router.get("/search", response_model=list[SearchHit])
def get_search(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Name, alias or Chinese name; typos tolerated.",
            examples=["Nyocr"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    """Entities ranked by how well a name, alias or Chinese name matches."""
    return JSONResponse([asdict(hit) for hit in search(store, q, limit)])
