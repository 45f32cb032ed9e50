"""Evaluate the rules in force for one chip, destination and date, and explain the outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ontology.records import Node
from ontology.vocab import Prop
from queries.answers import Outcome, Status
from queries.restrictions import Decision, Finding, Rule, chip_metrics


def _criteria_finding(rule: Rule, metrics: dict[str, float | None]) -> Finding:
    """Any criteria line met controls the item; an unknown figure leaves the line undecided."""
    unknown: list[str] = []
    failed: list[str] = []
    for test in rule.tests:
        met, words = test.check(metrics)
        if met:
            return Finding(rule, Outcome.met, test.classification, f"{words} → {test.classification}, {rule.cite()}")
        (unknown if met is None else failed).append(f"{test.classification}: {words}")
    if unknown:
        return Finding(rule, Outcome.unknown, None, f"cannot decide under {rule.citation}: " + "; ".join(unknown))
    return Finding(rule, Outcome.not_met, None, f"not controlled under {rule.citation}: " + "; ".join(failed))


def _finding(rule: Rule, chip: Node, metrics: dict[str, float | None]) -> Finding | None:
    targeted = chip.id in rule.targets
    if rule.effect == "license_required" and rule.tests:
        return _criteria_finding(rule, metrics)
    if rule.effect == "license_required" and targeted:
        return Finding(rule, Outcome.targeted, None, f"{rule.name} names this chip → licence required, {rule.cite()}")
    if rule.effect == "policy_change" and targeted:
        return Finding(
            rule,
            Outcome.policy_change,
            None,
            f"review policy now '{rule.license_policy}': {rule.name}, {rule.cite()}",
        )
    return None


def _policy(findings: list[Finding]) -> str | None:
    """The latest review policy: a policy change in force overrides the controlling rule's."""
    policy = None
    for f in findings:
        if f.outcome in ("met", "targeted", "policy_change") and f.rule.license_policy:
            policy = f.rule.license_policy
    return policy


def decide(chip: Node, rules: list[Rule], destination: str, day: dt.date) -> Decision:
    """Whether `chip` needs a US licence for `destination` (ISO code) on `day`, with reasons."""
    destination = destination.upper()
    metrics = chip_metrics(chip)
    in_force = [r for r in rules if r.applies(destination, day)]
    findings = [f for r in in_force if (f := _finding(r, chip, metrics)) is not None]
    controlling = [f for f in findings if f.outcome in ("met", "targeted")]
    if controlling:
        status = Status.license_required
    elif any(f.outcome == "unknown" for f in findings):
        status = Status.undetermined
    else:
        status = Status.not_restricted
    decision = Decision(
        chip, destination, day, status, _policy(findings) if controlling else None, metrics, tuple(findings)
    )
    return replace(decision, explanation=explain(decision))


def explain(decision: Decision) -> str:
    """One paragraph a compliance analyst can check by hand."""
    name = decision.chip.props.get(Prop.NAME, decision.chip.id)
    head = {
        "license_required": f"{name}: US licence required for {decision.destination} on {decision.as_of}",
        "not_restricted": f"{name}: no US licence requirement found for {decision.destination} on {decision.as_of}",
        "undetermined": f"{name}: undetermined for {decision.destination} on {decision.as_of} (a figure is missing)",
    }[decision.status]
    if decision.license_policy:
        head += f" (review policy: {decision.license_policy})"
    reasons = [f.reason for f in decision.findings]
    if not decision.findings:
        reasons.append(f"no rule in force on {decision.as_of} covers {decision.destination}")
    return head + ". " + "; ".join(reasons) + "."
