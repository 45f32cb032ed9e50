"""Organisation names for resolution: fingerprints, tokens and one documented similarity.

`chiptrail-names-v1` (stdlib only, deterministic): both names are fingerprinted (case and
punctuation folded, legal forms such as Co., Ltd., Limited, Corporation, Company, Inc dropped);
the score is the mean of difflib's `SequenceMatcher` ratio over the fingerprints and the Jaccard
overlap of their tokens. Names in different scripts (Chinese vs Latin) score 0: they join only
through an identifier or a person's judgement. Similarity never merges anything by itself.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

ALGORITHM = "chiptrail-names-v1"
LEGAL_FORMS = frozenset(
    {"co", "company", "ltd", "limited", "corp", "corporation", "inc", "incorporated", "llc", "plc"}
    | {"gmbh", "ag", "sa", "bv", "pte", "pty", "jsc", "oao", "ooo"}
)
# A listed sub-unit: the parent's name plus one of these (longest first when matching).
ORG_UNIT_SUFFIXES = (
    "subordinate institution",
    "research institute",
    "research center",
    "research centre",
    "institute",
    "branch",
    "academy",
    "laboratory",
    "subsidiary",
)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_chinese(text: str) -> bool:
    """Whether the name is written in Chinese script (any Han character)."""
    return CJK.search(text) is not None


def tokens(name: str) -> list[str]:
    """Case- and punctuation-folded words, legal forms removed, order kept."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    if is_chinese(folded):
        return [c for c in folded if CJK.match(c)]
    words = re.findall(r"[^\W_]+", folded)
    return [w for w in words if w not in LEGAL_FORMS]


def fingerprint(name: str) -> str:
    return " ".join(tokens(name))


def similarity(left: str, right: str) -> float:
    """`chiptrail-names-v1` in [0, 1]; 0 across scripts."""
    if is_chinese(left) != is_chinese(right):
        return 0.0
    a, b = fingerprint(left), fingerprint(right)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    ta, tb = set(a.split()), set(b.split())
    jaccard = len(ta & tb) / len(ta | tb)
    return round((ratio + jaccard) / 2, 4)


def sub_unit(left: str, right: str) -> str | None:
    """The org-unit suffix if one name is the other plus a unit suffix ("… Research Institute"), else None."""
    a, b = fingerprint(left), fingerprint(right)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short or not long.startswith(short) or long == short:
        return None
    rest = long[len(short) :].strip()
    for suffix in ORG_UNIT_SUFFIXES:
        if rest.endswith(suffix):
            return suffix
    return None
