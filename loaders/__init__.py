"""Loaders: each source format -> validated node and edge records."""

import os
from pathlib import Path

from loaders.curated import load_paths
from loaders.records import Dataset, Edge, Node


def default_data_dir() -> Path:
    """`CHIPTRAIL_DATA` if set, else the `data/` folder beside the package."""
    return Path(os.environ.get("CHIPTRAIL_DATA", Path(__file__).resolve().parents[1] / "data"))


__all__ = ["Dataset", "Edge", "Node", "default_data_dir", "load_paths"]
