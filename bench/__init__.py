"""Benchmarks (not tests): load throughput, query latency, memory."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def write_results(kind: str, results: dict[str, Any]) -> Path:
    """Save one run's results as bench/results/<kind>-<timestamp>.json (ignored by git)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2))
    return path
