"""The shapes of the rules engine: rule specs (data), parameters, results, violations, traces.

A rule is data plus code. The data (``legal/rules/*.yaml``, loaded by ``service.legal.rules``) says
what a lawyer must be able to read: id, ``law`` or ``policy``, the provisions cited, a description
in ru and kk, and parameters with the dates they take effect. The code is one pure check function
per rule id (``service.rules.ladder``).

``law`` rules follow from verified provisions and cannot be switched off or re-parameterised per
creditor. ``policy`` rules are the creditor's configurable practice; their messages say so and
never present them as law. ``contract`` rules hold the creditor to an agreement it signed with the
debtor (its schedule, its own definition of default): they are not law, and not the creditor's
policy either, so a creditor cannot switch them off; their messages say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from service.errors import ConfigurationError
from service.kernel.calendar import WorkCalendar
from service.kernel.text import Message
from service.rules.history import CaseHistory, DocumentKind, RequestedDocument

ParamValue = int | bool | str | Decimal


class RuleKind(StrEnum):
    LAW = "law"
    POLICY = "policy"
    CONTRACT = "contract"
    """Follows from an agreement signed with the debtor (its own clauses), not from a statute."""


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    DISABLED = "disabled"
    """A policy rule switched off for this creditor."""


@dataclass(frozen=True)
class DatedValue:
    effective_from: dt.date
    value: ParamValue
    note: str = ""


@dataclass(frozen=True)
class RuleSpec:
    """One rule or policy parameter set as a lawyer reads it in ``legal/rules/``."""

    id: str
    kind: RuleKind
    provisions: tuple[str, ...]
    """Provisions the rule rests on (a law rule cites at least one)."""
    description: Mapping[str, str]
    informed_by: tuple[str, ...] = ()
    """For a policy: provisions that shaped it without requiring it (shown, never cited as
    the basis of a refusal)."""
    parameters: Mapping[str, tuple[DatedValue, ...]] = field(default_factory=dict)
    applies_to: frozenset[DocumentKind] = frozenset()
    """Document kinds the rule checks; empty for a parameter set that is not a check."""

    def as_dict(self) -> dict[str, object]:
        """The rule as data, for a lawyer-facing listing (``GET /v1/rules``)."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "applies_to": sorted(k.value for k in self.applies_to),
            "provisions": list(self.provisions),
            "informed_by": list(self.informed_by),
            "description": dict(self.description),
            "parameters": {
                name: [
                    {
                        "from": v.effective_from.isoformat(),
                        "value": wire_value(v.value),
                        "note": v.note,
                    }
                    for v in values
                ]
                for name, values in self.parameters.items()
            },
        }

    def parameters_on(self, day: dt.date) -> dict[str, ParamValue]:
        """Each parameter's value in force on ``day`` (the latest ``from`` not after it)."""
        values: dict[str, ParamValue] = {}
        for name, dated in self.parameters.items():
            current = [d for d in dated if d.effective_from <= day]
            if not current:
                raise RulebookError(f"{self.id}.{name}: no value in force on {day.isoformat()}")
            values[name] = max(current, key=lambda d: d.effective_from).value
        return values


class Params:
    """Resolved parameters of one rule on one date, with typed access."""

    def __init__(self, rule_id: str, values: Mapping[str, ParamValue]) -> None:
        self.rule_id = rule_id
        self.values = dict(values)

    def int(self, name: str) -> int:
        value = self.values[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise RulebookError(f"{self.rule_id}.{name} must be a whole number")
        return value

    def bool(self, name: str) -> bool:
        value = self.values[name]
        if not isinstance(value, bool):
            raise RulebookError(f"{self.rule_id}.{name} must be true or false")
        return value


@dataclass(frozen=True)
class Violation:
    rule: str
    kind: RuleKind
    provision: str | None
    """The provision the refusal rests on; ``None`` for a policy with no statutory basis."""
    message: Message
    passes_on: dt.date | None = None
    """The date from which the rule passes if only time blocks it; ``None`` if something must
    happen first (a delivery, a payment, a document)."""
    unblock: Message | None = None
    """When something must happen first: what would unblock it (e.g. a delivery by another
    channel)."""

    def as_dict(self) -> dict[str, object]:
        """The contract's wire shape (``errors.RulesViolated``)."""
        return {
            "rule": self.rule,
            "kind": self.kind.value,
            "provision": self.provision,
            "message": self.message.en,
            "messages": self.message.as_dict(),
            "passes_on": self.passes_on.isoformat() if self.passes_on else None,
            "unblock": self.unblock.en if self.unblock else None,
            "unblock_messages": self.unblock.as_dict() if self.unblock else None,
        }


@dataclass(frozen=True)
class CheckResult:
    """What a check function returns; ``Rule.evaluate`` adds the rule's id, kind and citation."""

    passed: bool
    detail: Message
    passes_on: dt.date | None = None
    unblock: Message | None = None


@dataclass(frozen=True)
class RuleResult:
    outcome: Outcome
    detail: Message
    """Why it passed or failed, with the dates used (for the ``explain`` trace)."""
    violation: Violation | None = None


@dataclass(frozen=True)
class CheckContext:
    """What every check reads: the case, the document asked for, the date and the calendar."""

    history: CaseHistory
    requested: RequestedDocument
    on_date: dt.date
    calendar: WorkCalendar
    settings: Mapping[str, Params] = field(default_factory=dict)
    """Policy parameter sets that are not checks (e.g. ``delivery-outcome``), as in force for
    the creditor on ``on_date``."""


CheckFn = Callable[[CheckContext, Params], CheckResult]


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    check: CheckFn

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kind(self) -> RuleKind:
        return self.spec.kind

    def evaluate(
        self,
        history: CaseHistory,
        requested: RequestedDocument,
        on_date: dt.date,
        params: Params,
        calendar: WorkCalendar,
        settings: Mapping[str, Params] | None = None,
    ) -> RuleResult:
        if requested.kind not in self.spec.applies_to:
            return RuleResult(Outcome.NOT_APPLICABLE, _NOT_APPLICABLE)
        context = CheckContext(history, requested, on_date, calendar, settings or {})
        result = self.check(context, params)
        if result.passed:
            return RuleResult(Outcome.PASS, result.detail)
        message = result.detail
        if self.kind is RuleKind.POLICY:
            # Policy is never presented as law: every policy refusal says what it is.
            message = message + _POLICY_NOTE
        elif self.kind is RuleKind.CONTRACT:
            message = message + _CONTRACT_NOTE
        violation = Violation(
            rule=self.id,
            kind=self.kind,
            provision=self.spec.provisions[0] if self.spec.provisions else None,
            message=message,
            passes_on=result.passes_on,
            unblock=result.unblock,
        )
        return RuleResult(Outcome.FAIL, message, violation)


_POLICY_NOTE = Message(
    ru=" (внутренний порядок взыскателя, а не требование закона)",
    kk=" (өндіріп алушының ішкі тәртібі, заң талабы емес)",
    en=" (the creditor's policy, not a legal requirement)",
)

_CONTRACT_NOTE = Message(
    ru=" (условие соглашения, подписанного с должником, а не требование закона)",
    kk=" (борышкермен қол қойылған келісімнің шарты, заң талабы емес)",
    en=" (a term of the agreement signed with the debtor, not a legal requirement)",
)

_NOT_APPLICABLE = Message(
    ru="не применяется к этому виду документа",
    kk="құжаттың бұл түріне қолданылмайды",
    en="does not apply to this kind of document",
)


@dataclass(frozen=True)
class TraceEntry:
    rule: str
    kind: RuleKind
    provisions: tuple[str, ...]
    outcome: Outcome
    detail: Message
    parameters: Mapping[str, ParamValue]
    overridden: tuple[str, ...] = ()
    informed_by: tuple[str, ...] = ()
    """Parameter names the creditor's overrides changed."""
    violation: Violation | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "kind": self.kind.value,
            "provisions": list(self.provisions),
            "informed_by": list(self.informed_by),
            "outcome": self.outcome.value,
            "detail": self.detail.as_dict(),
            "parameters": {k: wire_value(v) for k, v in self.parameters.items()},
            "overridden": list(self.overridden),
            "violation": self.violation.as_dict() if self.violation else None,
        }


@dataclass(frozen=True)
class Evaluation:
    requested: RequestedDocument
    on_date: dt.date
    violations: tuple[Violation, ...]
    trace: tuple[TraceEntry, ...]

    @property
    def allowed(self) -> bool:
        return not self.violations

    @property
    def blocked_only_by_time(self) -> bool:
        return bool(self.violations) and all(v.passes_on for v in self.violations)


def wire_value(value: ParamValue) -> object:
    """A parameter value as JSON carries it (decimals as strings)."""
    return str(value) if isinstance(value, Decimal) else value


class RulebookError(ConfigurationError):
    """The rule data and the rule code disagree (a deployment error, not user input)."""
