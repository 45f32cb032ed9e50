"""Domain errors -> RFC 9457 problem details, translated once at the HTTP boundary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ontology.errors import BackendUnavailable, ChiptrailError, DataError, NotFound

PROBLEM = "application/problem+json"


class Refused(ChiptrailError):
    """A request the API declines on purpose (e.g. a write sent to the read-only Cypher endpoint)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return problem(404, "Not found", str(exc), suggestions=exc.suggestions)


async def _data(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DataError)
    return problem(422, "Invalid data", str(exc), problems=[p.as_dict() for p in exc.problems])


async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
    return problem(503, "Backend unavailable", str(exc))


async def _refused(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    return problem(exc.status, "Refused", str(exc))


async def _bad_value(_: Request, exc: Exception) -> JSONResponse:
    return problem(400, "Bad request", str(exc))


async def _domain(_: Request, exc: Exception) -> JSONResponse:
    return problem(400, "Bad request", str(exc))


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]
    return problem(
        422, "Invalid request", "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors), errors=errors
    )


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, str(exc.detail), str(exc.detail))


HANDLERS: dict[type[Exception], Callable[[Request, Exception], Awaitable[JSONResponse]]] = {
    NotFound: _not_found,
    DataError: _data,
    BackendUnavailable: _unavailable,
    Refused: _refused,
    ValueError: _bad_value,
    ChiptrailError: _domain,
    RequestValidationError: _validation,
    HTTPException: _http,
}


def install(app: FastAPI) -> None:
    for exc_type, handler in HANDLERS.items():
        app.add_exception_handler(exc_type, handler)
