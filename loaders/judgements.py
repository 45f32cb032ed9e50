"""Resolution judgements as a JSON-lines file: one decision per line, appended, never edited.

    {"left": id, "right": id, "judgement": "positive|negative|unsure", "score": 0.91 | null,
     "user": "ana", "at": "2026-11-29T12:00:00Z", "reason": "same address and FR citation",
     "supersedes": null | "<left>|<right>@<at>", "anchors": {"left": {...}, "right": {...}}}

The latest line about a pair (in either order) wins, so a merge is undone by appending a negative
line. `anchors` (identifiers, name, country of each side when judged) let a judgement find its
records again after a source re-keys them. Reading fails with a `DataError` naming file, line and
field for bad JSON, an unknown judgement or a missing user or reason.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ontology.errors import DataError, Problem

JUDGEMENTS = ("positive", "negative", "unsure")
REQUIRED = ("left", "right", "judgement", "user", "at", "reason")


@dataclass(frozen=True)
class Anchor:
    """What identified a record when it was judged: enough to find it again under a new id."""

    identifiers: tuple[str, ...] = ()
    name: str | None = None
    country: str | None = None
    dataset: str | None = None


@dataclass(frozen=True)
class Judgement:
    left: str
    right: str
    judgement: str
    user: str
    at: str
    reason: str
    score: float | None = None
    supersedes: str | None = None
    anchors: dict[str, Anchor] = field(default_factory=dict, compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        """The pair, in a fixed order (a judgement is symmetric)."""
        a, b = sorted((self.left, self.right))
        return a, b

    @property
    def key(self) -> str:
        """How a later line names this one in `supersedes`."""
        return f"{self.left}|{self.right}@{self.at}"

    def to_line(self) -> str:
        data: dict[str, Any] = {
            "left": self.left,
            "right": self.right,
            "judgement": self.judgement,
            "score": self.score,
            "user": self.user,
            "at": self.at,
            "reason": self.reason,
            "supersedes": self.supersedes,
            "anchors": {side: {**asdict(a), "identifiers": list(a.identifiers)} for side, a in self.anchors.items()},
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=False)


def _anchor(raw: object) -> Anchor:
    if not isinstance(raw, dict):
        return Anchor()
    ids = raw.get("identifiers")
    return Anchor(
        identifiers=tuple(str(i) for i in ids) if isinstance(ids, list) else (),
        name=str(raw["name"]) if raw.get("name") is not None else None,
        country=str(raw["country"]) if raw.get("country") is not None else None,
        dataset=str(raw["dataset"]) if raw.get("dataset") is not None else None,
    )


def parse_line(text: str, file: str, line: int) -> Judgement:
    """One line -> a Judgement. Raises `DataError` naming file, line and field."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(f"not JSON: {exc.msg} at column {exc.colno}", file=file, line=line)]) from None
    if not isinstance(raw, dict):
        raise DataError([Problem("a judgement line must be a JSON object", file=file, line=line)])
    problems = [
        Problem("missing or empty", file=file, line=line, field=key)
        for key in REQUIRED
        if not isinstance(raw.get(key), str) or not raw[key].strip()
    ]
    if isinstance(raw.get("judgement"), str) and raw["judgement"] not in JUDGEMENTS:
        problems.append(
            Problem(
                f"'{raw['judgement']}' is not one of {', '.join(JUDGEMENTS)}", file=file, line=line, field="judgement"
            )
        )
    score = raw.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1):
        problems.append(Problem(f"'{score}' is not a number from 0 to 1 or null", file=file, line=line, field="score"))
    if problems:
        raise DataError(problems)
    found = raw.get("anchors")
    anchors: dict[str, Any] = found if isinstance(found, dict) else {}
    return Judgement(
        left=raw["left"],
        right=raw["right"],
        judgement=raw["judgement"],
        user=raw["user"],
        at=raw["at"],
        reason=raw["reason"],
        score=float(score) if score is not None else None,
        supersedes=str(raw["supersedes"]) if raw.get("supersedes") is not None else None,
        anchors={side: _anchor(anchors.get(side)) for side in ("left", "right") if side in anchors},
    )


def read_judgements(path: Path) -> list[Judgement]:
    """Every line of the file, in order (a missing file holds none). Blank lines are skipped."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [parse_line(line, str(path), number) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def append_judgements(path: Path, judgements: list[Judgement]) -> None:
    """Append lines (creating the file and its folder if needed); earlier lines are never rewritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for judgement in judgements:
            handle.write(judgement.to_line() + "\n")


def latest(judgements: list[Judgement]) -> dict[tuple[str, str], Judgement]:
    """The decision in force for each pair: the last line about it wins."""
    found: dict[tuple[str, str], Judgement] = {}
    for judgement in judgements:
        found[judgement.pair] = judgement
    return found
