"""The grammar of an export-control rule's `criteria` lines (`CLASS: metric op number and …`) and of
a licence exception's `eligibility` lines (`CLASS` or `CLASS unless data_center`).

One place reads it, for the loader (a line it cannot read is a data error naming file, line and
record) and for the restriction reasoning that evaluates the terms.
"""

from __future__ import annotations

import re

METRICS = ("tpp", "pd", "interconnect_gbps")
TERM = re.compile(r"^(" + "|".join(METRICS) + r") (>=|>|<=|<) ([0-9]+(?:\.[0-9]+)?)$")
EXPECTED = "expected 'CLASS: metric op number and …' with metric one of " + ", ".join(METRICS)


def read_criteria(line: str) -> tuple[str, list[tuple[str, str, float]]] | None:
    """(classification, [(metric, op, threshold), …]), or None when the line does not follow the grammar."""
    head, sep, body = line.partition(": ")
    matches = [TERM.match(part.strip()) for part in body.split(" and ")]
    if not sep or not head.strip() or not all(matches):
        return None
    return head, [(m[1], m[2], float(m[3])) for m in matches if m]


ELIGIBILITY = re.compile(r"^([0-9A-Za-z.]+)( unless data_center)?$")
EXPECTED_ELIGIBILITY = "expected 'CLASS' or 'CLASS unless data_center'"


def read_eligibility(line: str) -> tuple[str, bool] | None:
    """(classification, unless designed or marketed for data centres), or None off the grammar."""
    match = ELIGIBILITY.match(line.strip())
    return (match[1], match[2] is not None) if match else None
