"""The store protocol: what every backend (in-process, Neo4j) answers, with one meaning.

Backends return raw facts (nodes, edges, simple paths); the ranking, screening and wording of
answers live above them in `queries/`, so two backends that return the same facts give the same
answers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from ontology.records import Dataset, Edge, Node
from ontology.vocab import Label, Prop

Progress = Callable[[int], None]
_PINNED: ContextVar[Hashable | None] = ContextVar("chiptrail_data_version", default=None)


@contextmanager
def pinned_version(version: Hashable) -> Iterator[None]:
    """Within the block (an API request), work derived from the data may be kept under `version`, the
    store's `data_version()` read when the request began (queries/cache.py)."""
    token = _PINNED.set(version)
    try:
        yield
    finally:
        _PINNED.reset(token)


def pinned() -> Hashable | None:
    """The data version pinned for this request, if any."""
    return _PINNED.get()


SITE_LABELS = (Label.DATA_CENTER, Label.PROJECT_AGGREGATE)


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote."""

    nodes: int
    edges: int


class GraphStore(Protocol):
    """A graph backend. Every method is a named query both backends implement identically."""

    backend: str

    def load(self, data: Dataset, *, progress: Progress | None = None) -> LoadReport:
        """Merge the dataset in (idempotent: loading twice converges to the same graph)."""
        ...

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        ...

    def node(self, node_id: str) -> Node | None:
        """One node by id, or None."""
        ...

    def nodes(self, label: str, *, keys: Sequence[str] | None = None) -> list[Node]:
        """Every node with the label, sorted by id; with `keys`, holding only those of its
        properties (for a reader that needs a few fields of very many nodes)."""
        ...

    def named(self, label: str, term: str) -> list[Node]:
        """The nodes with the label whose id is `term` or which carry it as a name, alias, Chinese
        name, family or code, folded as `ontology.names.normalise` folds it; sorted by id. Looked
        up, never read from every node of the label."""
        ...

    def containing(self, label: str, fragment: str) -> list[Node]:
        """The nodes with the label one of whose folded names (those `named` matches) contains
        `fragment` folded the same way; sorted by id. Looked up, never read from every node."""
        ...

    def nodes_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        """The nodes among `ids` that exist, in one round trip."""
        ...

    def edges(self, rel_type: str, *, source: str | None = None, target: str | None = None) -> list[Edge]:
        """Relationships of a type, optionally from or to one node, sorted by id."""
        ...

    def delete_edges(self, rel_type: str, ids: Iterable[str]) -> int:
        """Delete the relationships of a type with these ids (ids not found are ignored); how many went."""
        ...

    def ping(self, timeout: float = 2.0) -> None:
        """Return within `timeout` seconds if the backend answers; raise `BackendUnavailable` if not."""
        ...

    def data_version(self) -> Hashable:
        """A value that changes whenever the data changes, whoever changes it: equal versions, equal answers."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class CypherStore(GraphStore, Protocol):
    """A store that runs Cypher text (the Neo4j backend): what the named-query runner needs."""

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of a read query, as dicts."""
        ...


def carries(edge: Edge, chip_id: str) -> bool:
    """Whether a SUPPLIES edge lists the chip model among the goods it carries."""
    chips = edge.props.get(Prop.CHIPS)
    return isinstance(chips, list) and chip_id in chips


def sorted_by_id(items: Iterable[Node]) -> list[Node]:
    """Stable order for answers."""
    return sorted(items, key=lambda n: n.id)
