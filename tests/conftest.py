"""Shared fixtures: the bundled data loaded once, and small graphs written as real YAML files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders import BUNDLED_DATA, load_paths
from ontology.records import Dataset

DATA = BUNDLED_DATA

# Evidence every hand-built record shares: one source node, cited by the defaults.
PREAMBLE = """\
defaults:
  confidence: reported
  sources: [src-test]
nodes:
  - {id: src-test, labels: [Source], name: CriteriaLine source, title: A test source, publisher: Tests, sources: null}
"""


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    """The curated data and the scenarios, validated."""
    return load_paths([DATA])


@pytest.fixture(scope="session")
def store(bundled: Dataset) -> MemoryStore:
    loaded = MemoryStore()
    loaded.load(bundled)
    return loaded


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jSettings]:
    """One real Neo4j per test session (see tests/neo4j_server.py for where it comes from)."""
    from tests.neo4j_server import neo4j_settings as find

    with find(tmp_path_factory.mktemp("neo4j")) as settings:
        yield settings


@pytest.fixture(scope="module")
def neo4j_store(neo4j_settings: Neo4jSettings, bundled: Dataset) -> Iterator[Neo4jStore]:
    """A clean database per module, holding the bundled data."""
    store = Neo4jStore.connect(neo4j_settings)
    store.clear()
    store.load(bundled)
    yield store
    store.close()


@pytest.fixture(params=["memory", "neo4j"], scope="module")
def any_store(request: pytest.FixtureRequest) -> GraphStore:
    """The bundled data on each backend in turn: the contract suite runs against both."""
    name = "store" if request.param == "memory" else "neo4j_store"
    loaded: GraphStore = request.getfixturevalue(name)
    return loaded


YamlWriter = Callable[..., Path]


@pytest.fixture
def write_yaml(tmp_path: Path) -> YamlWriter:
    """Write YAML text (dedented) to a file under tmp_path and return its path."""

    def write(text: str, name: str = "graph.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def graph_from(nodes: str, edges: str, tmp_path: Path) -> MemoryStore:
    """A store from node and edge lines (YAML flow mappings), with shared evidence."""
    text = (
        PREAMBLE
        + textwrap.indent(textwrap.dedent(nodes), "  ")
        + "edges:\n"
        + textwrap.indent(textwrap.dedent(edges), "  ")
    )
    path = tmp_path / "graph.yaml"
    path.write_text(text, encoding="utf-8")
    store = MemoryStore()
    store.load(load_paths([path]))
    return store
