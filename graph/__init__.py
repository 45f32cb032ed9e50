"""Graph stores: the protocol, the embedded networkx backend, Neo4j, and opening one by name."""

from graph.memory import MemoryStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from ontology.errors import ConfigurationError

BACKENDS = ("memory", "neo4j")


def open_store(backend: str = "memory", settings: Neo4jSettings | None = None) -> GraphStore:
    """A store for the named backend. Raises `BackendUnavailable` if it cannot be reached,
    `ConfigurationError` for an unknown backend or an unusable password."""
    if backend == "memory":
        return MemoryStore()
    if backend == "neo4j":
        from graph.neo4j_store import Neo4jStore  # the driver loads only when asked for

        return Neo4jStore.connect(settings)
    raise ConfigurationError(f"unknown backend '{backend}'; available: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "GraphStore", "MemoryStore", "open_store"]
