"""The Bloomberg aggregate (more than 115,000 H100/H200 across 39 projects) in the exposure answer:
shown as reported, with its sources, beside the per-model totals — never split between models."""

from __future__ import annotations

import datetime as dt

from graph.memory import MemoryStore
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.views import Viewer
from tests.test_cli import run

AGGREGATE = "agg-bloomberg-39-projects"


def test_the_aggregate_is_reported_beside_the_per_model_totals(store: MemoryStore) -> None:
    view = exposure_view(Viewer(store), exposure(store, "Xinjiang", as_of=dt.date(2026, 11, 28)))
    [aggregate] = view.reported_aggregates
    assert aggregate.node.id == AGGREGATE
    assert (aggregate.count, aggregate.projects, aggregate.status) == (115000, 39, "planned")
    assert [c.id for c in aggregate.chips] == ["chip-nvidia-h100-sxm", "chip-nvidia-h200"]
    assert (aggregate.confidence, aggregate.restricted) == ("reported", True)
    sources = [s.id for s in aggregate.sources]
    assert sources[:2] == ["src-bloomberg-excerpt-archive", "src-bloomberg-115000-chips"]
    assert aggregate.sources[1].url == "https://newsscore.com/story/99266"
    # Not split between models: the aggregate's per-model items keep no count and stay out of the sums.
    site = next(s for s in view.sites if s.site.id == AGGREGATE)
    assert [(i.chip.id, i.count, i.basis) for i in site.chips] == [
        ("chip-nvidia-h100-sxm", None, "unknown"),
        ("chip-nvidia-h200", None, "unknown"),
    ]
    assert view.totals.chips < 115000 and view.totals.unknown_counts >= 2


def test_the_aggregate_is_in_the_json_and_the_table() -> None:
    result = run("exposure", "--region", "Xinjiang", "--as-of", "2026-11-28")
    assert result.returncode == 0, result.stderr
    assert "reported aggregates (as reported; not split between chip models)" in result.stdout
    assert "115,000" in result.stdout


def test_a_region_without_aggregates_lists_none(store: MemoryStore) -> None:
    view = exposure_view(Viewer(store), exposure(store, "Hami", as_of=dt.date(2026, 11, 28)))
    assert view.reported_aggregates == []
