"""Resolution, read-only: the candidates to review and the judgements in the files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import SettingsDep, StoreDep
from loaders import BUNDLED_JUDGEMENTS
from loaders.judgements import read_judgements
from queries.resolution_view import CandidateOut, JudgementOut, candidate_view, judgement_view
from queries.same_as import review

router = APIRouter(tags=["resolution"])


@router.get("/resolution/candidates", response_model=list[CandidateOut])
def get_candidates(
    store: StoreDep, settings: SettingsDep, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[CandidateOut]:
    """Pairs of organisations to review, best first, with score and features; never merged by name."""
    found, nodes = review(store, settings.judgement_files)
    return [candidate_view(c, nodes) for c in found[:limit]]


@router.get("/resolution/judgements", response_model=list[JudgementOut])
def get_judgements(settings: SettingsDep) -> list[JudgementOut]:
    """Every line of the bundled and the user's judgements files, in order (the last about a pair wins)."""
    files = [("bundled", BUNDLED_JUDGEMENTS), ("user", settings.user_judgements)]
    return [judgement_view(j, label) for label, path in files for j in read_judgements(path)]
