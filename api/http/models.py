"""Response models of the HTTP face's own endpoints (named queries, Cypher, health). The answers
(routes, restrictions, screening, exposure, what-if, chokepoints, entities, search) are described
once, below the faces, in `queries.answers`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class QueryParameter(BaseModel):
    name: str
    type: str
    description: str


class NamedQueryInfo(BaseModel):
    name: str
    description: str
    parameters: list[QueryParameter]
    example: str


class NamedRows(BaseModel):
    name: str
    rows: list[dict[str, Any]] = Field(description="Rows as the query file returns them (dates as ISO text).")
    truncated: bool = Field(description="True when CHIPTRAIL_MAX_LIMIT cut the rows.")


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="True when CHIPTRAIL_CYPHER_ROW_LIMIT cut the rows.")


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    backend: str | None = None
