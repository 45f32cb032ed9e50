"""Which of many texts difflib could find close to a term, found in C++ before difflib looks.

rapidfuzz's ratio (twice the longest common subsequence over both lengths) is never below
difflib's, whose matching blocks are a common subsequence; so a text rapidfuzz puts below a cutoff
cannot reach it in difflib either, and difflib need only score the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process


def near(wanted: str, texts: Sequence[str], least: float) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """The places in `texts` of those whose difflib ratio to `wanted` may be `least` or more, and
    every text's rapidfuzz ratio (0 to 1) to it: an upper bound of difflib's."""
    if not texts:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
    scores = process.cdist(
        [wanted], texts, scorer=fuzz.ratio, score_cutoff=_cutoff(least), dtype=np.float32, workers=-1
    )[0]
    return np.flatnonzero(scores), scores / 100


def may_reach(wanted: str, text: str, least: float) -> bool:
    """Whether difflib's ratio of the two may be `least` or more (False: it is not)."""
    return fuzz.ratio(wanted, text) >= _cutoff(least)


def _cutoff(least: float) -> float:
    """`least` as a rapidfuzz score (0 to 100), a hair lower whatever the rounding."""
    return 100 * least - 1e-6
