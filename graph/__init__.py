"""Graph stores: the protocol, the embedded networkx backend, and opening one by name."""

from graph.memory import MemoryStore
from graph.store import GraphStore
from ontology.errors import BackendUnavailable

BACKENDS = ("memory",)


def open_store(backend: str = "memory") -> GraphStore:
    """A store for the named backend. Raises `BackendUnavailable` for an unknown one."""
    if backend == "memory":
        return MemoryStore()
    raise BackendUnavailable(f"unknown backend '{backend}'; available: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "GraphStore", "MemoryStore", "open_store"]
