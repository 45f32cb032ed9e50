"""Answers that can also be drawn: `format=html` or an Accept header preferring text/html gets the
self-contained HTML picture (`api.pictures`) of the same answer model the JSON comes from."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query, Request

HTML_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "The answer, or its picture."}
}


class AnswerFormat(StrEnum):
    json = "json"
    html = "html"


FormatQuery = Annotated[
    AnswerFormat | None,
    Query(alias="format", description="html: a self-contained picture of the answer; default JSON (or by Accept)."),
]


def _quality(accept: str, media: str) -> float:
    best = 0.0
    for part in accept.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        if kind in (media, media.split("/")[0] + "/*", "*/*"):
            weight = next((p[2:] for p in params if p.startswith("q=")), "1")
            try:
                score = float(weight) + (0.001 if kind == media else 0.0)
            except ValueError:
                continue
            best = max(best, score)
    return best


def wants_html(request: Request, fmt: AnswerFormat | None) -> bool:
    """The `format` parameter if given, else whether Accept prefers text/html to application/json."""
    if fmt is not None:
        return fmt is AnswerFormat.html
    accept = request.headers.get("accept", "")
    return _quality(accept, "text/html") > _quality(accept, "application/json")
