"""Open the store a face answers from: the one place that opens a store and loads data into it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graph import GraphStore, open_store
from loaders import load_paths
from queries.same_as import apply_resolution


def open_loaded_store(backend: str, data: Sequence[Path], judgements: Sequence[Path] = ()) -> GraphStore:
    """Neo4j as configured by NEO4J_* (already loaded with `chiptrail load`, resolved with
    `chiptrail resolve apply`), or the embedded store holding `data` and the SAME_AS edges of the
    resolution rules and the `judgements` files. Raises `DataError` for invalid data or judgements,
    `BackendUnavailable` if Neo4j does not answer."""
    store = open_store(backend)
    if backend == "memory":
        try:
            store.load(load_paths(list(data)))
            apply_resolution(store, judgements)
        except BaseException:
            store.close()
            raise
    return store
