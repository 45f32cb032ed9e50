"""Evaluate the rules in force for one chip, destination and date, and explain the outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ontology.records import Node
from ontology.vocab import Effect, Prop
from queries.answers import Outcome, Status
from queries.restrictions import Decision, Finding, Rule, chip_metrics
from queries.scope import Applicable, applicable

CONTROLLING = (Outcome.met, Outcome.targeted)


def _criteria_finding(rule: Rule, metrics: dict[str, float | None]) -> Finding:
    """Any criteria line met controls the item; an unknown figure leaves the line undecided."""
    unknown: list[str] = []
    failed: list[str] = []
    unsure: list[str] = []
    for test in rule.tests:
        met, words = test.check(metrics)
        if met:
            reason = f"{words} → {test.classification}, {rule.cite()}"
            others = tuple(dict.fromkeys(c for c in unsure if c != test.classification))
            return Finding(rule, Outcome.met, test.classification, reason, others)
        (unknown if met is None else failed).append(f"{test.classification}: {words}")
        if met is None:
            unsure.append(test.classification)
    if unknown:
        return Finding(rule, Outcome.unknown, None, f"cannot decide under {rule.citation}: " + "; ".join(unknown))
    return Finding(rule, Outcome.not_met, None, f"not controlled under {rule.citation}: " + "; ".join(failed))


def _finding(rule: Rule, chip: Node, metrics: dict[str, float | None]) -> Finding | None:
    targeted = chip.id in rule.targets
    if rule.effect == Effect.LICENSE_REQUIRED and rule.tests:
        return _criteria_finding(rule, metrics)
    if rule.effect == Effect.LICENSE_REQUIRED and targeted:
        return Finding(rule, Outcome.targeted, None, f"{rule.name} names this chip → licence required, {rule.cite()}")
    if rule.effect == Effect.POLICY_CHANGE and targeted:
        return Finding(
            rule,
            Outcome.policy_change,
            None,
            f"review policy now '{rule.license_policy}': {rule.name}, {rule.cite()}",
        )
    return None


def _covers(rule: Rule, finding: Finding, chip: Node) -> tuple[bool | None, str]:
    """Whether the exception covers one controlling finding: (covered, why); None when unknown."""
    if finding.outcome != Outcome.met or finding.classification is None:
        return False, f"{finding.rule.name} names the chip itself; the exception covers classifications only"
    if finding.unsure:
        return None, f"{', '.join(finding.unsure)} cannot be ruled out (a figure is missing)"
    lines = [e for e in rule.eligibility if e.classification == finding.classification]
    if not lines:
        return False, f"{finding.classification} items cannot use it"
    if not any(e.unless_data_center for e in lines):
        return True, f"{finding.classification} items may use it"
    data_center = chip.props.get(Prop.DATA_CENTER)
    if data_center is False:
        return True, f"{finding.classification} item not designed or marketed for data centres"
    if data_center is True:
        return False, f"{finding.classification} item designed or marketed for data centres cannot use it"
    return None, (
        f"{finding.classification} items may use it only if not designed or marketed for data centres, "
        "and no source says whether this chip is — so a licence is required unless that is shown"
    )


def _exception(found: Applicable, chip: Node, controlling: list[Finding], destination: str) -> Finding:
    rule = found.rule
    checks = [_covers(rule, f, chip) for f in controlling]
    covered: bool | None = True
    if any(c is False for c, _ in checks):
        covered = False
    elif any(c is None for c, _ in checks):
        covered = None
    outcome = {True: Outcome.eligible, False: Outcome.not_eligible, None: Outcome.unknown}[covered]
    verdict = {True: "eligible", False: "not eligible", None: "eligibility unknown"}[covered]
    why = "; ".join(dict.fromkeys(w for _, w in checks))
    reason = f"{rule.name}: {verdict} — {why}; {rule.cite()}{found.note(destination)}"
    return Finding(rule, outcome, None, reason)


def _policy(findings: list[Finding]) -> str | None:
    """The latest review policy: a policy change in force overrides the controlling rule's."""
    policy = None
    for f in findings:
        if f.outcome in ("met", "targeted", "policy_change") and f.rule.license_policy:
            policy = f.rule.license_policy
    return policy


def _with_note(finding: Finding | None, found: Applicable, destination: str) -> Finding | None:
    if finding is None or found.via is None:
        return finding
    return replace(finding, reason=finding.reason + found.note(destination))


def decide(chip: Node, rules: list[Rule], destination: str, day: dt.date) -> Decision:
    """Whether `chip` needs a US licence for `destination` (ISO code) on `day`, with reasons."""
    destination = destination.upper()
    metrics = chip_metrics(chip)
    found = applicable(rules, destination, day)
    exceptions = [a for a in found if a.rule.effect == Effect.LICENSE_EXCEPTION]
    findings = [f for a in found if (f := _with_note(_finding(a.rule, chip, metrics), a, destination)) is not None]
    controlling = [f for f in findings if f.outcome in CONTROLLING]
    policy = _policy(findings) if controlling else None
    if controlling:
        excepted = [_exception(a, chip, controlling, destination) for a in exceptions]
        findings += excepted
        usable = next((f for f in excepted if f.outcome == Outcome.eligible), None)
        status = Status.license_exception if usable else Status.license_required
        policy = usable.rule.license_policy if usable else policy
    elif any(f.outcome == Outcome.unknown for f in findings):
        status = Status.undetermined
    else:
        status = Status.not_restricted
    decision = Decision(chip, destination, day, status, policy, metrics, tuple(findings))
    return replace(decision, explanation=explain(decision))


def explain(decision: Decision) -> str:
    """One paragraph a compliance analyst can check by hand."""
    name = decision.chip.props.get(Prop.NAME, decision.chip.id)
    where = f"{decision.destination} on {decision.as_of}"
    head = {
        "license_required": f"{name}: US licence required for {where}",
        "license_exception": f"{name}: controlled for {where}, but a licence exception covers it (no licence needed)",
        "not_restricted": f"{name}: no US licence requirement found for {where}",
        "undetermined": f"{name}: undetermined for {where} (a figure is missing)",
    }[decision.status]
    if decision.license_policy:
        head += f" (review policy: {decision.license_policy})"
    reasons = [f.reason for f in decision.findings]
    if not decision.findings:
        reasons.append(f"no rule in force on {decision.as_of} covers {decision.destination}")
    return head + ". " + "; ".join(reasons) + "."
