"""Named queries over HTTP, and read-only Cypher for power users (Neo4j only, behind an API key)."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path
from pydantic import BaseModel, Field

from api.http.deps import SettingsDep, StoreDep
from api.http.models import CypherResult, NamedQueryInfo, NamedRows
from ontology.errors import InvalidParameter, NotFound, Refused
from queries.named import NamedQuery, registry, run
from queries.views import json_ready

router = APIRouter(tags=["queries"])


class QueryRequest(BaseModel):
    parameters: dict[str, Any] = Field(default_factory=dict, examples=[{"place_id": "place-cn-xj"}])


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=20_000, examples=["MATCH (c:ChipModel) RETURN c.name LIMIT 5"])
    parameters: dict[str, Any] = Field(default_factory=dict)


def _coerce(query: NamedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """Values of the declared types, or `InvalidParameter` naming the parameter."""
    declared = {p.name: p.type for p in query.parameters}
    if set(given) != set(declared):
        raise InvalidParameter(f"query '{query.name}' takes {sorted(declared)}, got {sorted(given)}")
    out: dict[str, Any] = {}
    for name, kind in declared.items():
        value = given[name]
        ok = {
            "STRING": isinstance(value, str),
            "INTEGER": isinstance(value, int) and not isinstance(value, bool),
            "FLOAT": isinstance(value, int | float) and not isinstance(value, bool),
            "LIST<STRING>": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "DATE": value is None or isinstance(value, str),
        }.get(kind, False)
        if not ok:
            raise InvalidParameter(f"parameter '{name}' must be {kind}")
        if kind == "DATE" and value is not None:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise InvalidParameter(f"parameter '{name}' must be a date YYYY-MM-DD") from None
        out[name] = float(value) if kind == "FLOAT" else value
    return out


def _info(query: NamedQuery) -> NamedQueryInfo:
    return NamedQueryInfo.model_validate(
        {
            "name": query.name,
            "description": query.description,
            "example": query.example,
            "parameters": [{"name": p.name, "type": p.type, "description": p.description} for p in query.parameters],
        }
    )


@router.get("/queries", response_model=list[NamedQueryInfo])
def list_queries() -> list[NamedQueryInfo]:
    """Every named query: its name, what it answers and its parameters."""
    return [_info(q) for q in registry().values()]


@router.post(
    "/queries/{name}", responses={404: {"description": "No such query."}, 422: {"description": "Bad parameters."}}
)
def run_named(
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[str, Path(max_length=100, examples=["places_within"])],
    request: Annotated[QueryRequest, Body()],
) -> NamedRows:
    """Run a named query with validated parameters; rows as the query file returns them."""
    query = registry().get(name)
    if query is None:
        raise NotFound("query", name, sorted(registry()))
    rows = run(store, name, **_coerce(query, request.parameters))
    limit = settings.max_limit
    return NamedRows(name=name, rows=json_ready(rows[:limit]), truncated=len(rows) > limit)


@router.post(
    "/cypher",
    responses={
        401: {"description": "Missing or wrong API key."},
        403: {"description": "Disabled, or not a read-only query."},
    },
)
def run_cypher(
    store: StoreDep,
    settings: SettingsDep,
    request: Annotated[CypherRequest, Body()],
    x_api_key: Annotated[str | None, Header()] = None,
) -> CypherResult:
    """Read-only Cypher (Neo4j only; off unless CHIPTRAIL_API_KEY is set): refused unless EXPLAIN
    says it only reads; then run in a read transaction with a timeout and a row limit."""
    if settings.api_key is None:
        raise Refused("the Cypher endpoint is disabled (set CHIPTRAIL_API_KEY to enable it)", 403)
    if x_api_key is None or not hmac.compare_digest(x_api_key, settings.api_key.get_secret_value()):
        raise Refused("missing or wrong X-API-Key", 401)
    from graph.neo4j_readonly import run_read_only  # the driver loads only when this endpoint is used

    found = run_read_only(
        store, request.query, request.parameters, settings.cypher_timeout_s, settings.cypher_row_limit
    )
    return CypherResult.model_validate(found)
