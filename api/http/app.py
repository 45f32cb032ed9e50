"""The HTTP API: `create_app()` builds it; its lifespan opens and closes the store.

chiptrail serve [--host 127.0.0.1] [--port 8000] [--backend memory|neo4j]
(or any ASGI server: `uvicorn --factory api.http.app:create_app`)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.http import errors
from api.http.browser import PREFIX, browser_app
from api.http.cache import AnswerCache
from api.http.collector import long_lived_frozen
from api.http.routers import (
    chips,
    datasets,
    entities,
    export,
    health,
    named,
    policy,
    power,
    resolution,
    routes,
    supply,
)
from api.http.settings import ApiSettings, get_settings
from api.stores import open_loaded_store
from graph.store import GraphStore, pinned_version

log = logging.getLogger(__name__)

DESCRIPTION = """A knowledge graph of the AI compute supply chain: which routes connect a restricted
chip model to a data centre in a region, on what evidence, restricted under which rule in force on
which date. Every fact carries its sources and a confidence; illustrative (fictional) records are
marked `illustrative: true`. Errors are RFC 9457 problem objects."""


def prepared(store: GraphStore) -> None:
    """The first search's table of names, built under the data version the API starts on (a search
    arriving meanwhile waits for it rather than building its own)."""
    from queries import search  # numpy and rapidfuzz: loaded here, not by every import of the app

    try:
        with pinned_version(store.data_version()):
            search.prepare(store)
    except Exception:  # the first search builds it then; a server that stopped meanwhile is no fault
        log.warning("the table of names was not built at start", exc_info=True)


def create_app(settings: ApiSettings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. A store passed in stays the caller's; otherwise the app opens and closes its own."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or open_loaded_store(
            settings.backend, settings.data, settings.home, settings.judgement_files
        )
        if store is None and settings.prepare_search:
            threading.Thread(target=prepared, args=(app.state.store,), name="prepare-search", daemon=True).start()
        try:
            with long_lived_frozen() if store is None else nullcontext():  # the store lives as long as the app
                yield
        finally:
            if store is None:
                app.state.store.close()

    app = FastAPI(title="chiptrail", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.dependency_overrides[get_settings] = lambda: settings
    app.add_middleware(AnswerCache)  # inside CORS: a kept answer never carries another origin's headers
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    errors.install(app)
    app.include_router(health.router)
    routers = (routes, chips, entities, named, export, policy, datasets, resolution, supply, power)
    for router in (module.router for module in routers):
        app.include_router(router, prefix="/v1")
    app.mount(PREFIX, browser_app(settings))
    return app
