"""Shared fixtures: the bundled data loaded once, small graphs written as real YAML files, and the
backends they run on. A test that reaches Neo4j must be marked `neo4j` (checked below)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from graph.store import GraphStore
from loaders import BUNDLED_DATA, load_paths
from ontology.records import Dataset

DATA = BUNDLED_DATA

# Ingested datasets and judgements go to a folder of the test run's own, never the user's.
os.environ["CHIPTRAIL_HOME"] = tempfile.mkdtemp(prefix="chiptrail-test-home-")
atexit.register(shutil.rmtree, os.environ["CHIPTRAIL_HOME"], ignore_errors=True)

# Evidence every hand-built record shares: one source node, cited by the defaults.
PREAMBLE = """\
defaults:
  confidence: reported
  sources: [src-test]
nodes:
  - {id: src-test, labels: [Source], name: CriteriaLine source, title: A test source, publisher: Tests, sources: null}
"""

# The fixtures that reach a Neo4j server, and the backends a test can be parametrised over.
NEO4J_FIXTURES = frozenset({"neo4j_settings", "neo4j_store"})
BACKENDS = ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def _unmarked_neo4j_use(item: pytest.Item, fixtures: Iterable[str]) -> str | None:
    used = NEO4J_FIXTURES.intersection(fixtures)
    if used and item.get_closest_marker("neo4j") is None:
        return f"{item.nodeid} uses {', '.join(sorted(used))} but is not marked `neo4j`: add @pytest.mark.neo4j"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail, before any fixture starts a server, a test that needs Neo4j without the marker
    (so `-m "not neo4j"` cannot silently start Neo4j, and `-m neo4j` cannot miss a test)."""
    problem = _unmarked_neo4j_use(item, getattr(item, "fixturenames", ()))
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture(autouse=True)
def _neo4j_marker_is_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """The same check after the test, for fixtures requested dynamically (`request.getfixturevalue`)."""
    yield
    problem = _unmarked_neo4j_use(request.node, request.fixturenames)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    """The curated data and the scenarios, validated."""
    return load_paths([DATA])


@pytest.fixture(scope="session")
def store(bundled: Dataset) -> Iterator[MemoryStore]:
    loaded = MemoryStore()
    loaded.load(bundled)
    yield loaded
    loaded.close()


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


@pytest.fixture(params=BACKENDS, scope="module")
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


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn, for tests that build their own graphs ("memory", then "neo4j")."""
    name: str = request.param
    return name


Loader = Callable[[Dataset], GraphStore]


@pytest.fixture
def load_on_backend(backend: str, request: pytest.FixtureRequest) -> Iterator[Loader]:
    """Load a dataset into a store of the test's backend; Neo4j is cleared first and closed after the test.

    On Neo4j every call replaces the database: a test holds one graph at a time."""
    if backend == "memory":
        opened: list[MemoryStore] = []

        def load_memory(data: Dataset) -> GraphStore:
            memory = MemoryStore()
            opened.append(memory)
            memory.load(data)
            return memory

        yield load_memory
        for memory in opened:
            memory.close()
        return

    neo4j = Neo4jStore.connect(request.getfixturevalue("neo4j_settings"))

    def load_neo4j(data: Dataset) -> GraphStore:
        neo4j.clear()
        neo4j.load(data)
        return neo4j

    try:
        yield load_neo4j
    finally:
        neo4j.close()


GraphFrom = Callable[[str, str], GraphStore]


@pytest.fixture
def graph_from(load_on_backend: Loader, write_yaml: YamlWriter) -> GraphFrom:
    """A store of the test's backend from node and edge lines (YAML flow mappings), with shared evidence."""

    def build(nodes: str, edges: str) -> GraphStore:
        text = (
            PREAMBLE
            + textwrap.indent(textwrap.dedent(nodes), "  ")
            + "edges:\n"
            + textwrap.indent(textwrap.dedent(edges), "  ")
        )
        return load_on_backend(load_paths([write_yaml(text)]))

    return build


@pytest.fixture
def bundled_store(backend: str, load_on_backend: Loader, bundled: Dataset, store: MemoryStore) -> GraphStore:
    """The bundled data on the test's backend (the shared embedded store, or a freshly loaded Neo4j)."""
    return store if backend == "memory" else load_on_backend(bundled)
