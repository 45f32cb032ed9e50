"""Any node with its evidence, and search over names."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.http.deps import SettingsDep, StoreDep
from ontology.errors import NotFound
from queries.answers import Entity, Neighbourhood, SearchHit
from queries.export import subgraph
from queries.search import search
from queries.views import Viewer

router = APIRouter(tags=["entities"])
EntityId = Annotated[str, Path(min_length=1, max_length=300, examples=["dc-nyocor-xinjiang"])]


@router.get("/entities/{entity_id}", response_model=Entity, responses={404: {"description": "No such id."}})
def get_entity(store: StoreDep, entity_id: EntityId) -> Entity:
    """One node by id: labels, properties and the sources it rests on."""
    node = store.node(entity_id)
    if node is None:
        raise NotFound("entity", entity_id, [h.id for h in search(store, entity_id, 5)])
    return Viewer(store).entity(node)


@router.get(
    "/entities/{entity_id}/neighbors",
    response_model=Neighbourhood,
    responses={404: {"description": "No such id, or an unknown relationship type."}},
)
def get_neighbors(
    store: StoreDep,
    settings: SettingsDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, description="Hops, up to the bound in subgraph.cypher.")] = 1,
    types: Annotated[list[str] | None, Query(max_length=50, description="Relationship types to follow.")] = None,
    as_of: Annotated[dt.date | None, Query(description="Follow only relationships valid on this date.")] = None,
) -> Neighbourhood:
    """The nodes within `depth` hops (either direction) and the relationships between them."""
    nodes, edges = subgraph(
        store, [entity_id], min(depth, settings.max_depth), types or [], as_of, max_nodes=settings.export_max_nodes
    )
    viewer = Viewer(store)
    return Neighbourhood(nodes=[viewer.entity(n) for n in nodes], edges=[viewer.hop(e) for e in edges])


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
) -> list[SearchHit]:
    """Entities ranked by how well a name, alias or Chinese name matches."""
    return search(store, q, limit)
