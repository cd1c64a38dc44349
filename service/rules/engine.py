"""Evaluate every rule for a requested document: all violations at once, plus the full trace.

Per-creditor policy overrides (rule id → parameter values, and ``enabled: false`` to switch a
policy off) are layered over the defaults in ``legal/rules/``; the defaults are never changed.
A law rule cannot be switched off or re-parameterised: an override that tries is refused; nor can a
contract rule (it holds the creditor to an agreement signed with the debtor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from service.errors import FieldError, ValidationFailed
from service.kernel.calendar import WorkCalendar
from service.kernel.text import Message
from service.rules.history import CaseHistory, RequestedDocument
from service.rules.ladder import CHECKS
from service.rules.model import (
    Evaluation,
    Outcome,
    Params,
    ParamValue,
    Rule,
    RulebookError,
    RuleKind,
    RuleSpec,
    TraceEntry,
)

PolicyOverrides = Mapping[str, Mapping[str, ParamValue]]
"""Rule (or parameter set) id → parameter name → value; ``enabled: False`` switches a policy off."""

ENABLED = "enabled"

_DISABLED = Message(
    ru="правило отключено для этого взыскателя",
    kk="бұл ереже осы өндіріп алушы үшін өшірілген",
    en="switched off for this creditor",
)


class OverrideRefused(ValidationFailed):
    """An override names an unknown rule or parameter, has the wrong type, or touches a law."""

    code = "override_refused"


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    """Checks, in the order of the data files."""
    settings: Mapping[str, RuleSpec]
    """Parameter sets that are not checks (e.g. ``restructuring-terms``, ``segmentation``)."""

    @classmethod
    def build(cls, specs: Iterable[RuleSpec]) -> Rulebook:
        """Pair each rule spec with its check; the data and the code must agree exactly."""
        rules: list[Rule] = []
        settings: dict[str, RuleSpec] = {}
        seen: set[str] = set()
        for spec in specs:
            if spec.id in seen:
                raise RulebookError(f"rule {spec.id} is defined twice")
            seen.add(spec.id)
            if spec.kind is RuleKind.LAW and not spec.provisions:
                raise RulebookError(f"law rule {spec.id} cites no provision")
            if not spec.applies_to:
                settings[spec.id] = spec
                continue
            if spec.id not in CHECKS:
                raise RulebookError(f"rule {spec.id} has no check in the code")
            kind, check = CHECKS[spec.id]
            if kind is not spec.kind:
                raise RulebookError(
                    f"rule {spec.id} is {kind.value} in the code but {spec.kind.value} in the data"
                )
            rules.append(Rule(spec, check))
        missing = sorted(set(CHECKS) - seen)
        if missing:
            raise RulebookError(f"checks without rule data: {', '.join(missing)}")
        return cls(tuple(rules), settings)

    def spec(self, rule_id: str) -> RuleSpec:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule.spec
        if rule_id in self.settings:
            return self.settings[rule_id]
        raise KeyError(rule_id)

    def validate_overrides(self, overrides: PolicyOverrides) -> None:
        """Refuse, all problems at once, anything but a well-typed change to a policy."""
        errors: list[FieldError] = []
        for rule_id, values in overrides.items():
            path = f"overrides.{rule_id}"
            try:
                spec = self.spec(rule_id)
            except KeyError:
                errors.append(FieldError(path, "unknown_rule", f"no rule {rule_id}"))
                continue
            if spec.kind is RuleKind.LAW:
                errors.append(
                    FieldError(
                        path,
                        "law_rule",
                        f"{rule_id} follows from law ({', '.join(spec.provisions)}): it cannot "
                        "be switched off or changed for one creditor",
                    )
                )
                continue
            if spec.kind is RuleKind.CONTRACT:
                errors.append(
                    FieldError(
                        path,
                        "contract_rule",
                        f"{rule_id} holds the creditor to an agreement signed with the debtor: "
                        "it cannot be switched off or changed for one creditor",
                    )
                )
                continue
            for name, value in values.items():
                if name == ENABLED:
                    if not isinstance(value, bool):
                        errors.append(FieldError(f"{path}.{name}", "type", "must be true/false"))
                    continue
                if name not in spec.parameters:
                    errors.append(
                        FieldError(
                            f"{path}.{name}", "unknown_parameter", f"{rule_id} has no {name}"
                        )
                    )
                    continue
                default = spec.parameters[name][0].value
                if not _same_type(default, value):
                    errors.append(
                        FieldError(f"{path}.{name}", "type", f"must be a {type(default).__name__}")
                    )
                elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
                    errors.append(FieldError(f"{path}.{name}", "min", "must not be negative"))
        if errors:
            raise OverrideRefused(errors)

    def parameters(
        self, rule_id: str, on_date: dt.date, overrides: PolicyOverrides | None = None
    ) -> tuple[Params, tuple[str, ...], bool]:
        """Parameters in force on ``on_date`` with the creditor's overrides; and enabled?"""
        spec = self.spec(rule_id)
        values = spec.parameters_on(on_date)
        changes = dict((overrides or {}).get(rule_id, {}))
        enabled = bool(changes.pop(ENABLED, True))
        values.update(changes)
        return Params(rule_id, values), tuple(sorted(changes)), enabled

    def settings_on(
        self, on_date: dt.date, overrides: PolicyOverrides | None = None
    ) -> dict[str, Params]:
        """Every parameter set that is not a check, with the creditor's overrides, as in force
        on ``on_date`` (one with no value in force then is left out)."""
        found = {}
        for setting_id in self.settings:
            try:
                found[setting_id] = self.parameters(setting_id, on_date, overrides)[0]
            except RulebookError:
                continue
        return found


def _same_type(default: ParamValue, value: ParamValue) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, Decimal):
        return isinstance(value, Decimal)
    return type(default) is type(value)


def evaluate_all(
    rulebook: Rulebook,
    history: CaseHistory,
    requested: RequestedDocument,
    on_date: dt.date,
    calendar: WorkCalendar,
    overrides: PolicyOverrides | None = None,
) -> Evaluation:
    """Every rule on ``on_date``: all violations, and a trace entry for every rule."""
    overrides = overrides or {}
    rulebook.validate_overrides(overrides)
    settings = rulebook.settings_on(on_date, overrides)
    trace: list[TraceEntry] = []
    for rule in rulebook.rules:
        params, overridden, enabled = rulebook.parameters(rule.id, on_date, overrides)
        if not enabled:
            result_outcome, detail, violation = Outcome.DISABLED, _DISABLED, None
        else:
            result = rule.evaluate(history, requested, on_date, params, calendar, settings)
            result_outcome, detail, violation = result.outcome, result.detail, result.violation
        trace.append(
            TraceEntry(
                rule=rule.id,
                kind=rule.kind,
                provisions=rule.spec.provisions,
                outcome=result_outcome,
                detail=detail,
                parameters=params.values,
                overridden=overridden,
                informed_by=rule.spec.informed_by,
                violation=violation,
            )
        )
    violations = tuple(t.violation for t in trace if t.violation is not None)
    return Evaluation(requested, on_date, violations, tuple(trace))


def earliest_allowed(
    rulebook: Rulebook,
    history: CaseHistory,
    requested: RequestedDocument,
    on_date: dt.date,
    calendar: WorkCalendar,
    overrides: PolicyOverrides | None = None,
    max_steps: int = 8,
) -> tuple[dt.date | None, Evaluation]:
    """The first date from ``on_date`` on which the document may go out if nothing but time
    passes (no payment, no delivery); ``None`` if something else must happen first.

    Returns that date and the evaluation on it (or the last one that was blocked).
    """
    day = on_date
    evaluation = evaluate_all(rulebook, history, requested, day, calendar, overrides)
    for _ in range(max_steps):
        if evaluation.allowed:
            return day, evaluation
        if not evaluation.blocked_only_by_time:
            return None, evaluation
        day = max(v.passes_on for v in evaluation.violations if v.passes_on)
        evaluation = evaluate_all(rulebook, history, requested, day, calendar, overrides)
    return (day if evaluation.allowed else None), evaluation
