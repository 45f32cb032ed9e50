"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import StoreDep
from api.http.errors import problem
from api.http.models import Health
from ontology.errors import BackendUnavailable

router = APIRouter(tags=["health"])
READY_TIMEOUT_S = 2.0


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"description": "The database does not answer."}})
def readyz(store: StoreDep) -> Health | object:
    """The store answers within 2 seconds (503 while Neo4j does not; ready again as soon as it does)."""
    try:
        store.ping(READY_TIMEOUT_S)
    except BackendUnavailable as exc:
        return problem(exc.status, exc.title, str(exc))
    return Health(status="ready", backend=store.backend)
