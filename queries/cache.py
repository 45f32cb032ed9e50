"""Work done once per data version, not once per request: region membership, region sites, parsed
rules, each node's country.

On the embedded store a value is kept until the next write (`MemoryStore.memo`: load, ingest,
resolution apply and clear all bump its version), so a write is seen by the next request. On
Neo4j, which other processes may write at any time, a value is kept only under the data version an
API request pinned when it began (the bookmark of the database's last committed transaction:
`graph.store.pinned_version`), so a write by anyone is seen by the next request; elsewhere (the
command line, a caller without a pinned version) `compute` runs every time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar
from weakref import WeakKeyDictionary

from graph.memory import KeptPerVersion, MemoryStore
from graph.store import GraphStore, pinned

T = TypeVar("T")


_KEPT: WeakKeyDictionary[GraphStore, KeptPerVersion] = WeakKeyDictionary()
_LOCK = threading.Lock()


def per_version(store: GraphStore, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, kept for the store's current data version where the store has one."""
    if isinstance(store, MemoryStore):
        return store.memo(key, compute)
    version = pinned()
    if version is None:
        return compute()
    with _LOCK:
        kept = _KEPT.get(store)
        if kept is None:
            kept = _KEPT[store] = KeptPerVersion()
    return kept.get(version, key, compute)
