"""Which rules apply to a destination on a date — read from data, never special-cased in code.

A rule applies where its own `destinations` say, while it is in force, unless a suspension holds:

* a destination-scope record (effect `destination_scope`) adds its destinations to the rules it
  ADDS_DESTINATIONS_TO (Macau joined the 3A090 controls on 2023-01-17, 88 FR 2821) or, with
  `treated_as`, to every rule that names one of those codes (Hong Kong is treated as China under
  the EAR from 2020-12-23, 85 FR 83765) — while the record is in force;
* a suspension (effect `suspension`) stops the rules it SUSPENDS from applying while it is in
  force. The suspended rule keeps its own dates, so it applies again when the suspension ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ontology.vocab import Effect
from queries.restrictions import Rule

MODIFIERS = (Effect.DESTINATION_SCOPE, Effect.SUSPENSION)


@dataclass(frozen=True)
class Applicable:
    """A rule that applies to the destination, and the scope record that brings it there (if any)."""

    rule: Rule
    via: Rule | None = None

    def note(self, destination: str) -> str:
        if self.via is None:
            return ""
        return f" (applies to {destination} through {self.via.name}, {self.via.cite()})"


def suspension(rule: Rule, rules: Iterable[Rule], day: dt.date) -> Rule | None:
    """The suspension in force on `day` that suspends `rule`, if any."""
    return next((s for s in rules if s.effect == Effect.SUSPENSION and rule.id in s.suspends and s.in_force(day)), None)


def operative(rule: Rule, rules: Iterable[Rule], day: dt.date) -> bool:
    """In force on `day` by its own dates and not suspended."""
    return rule.in_force(day) and suspension(rule, rules, day) is None


def _scope(rule: Rule, scopes: list[Rule], destination: str) -> Rule | None:
    for scope in scopes:
        if destination in scope.destinations and (rule.id in scope.widens or rule.names(set(scope.treated_as))):
            return scope
    return None


def applicable(rules: list[Rule], destination: str, day: dt.date) -> list[Applicable]:
    """The rules (other than scope records and suspensions) that apply to `destination` on `day`."""
    destination = destination.upper()
    scopes = [r for r in rules if r.effect == Effect.DESTINATION_SCOPE and operative(r, rules, day)]
    found = []
    for rule in rules:
        if rule.effect in MODIFIERS or not operative(rule, rules, day):
            continue
        if rule.names({destination}):
            found.append(Applicable(rule))
        elif (via := _scope(rule, scopes, destination)) is not None:
            found.append(Applicable(rule, via))
    return found
