"""POST /v1/subgraph/export — a bounded subgraph for networkx, Gephi or Cytoscape."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.http.deps import SettingsDep, StoreDep
from graph.formats import FORMATS, ExportFormat
from queries.export import subgraph

router = APIRouter(tags=["export"])


class ExportRequest(BaseModel):
    seeds: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        min_length=1, max_length=100, examples=[["dc-nyocor-xinjiang"]]
    )
    depth: int = Field(default=1, ge=0, description="Hops from the seeds, up to the bound in subgraph.cypher.")
    types: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=50, description="Relationship types to follow; empty follows all."
    )
    as_of: dt.date | None = None
    format: ExportFormat = ExportFormat.graphml


@router.post(
    "/subgraph/export",
    response_class=Response,
    responses={
        200: {"content": {f.media_type: {} for f in FORMATS.values()}, "description": "The file."},
        404: {"description": "Unknown seed or relationship type."},
        400: {"description": "The subgraph exceeds the export limit."},
    },
)
def export_subgraph(store: StoreDep, settings: SettingsDep, request: Annotated[ExportRequest, Body()]) -> Any:
    """Nodes within `depth` hops of the seeds and the relationships between them, with labels,
    types, sources, confidence and dates, as GraphML, GEXF, node-link JSON, CSV (zip) or Turtle."""
    nodes, edges = subgraph(
        store, request.seeds, request.depth, request.types, request.as_of, max_nodes=settings.export_max_nodes
    )
    file_format = FORMATS[request.format]
    headers = {"Content-Disposition": f'attachment; filename="chiptrail-subgraph.{file_format.suffix}"'}
    return Response(file_format.write(nodes, edges), media_type=file_format.media_type, headers=headers)
