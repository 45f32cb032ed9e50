"""Open the store a face answers from: the one place that opens a store and loads data into it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graph import GraphStore, open_store
from loaders import load_paths


def open_loaded_store(backend: str, data: Sequence[Path]) -> GraphStore:
    """Neo4j as configured by NEO4J_* (already loaded with `chiptrail load`), or the embedded store
    holding `data`. Raises `DataError` for invalid data, `BackendUnavailable` if Neo4j does not answer."""
    store = open_store(backend)
    if backend == "memory":
        try:
            store.load(load_paths(list(data)))
        except BaseException:
            store.close()
            raise
    return store
