"""Loaders: each source format -> validated node and edge records (`ontology.records`)."""

from pathlib import Path

from loaders.curated import load_paths

BUNDLED_DATA = Path(__file__).resolve().parents[1] / "data"


__all__ = ["BUNDLED_DATA", "load_paths"]
