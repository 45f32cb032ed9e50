"""Ingested datasets over HTTP (read-only: ingesting is a command-line operation)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.http.deps import StoreDep
from queries.changes import ChangesAnswer, DatasetOut, changes, datasets

router = APIRouter(tags=["datasets"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Dataset never ingested; the problem lists those that were."}
}


@router.get("/datasets", response_model=list[DatasetOut])
def get_datasets(store: StoreDep) -> list[DatasetOut]:
    """Every dataset ingested into the store, each snapshot with its file, checksum and counts."""
    return datasets(store)


@router.get("/datasets/{dataset}/changes", response_model=ChangesAnswer, responses=NOT_FOUND)
def get_changes(
    store: StoreDep,
    dataset: Annotated[str, Path(min_length=1, max_length=100, examples=["trade_gov_csl"])],
    since: Annotated[
        dt.date | None, Query(description="Changes after this date (default: the snapshot before the latest).")
    ] = None,
) -> ChangesAnswer:
    """What the dataset's snapshots after `since` added, changed and ended — each record with its
    source key and file line — and the parties whose screening verdict changes, with the supply
    hops through them. The same JSON as `chiptrail changes --format json`."""
    return changes(store, dataset, since)
