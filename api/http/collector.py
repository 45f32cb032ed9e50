"""Keeping what a serving process holds for its whole life out of Python's full collections.

A full (oldest-generation) collection walks every container object the process tracks. The embedded
store at 10^6 relationships is about 3 million of them, so each full collection paused every
request for one to two seconds, though none of it is ever garbage. `gc.freeze()` moves what is
tracked to a generation no collection walks; the objects are still freed by reference counting
when let go. The graph is frozen once loaded, and then whatever survives a full collection that
took longer than `SLOW_FULL_S`: the values the answers derive per data version (the sites of each
region, each chip model's table of origins) are built by the first requests and live as long. An
object frozen while in a reference cycle is collected only once unfrozen, when the app stops: what
a request held at the moment of a freeze and later drops goes by reference counting unless cyclic.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

SLOW_FULL_S = 0.05  # a full collection this long walked a lot that lived through it: freeze it


class FreezeAfterSlowFull:
    """A `gc.callbacks` entry: after a full collection slower than `SLOW_FULL_S`, freeze what is left."""

    def __init__(self) -> None:
        self.started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self.started = time.perf_counter()
        elif time.perf_counter() - self.started > SLOW_FULL_S:
            gc.freeze()  # the collection is over: what it left is alive, and was long enough to notice


@contextmanager
def long_lived_frozen() -> Iterator[None]:
    """Freeze what is tracked now (the loaded store), and what survives each slow full collection
    from here on; unfreeze on leaving, so the store can be collected once closed."""
    gc.freeze()
    watcher = FreezeAfterSlowFull()
    gc.callbacks.append(watcher)
    try:
        yield
    finally:
        gc.callbacks.remove(watcher)
        gc.unfreeze()
