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
from typing import TypeVar, cast
from weakref import WeakKeyDictionary

from graph.memory import MEMO_LIMIT, MemoryStore, OneAtATime
from graph.store import GraphStore, pinned

T = TypeVar("T")


_KEPT: WeakKeyDictionary[GraphStore, tuple[Hashable, dict[Hashable, object]]] = WeakKeyDictionary()
_LOCK = threading.Lock()
_COMPUTING = OneAtATime()  # a value being computed is waited for, not computed beside it


def per_version(store: GraphStore, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, kept for the store's current data version where the store has one."""
    if isinstance(store, MemoryStore):
        return store.memo(key, compute)
    version = pinned()
    if version is None:
        return compute()

    def find() -> tuple[bool, T]:
        with _LOCK:
            kept_version, kept = _KEPT.get(store, (None, {}))
            return (True, cast(T, kept[key])) if kept_version == version and key in kept else (False, cast(T, None))

    def keep() -> T:
        value = compute()
        with _LOCK:
            kept_version, kept = _KEPT.get(store, (None, {}))
            if kept_version != version or len(kept) >= MEMO_LIMIT:  # another version: the old values go
                kept = {}
                _KEPT[store] = (version, kept)
            kept[key] = value
        return value

    return _COMPUTING.get((store, version, key), find, keep)
