"""The Neo4j Browser's files: the chiptrail guide and style, served with CORS for the Browser's origin only.

A sub-application mounted at /browser, so its CORS policy (the Browser's origins, GET, and the
`cache-control` and `pragma` headers the Browser's fetch sends, which trigger a preflight) does not
open the /v1 API, whose CORS stays closed unless `CHIPTRAIL_CORS_ORIGINS` says otherwise.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse

from api.http.settings import ApiSettings
from graph.neo4j_browser import GUIDE_PATH, STYLE_PATH
from queries.guide import guide
from queries.style import grass

PREFIX = "/browser"


def browser_origins(settings: ApiSettings) -> list[str]:
    """http://127.0.0.1 and http://localhost at the default Browser port (7474) and the configured one."""
    ports = sorted({7474, settings.browser_port})
    return [f"http://{host}:{port}" for port in ports for host in ("127.0.0.1", "localhost")]


def browser_app(settings: ApiSettings) -> FastAPI:
    """GET /chiptrail.md (the guide, generated from the named queries) and /chiptrail.grass (the style,
    generated from the ontology)."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=browser_origins(settings),
        allow_methods=["GET"],
        allow_headers=["cache-control", "pragma"],
    )

    @app.get(GUIDE_PATH.removeprefix(PREFIX), response_class=PlainTextResponse)
    def get_guide(request: Request) -> PlainTextResponse:
        style_url = f"{request.url.scheme}://{request.url.netloc}{STYLE_PATH}"
        return PlainTextResponse(guide(style_url=style_url), media_type="text/markdown; charset=utf-8")

    @app.get(STYLE_PATH.removeprefix(PREFIX), response_class=PlainTextResponse)
    def get_style() -> PlainTextResponse:
        return PlainTextResponse(grass(), media_type="text/plain; charset=utf-8")

    return app
