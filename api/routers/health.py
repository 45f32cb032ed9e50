"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.errors import problem
from api.models import Health
from ontology.errors import ChiptrailError

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"description": "The database does not answer."}})
def readyz(store: StoreDep) -> Health | object:
    """The store answers a query (503 while Neo4j does not)."""
    try:
        store.counts() if store.backend == "memory" else store.node("readyz-probe")
    except ChiptrailError as exc:
        return problem(503, "Backend unavailable", str(exc))
    return Health(status="ready", backend=store.backend)
