"""The rules' view of a case, the rulebook as data, and a creditor's policy overrides.

Overrides are kept with their history: each change is a new row per rule with the date it takes
effect (``effective_from``), who recorded it and when. The set in force on a date is, per rule,
the latest row taking effect on or before it; a row replaces the creditor's earlier override of
that rule as a whole, and ``{}`` returns the rule to the defaults in ``legal/rules/``. A change
cannot take effect in the past: decisions already taken must stay explainable as they were.

Who may change it: an admin key, or the creditor's own system key (an unbound admin key names
the creditor with ``?creditor=``). Every authenticated key of the creditor may read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from service.agreements.service import case_agreements, default_clauses, recorded_acknowledgments
from service.audit import service as audit
from service.audit.events import PolicyChanged
from service.caselog import service as caselog
from service.cases import repository as cases
from service.cases.case import DebtCase
from service.cases.debt import DebtSummary
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal
from service.creditors.service import acting_creditor
from service.deliveries import repository as deliveries
from service.deliveries.models import DeliveryRow
from service.deliveries.outcome import RECEIPT_ONLY, DeliveryPolicy, EventStatus, outcome_of
from service.discounts import policy as discount_policy
from service.documents import repository as documents
from service.errors import FieldError, ValidationFailed
from service.kernel.route import Route
from service.law.context import LawContext
from service.rules import repository
from service.rules.engine import OverrideRefused, PolicyOverrides, Rulebook
from service.rules.history import CaseHistory, Delivery, DeliveryStatus, IssuedDocument
from service.rules.model import ParamValue, RulebookError, RuleKind, RuleSpec, wire_value
from service.rules.models import PolicyOverrideRow
from service.rules.schemas import (
    OverrideOut,
    PolicyIn,
    PolicyOut,
    RuleOut,
    RuleSettingOut,
    RulesOut,
)
from service.rules.undelivered import DELIVERY_SETTING

_DECIMAL = "decimal"


def overrides_for(session: Session, creditor_id: str, on_date: dt.date) -> PolicyOverrides:
    """The creditor's overrides in force on ``on_date`` (the engine layers them on defaults)."""
    return _decoded(repository.overrides_in_force(session, creditor_id, on_date))


def _decoded(in_force: dict[str, PolicyOverrideRow]) -> PolicyOverrides:
    return {
        rule_id: {name: _decode(value) for name, value in row.parameters.items()}
        for rule_id, row in in_force.items()
    }


def case_history(session: Session, case: DebtCase, debt: DebtSummary) -> CaseHistory:
    """What the rules look at: documents with their deliveries, agreements with the payments
    that count for them, acknowledgments recorded apart from agreements, an active hardship,
    and from the case log the promises to pay and the hardship notes."""
    agreements = case_agreements(session, case.id, case.payments)
    promises, hardship_notes = caselog.case_log_facts(session, case.id)
    return CaseHistory(
        debt=debt,
        documents=_issued_documents(session, case.id),
        agreements=tuple(a for _, a in agreements),
        default_clauses=default_clauses([row for row, _ in agreements]),
        acknowledgments=recorded_acknowledgments(session, case.id),
        hardship_recorded_on=_hardship_on(session, case.id),
        payments=case.payments,
        promises=promises,
        hardship_notes=hardship_notes,
    )


def _issued_documents(session: Session, case_id: str) -> tuple[IssuedDocument, ...]:
    rows = documents.of_case(session, case_id)
    by_document: dict[str, list[Delivery]] = {}
    for attempt in deliveries.of_documents(session, [row.id for row in rows]):
        by_document.setdefault(attempt.document_id, []).append(_delivery(attempt))
    return tuple(
        IssuedDocument(
            kind=row.kind,
            id=row.id,
            number=row.number,
            issue_date=row.issue_date,
            payment_deadline=row.deadline,
            deliveries=tuple(by_document.get(row.id, ())),
            route=Route(row.route) if row.route else None,
        )
        for row in rows
    )


def _delivery(attempt: DeliveryRow) -> Delivery:
    """An attempt as the rules read it: its cached legal outcome and date, and why it does not
    count when it does not (the policy is applied by the rules, on their date)."""
    state = EventStatus(attempt.state) if attempt.state_at is not None else None
    facts = outcome_of(attempt.channel, state, attempt.state_at, RECEIPT_ONLY)
    return Delivery(
        attempt.channel,
        DeliveryStatus(attempt.outcome),
        attempt.legal_date,
        facts.reason,
        attempt.tracking_number,
    )


def delivery_policy(
    session: Session, rulebook: Rulebook, creditor_id: str, on_date: dt.date
) -> DeliveryPolicy:
    """The creditor's ``delivery-outcome`` policy in force on ``on_date``."""
    settings = rulebook.settings_on(on_date, overrides_for(session, creditor_id, on_date))
    params = settings.get(DELIVERY_SETTING)
    if params is None:
        return DeliveryPolicy()
    return DeliveryPolicy(count_returned_refused=params.bool("count_returned_refused"))


def _hardship_on(session: Session, case_id: str) -> dt.date | None:
    """The date of the latest hardship flag, unless the latest record says it ended."""
    latest = cases.latest_hardship(session, case_id)
    return latest.date if latest is not None and latest.active else None


def list_rules(caller: Principal, law: LawContext) -> RulesOut:
    """Every check and policy setting: kind, citations (with their wording), dated parameters."""
    caller.require(Permission.READ)
    specs = [rule.spec for rule in law.rulebook.rules]
    settings = list(law.rulebook.settings.values())
    cited = sorted({pid for s in (*specs, *settings) for pid in (*s.provisions, *s.informed_by)})
    return RulesOut(
        rules=[_rule_out(s) for s in specs],
        settings=[_rule_out(s) for s in settings],
        citations={
            pid: law.provisions[pid].citation().as_dict() for pid in cited if pid in law.provisions
        },
        kinds={
            "law": "follows from a verified provision; cannot be switched off or changed",
            "policy": "the creditor's practice; configurable at /v1/policy; never law",
            "contract": "holds the creditor to an agreement signed with the debtor; cannot be "
            "switched off; not law",
        },
    )


def _rule_out(spec: RuleSpec) -> RuleOut:
    return RuleOut.model_validate(spec.as_dict())


def get_policy(
    session: Session,
    caller: Principal,
    rulebook: Rulebook,
    on: dt.date,
    creditor: str | None = None,
) -> PolicyOut:
    caller.require(Permission.READ)
    creditor_id = acting_creditor(session, caller, creditor)
    try:
        return _view(session, rulebook, creditor_id, on)
    except RulebookError as exc:
        raise ValidationFailed(
            [FieldError("on", "before_rules", f"no rule parameters are in force then: {exc}")]
        ) from None


def set_policy(
    session: Session,
    clock: Clock,
    rulebook: Rulebook,
    caller: Principal,
    policy: PolicyIn,
    creditor: str | None = None,
) -> PolicyOut:
    """Record a change of the creditor's policy parameters (``PolicyChanged`` in the audit)."""
    caller.require(Permission.MANAGE_POLICY)
    today = clock.today()
    effective_from = policy.effective_from or today
    date_errors = (
        [FieldError("effective_from", "in_past", "a policy change cannot take effect in the past")]
        if effective_from < today
        else []
    )
    overrides = _typed(rulebook, policy.overrides)
    try:
        rulebook.validate_overrides(overrides)
    except OverrideRefused as refused:
        raise OverrideRefused([*refused.errors, *date_errors]) from None
    if date_errors:
        raise ValidationFailed(date_errors)
    creditor_id = acting_creditor(session, caller, creditor)
    mandate_errors = discount_policy.policy_errors(
        rulebook, creditors.get(session, creditor_id), overrides, effective_from
    )
    if mandate_errors:  # an offer to write off penalty needs its mandate (#36; research C.11)
        raise ValidationFailed(mandate_errors)
    now = clock.now()
    encoded = {
        rule_id: {name: _encode(value) for name, value in values.items()}
        for rule_id, values in overrides.items()
    }
    session.add_all(
        PolicyOverrideRow(
            creditor_id=creditor_id,
            rule_id=rule_id,
            parameters=parameters,
            effective_from=effective_from,
            recorded_at=now,
            actor=caller.actor,
        )
        for rule_id, parameters in encoded.items()
    )
    session.flush()
    event = PolicyChanged(creditor_id, effective_from, encoded)
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=now)
    return _view(session, rulebook, creditor_id, effective_from)


def _typed(
    rulebook: Rulebook, raw: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, ParamValue]]:
    """Decimal parameters arrive as strings; everything else is checked by the rulebook."""
    typed: dict[str, dict[str, ParamValue]] = {}
    for rule_id, values in raw.items():
        try:
            spec: RuleSpec | None = rulebook.spec(rule_id)
        except KeyError:
            spec = None
        typed[rule_id] = {}
        for name, value in values.items():
            dated = spec.parameters.get(name) if spec else None
            if dated and isinstance(dated[0].value, Decimal) and isinstance(value, str | int):
                # Left as sent if it is no number: the rulebook reports the wrong type.
                with suppress(InvalidOperation):
                    value = Decimal(str(value))
            typed[rule_id][name] = value
    return typed


def _view(session: Session, rulebook: Rulebook, creditor_id: str, on_date: dt.date) -> PolicyOut:
    every = repository.override_rows(session, creditor_id)
    in_force = repository.in_force_among(every, on_date)
    overrides = _decoded(in_force)
    rules = []
    for spec in [rule.spec for rule in rulebook.rules] + list(rulebook.settings.values()):
        params, overridden, enabled = rulebook.parameters(spec.id, on_date, overrides)
        row = in_force.get(spec.id)
        rules.append(
            RuleSettingOut(
                id=spec.id,
                kind=spec.kind.value,
                configurable=spec.kind is RuleKind.POLICY,
                provisions=list(spec.provisions),
                informed_by=list(spec.informed_by),
                defaults={k: wire_value(v) for k, v in spec.parameters_on(on_date).items()},
                effective={k: wire_value(v) for k, v in params.values.items()},
                enabled=enabled,
                overridden=list(overridden),
                override=_override_out(row) if row else None,
            )
        )
    return PolicyOut(
        creditor=creditor_id,
        on_date=on_date,
        rules=rules,
        history=[_override_out(row) for row in every],
    )


def _override_out(row: PolicyOverrideRow) -> OverrideOut:
    return OverrideOut(
        rule=row.rule_id,
        parameters={k: wire_value(_decode(v)) for k, v in row.parameters.items()},
        effective_from=row.effective_from,
        recorded_at=row.recorded_at,
        actor=row.actor,
    )


def _encode(value: ParamValue) -> Any:
    return {_DECIMAL: str(value)} if isinstance(value, Decimal) else value


def _decode(value: Any) -> ParamValue:
    if isinstance(value, dict):
        return Decimal(str(value[_DECIMAL]))
    if isinstance(value, bool | int | str):
        return value
    raise ValueError(f"stored policy value {value!r} has an unknown shape")
