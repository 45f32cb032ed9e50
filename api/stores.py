"""Open the store a face answers from: the one place that opens a store and loads data into it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graph import GraphStore, open_store
from graph.ledger import Ledger
from graph.memory import MemoryStore
from loaders import load_paths
from ontology import load_schema
from ontology.errors import DataError, Problem
from ontology.records import Dataset
from ontology.vocab import Prop
from queries.same_as import apply_resolution


def _with_ingested(data: Dataset, home: Path) -> Dataset:
    """The curated data plus every dataset ingested into the ledger in `home` (if there is one)."""
    if not Ledger.exists(home):
        return data
    ledger = Ledger(home, load_schema())
    try:
        ingested = ledger.dataset()
    finally:
        ledger.close()
    nodes = {**data.nodes, **ingested.nodes}
    for edge in ingested.edges.values():
        for end in (edge.source, edge.target):
            if end not in nodes:
                message = (
                    f"the ingested record {edge.id} ({edge.props.get(Prop.DATASET)}) points at '{end}', which the "
                    "data loaded lacks: load the bundled data too, or point CHIPTRAIL_HOME at another folder"
                )
                raise DataError([Problem(message, file=str(ledger.path))])
    return Dataset(nodes, {**data.edges, **ingested.edges})


def _dataset(data: Sequence[Path], home: Path | None) -> Dataset:
    loaded = load_paths(list(data))
    return _with_ingested(loaded, home) if home is not None else loaded


def open_loaded_store(
    backend: str, data: Sequence[Path], home: Path | None = None, judgements: Sequence[Path] = ()
) -> GraphStore:
    """Neo4j as configured by NEO4J_* (already loaded with `chiptrail load` and `chiptrail ingest`,
    resolved with `chiptrail resolve apply`), or the embedded store holding `data`, the datasets
    ingested into `home`, and the SAME_AS edges of the resolution rules and the `judgements` files.
    Raises `DataError` for invalid data or judgements, `BackendUnavailable` if Neo4j does not answer."""
    store = open_store(backend)
    if isinstance(store, MemoryStore):
        try:
            store.load(_dataset(data, home), consume=True)  # each record freed once stored
            apply_resolution(store, judgements)
        except BaseException:
            store.close()
            raise
    return store
