"""Work done once per data version, not once per request: region membership, region sites, parsed
rules, each node's country.

On the embedded store a value is kept until the next write (`MemoryStore.memo`: load, ingest,
resolution apply and clear all bump its version), so a write is seen by the next request. On
Neo4j, which other processes may write at any time, nothing is kept: `compute` runs every time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from graph.memory import MemoryStore
from graph.store import GraphStore

T = TypeVar("T")


def per_version(store: GraphStore, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, kept for the store's current data version where the store has one."""
    if isinstance(store, MemoryStore):
        return store.memo(key, compute)
    return compute()
