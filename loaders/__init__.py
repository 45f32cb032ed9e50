"""Loaders: each source format -> validated node and edge records (`ontology.records`)."""

from pathlib import Path

from loaders.curated import load_paths

BUNDLED_DATA = Path(__file__).resolve().parents[1] / "data"
# Judgements about the curated data, under version control (resolution: queries/resolution.py).
BUNDLED_JUDGEMENTS = BUNDLED_DATA / "resolution" / "judgements.jsonl"


__all__ = ["BUNDLED_DATA", "BUNDLED_JUDGEMENTS", "load_paths"]
