"""Shared fixtures: the bundled data loaded once, and small graphs written as real YAML files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from loaders import default_data_dir, load_paths
from loaders.records import Dataset

DATA = default_data_dir()

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
