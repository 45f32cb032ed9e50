"""What-if overlays: a small YAML (or JSON) document that modifies the rules and designations.

    name: Lower the TPP threshold to 2,000 from 2024-01-01
    rules:                       # an existing id: the fields given replace the stored ones
      - id: whatif-tpp-2000      # a new id: a new rule (effect and valid_from required)
        effect: license_required
        valid_from: 2024-01-01
        destinations: [CN]
        criteria: ["3A090.a: tpp >= 2000"]
    remove_rules: [rule-2025-04-09-h20-licence]
    affiliates: false            # switch every affiliates rule off (true or absent: as stored)
    designations:                # added listings (list: default CHIPTRAIL_DEFAULT_LIST, the Entity List)
      - {party: org-example, list: list-bis-entity-list, valid_from: 2026-01-01}
    remove_designations: [org-sugon]   # parties whose designations are dropped

Nothing is written to the store: the overlay builds a modified copy of the policy layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ontology.errors import DataError, Problem
from ontology.vocab import Effect
from queries.policies import Policies
from queries.restrictions import CriteriaLine, Rule
from queries.screening import Designation
from queries.settings import query_settings

EFFECTS = tuple(v for k, v in vars(Effect).items() if k.isupper())


class RuleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=200)
    name: str | None = None
    citation: str | None = None
    effect: str | None = Field(default=None, pattern="^(" + "|".join(EFFECTS) + ")$")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    destinations: list[str] | None = None
    criteria: list[str] | None = None
    license_policy: str | None = None
    ownership_threshold: float | None = Field(default=None, gt=0, le=100)
    extends: list[str] | None = None
    targets: list[str] | None = None


class DesignationAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    party: str = Field(min_length=1, max_length=200)
    list: str | None = Field(
        default=None, min_length=1, max_length=200, description="Default: CHIPTRAIL_DEFAULT_LIST (the BIS Entity List)."
    )
    valid_from: dt.date
    valid_to: dt.date | None = None
    citation: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None


class Overlay(BaseModel):
    """A what-if: changes to the rules and designations, evaluated without touching the store."""

    model_config = ConfigDict(extra="forbid")
    name: str = "what-if overlay"
    as_of: dt.date | None = None
    rules: list[RuleChange] = []
    remove_rules: list[str] = []
    affiliates: bool | None = None
    designations: list[DesignationAdd] = []
    remove_designations: list[str] = []


def read_overlay(path: Path) -> Overlay:
    """Parse an overlay file; every problem names the file and the field."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError([Problem(f"cannot read the overlay: {exc}", file=str(path))]) from exc
    return parse_overlay(document, str(path))


def parse_overlay(document: Any, where: str = "<overlay>") -> Overlay:
    try:
        return Overlay.model_validate(document or {})
    except ValidationError as exc:
        problems = [Problem(e["msg"], file=where, field=".".join(str(x) for x in e["loc"])) for e in exc.errors()]
        raise DataError(problems) from exc


def _new_rule(change: RuleChange, where: str) -> Rule:
    missing = [f for f in ("effect", "valid_from") if getattr(change, f) is None]
    if missing:
        raise DataError(
            [Problem(f"a new rule needs {' and '.join(missing)}", file=where, record=change.id, field=missing[0])]
        )
    base = Rule(
        id=change.id,
        name=change.name or change.id,
        citation=change.citation or "what-if overlay (hypothetical)",
        effect=str(change.effect),
        valid_from=change.valid_from,
        valid_to=None,
        destinations=frozenset(),
        country_groups=(),
        license_policy=None,
        tests=(),
        targets=frozenset(),
    )
    return _changed(base, change)


def _changed(rule: Rule, change: RuleChange) -> Rule:
    fields: dict[str, Any] = {}
    for name in ("name", "citation", "effect", "valid_from", "valid_to", "license_policy"):
        if (value := getattr(change, name)) is not None:
            fields[name] = value
    if change.destinations is not None:
        fields["destinations"] = frozenset(d.upper() for d in change.destinations)
    if change.criteria is not None:
        fields["tests"] = tuple(CriteriaLine.parse(line, change.id) for line in change.criteria)
    if change.ownership_threshold is not None:
        fields["threshold"] = change.ownership_threshold
    if change.extends is not None:
        fields["extends"] = frozenset(change.extends)
    if change.targets is not None:
        fields["targets"] = frozenset(change.targets)
    return replace(rule, **fields)


def _designation(add: DesignationAdd, name: str) -> Designation:
    return Designation(
        party=add.party,
        listing="what-if",
        listing_name=f"{name} (hypothetical listing)",
        lists=(add.list or query_settings().default_list,),
        valid_from=add.valid_from,
        valid_to=add.valid_to,
        citation=add.citation,
        license_requirement=add.license_requirement,
        license_policy=add.license_policy,
        confidence="hypothetical",
        sources=(),
    )


def apply(overlay: Overlay, base: Policies, where: str = "<overlay>") -> Policies:
    """The policy layer with the overlay's changes."""
    rules = {r.id: r for r in base.rules}
    unknown = [
        Problem(f"no rule '{i}' to remove", file=where, field="remove_rules")
        for i in overlay.remove_rules
        if i not in rules
    ]
    if unknown:
        raise DataError(unknown)
    for rule_id in overlay.remove_rules:
        del rules[rule_id]
    for change in overlay.rules:
        rules[change.id] = _changed(rules[change.id], change) if change.id in rules else _new_rule(change, where)
    if overlay.affiliates is False:
        rules = {k: r for k, r in rules.items() if r.effect != Effect.AFFILIATES}
    dropped = set(overlay.remove_designations)
    designations = [d for d in base.designations if d.party not in dropped]
    designations += [_designation(a, overlay.name) for a in overlay.designations]
    ordered = sorted(rules.values(), key=lambda r: (r.valid_from or dt.date.min, r.id))
    return Policies(tuple(ordered), tuple(designations))
