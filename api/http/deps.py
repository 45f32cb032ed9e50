"""Typed dependencies: the store the app owns, and the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.http.settings import ApiSettings, get_settings
from graph.store import GraphStore


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
