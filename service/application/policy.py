"""A creditor's overrides of the default notice ladder and policy settings (never law).

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

from service.application.auth import Permission, Principal, Role
from service.bootstrap import Container
from service.contract import PolicyIn, parse
from service.db import repositories as repo
from service.db import rules_repository as rules_repo
from service.db.models import PolicyOverrideRow
from service.domain.rules import OverrideRefused, PolicyOverrides, RuleKind, RuleSpec
from service.domain.rules.model import ParamValue, RulebookError
from service.errors import FieldError, Forbidden, ValidationFailed

_DECIMAL = "decimal"


def overrides_for(session: Session, creditor_id: str, on_date: dt.date) -> PolicyOverrides:
    """The creditor's overrides in force on ``on_date`` (the engine layers them on defaults)."""
    return {
        rule_id: {name: _decode(value) for name, value in row.parameters.items()}
        for rule_id, row in rules_repo.overrides_in_force(session, creditor_id, on_date).items()
    }


def policy_creditor(session: Session, principal: Principal, creditor: str | None) -> str:
    """The creditor a policy request is about: the key's own, or ``creditor`` for an admin."""
    if principal.creditor_id is not None:
        if creditor is not None and creditor != principal.creditor_id:
            raise Forbidden("this key acts for another creditor")
        return principal.creditor_id
    if principal.role is not Role.ADMIN:
        raise Forbidden("this key is not bound to a creditor")
    if creditor is None:
        raise ValidationFailed(
            [FieldError("creditor", "required", "an admin key names the creditor: ?creditor=")]
        )
    return repo.get_creditor(session, creditor).id


def get_policy(
    c: Container, principal: Principal, creditor: str | None = None, on: dt.date | None = None
) -> dict[str, Any]:
    principal.require(Permission.READ)
    with c.db.transaction(read_only=True) as session:
        creditor_id = policy_creditor(session, principal, creditor)
        try:
            return _view(c, session, creditor_id, on or c.clock.today())
        except RulebookError as exc:
            raise ValidationFailed(
                [FieldError("on", "before_rules", f"no rule parameters are in force then: {exc}")]
            ) from None


def set_policy(
    c: Container, principal: Principal, payload: Any, creditor: str | None = None
) -> dict[str, Any]:
    """Record a change of the creditor's policy parameters (``PolicyChanged`` in the audit)."""
    if principal.role not in (Role.ADMIN, Role.SYSTEM):
        raise Forbidden(f"a {principal.role.value} key may not change the policy")
    request = parse(PolicyIn, payload)
    today = c.clock.today()
    effective_from = request.effective_from or today
    date_errors = (
        [FieldError("effective_from", "in_past", "a policy change cannot take effect in the past")]
        if effective_from < today
        else []
    )
    overrides = _typed(c, request.overrides)
    try:
        c.rulebook.validate_overrides(overrides)
    except OverrideRefused as refused:
        raise OverrideRefused([*refused.errors, *date_errors]) from None
    if date_errors:
        raise ValidationFailed(date_errors)
    with c.db.transaction() as session:
        creditor_id = policy_creditor(session, principal, creditor)
        now = c.clock.now()
        actor = f"api_key:{principal.key_id}"
        session.add_all(
            PolicyOverrideRow(
                creditor_id=creditor_id,
                rule_id=rule_id,
                parameters={name: _encode(value) for name, value in values.items()},
                effective_from=effective_from,
                recorded_at=now,
                actor=actor,
            )
            for rule_id, values in overrides.items()
        )
        session.flush()
        repo.append_event(
            session,
            creditor_id=creditor_id,
            actor=actor,
            action="PolicyChanged",
            subject=f"creditor:{creditor_id}",
            payload={
                "effective_from": effective_from.isoformat(),
                "overrides": {
                    rule_id: {name: _encode(value) for name, value in values.items()}
                    for rule_id, values in overrides.items()
                },
            },
            occurred_at=now,
        )
        return _view(c, session, creditor_id, effective_from)


def _typed(c: Container, raw: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, ParamValue]]:
    """Decimal parameters arrive as strings; everything else is checked by the rulebook."""
    typed: dict[str, dict[str, ParamValue]] = {}
    for rule_id, values in raw.items():
        try:
            spec: RuleSpec | None = c.rulebook.spec(rule_id)
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


def _view(c: Container, session: Session, creditor_id: str, on_date: dt.date) -> dict[str, Any]:
    in_force = rules_repo.overrides_in_force(session, creditor_id, on_date)
    overrides = overrides_for(session, creditor_id, on_date)
    rules = []
    specs = [rule.spec for rule in c.rulebook.rules] + list(c.rulebook.settings.values())
    for spec in specs:
        params, overridden, enabled = c.rulebook.parameters(spec.id, on_date, overrides)
        row = in_force.get(spec.id)
        rules.append(
            {
                "id": spec.id,
                "kind": spec.kind.value,
                "configurable": spec.kind is RuleKind.POLICY,
                "provisions": list(spec.provisions),
                "informed_by": list(spec.informed_by),
                "defaults": {k: _wire(v) for k, v in spec.parameters_on(on_date).items()},
                "effective": {k: _wire(v) for k, v in params.values.items()},
                "enabled": enabled,
                "overridden": list(overridden),
                "override": _row_json(row) if row else None,
            }
        )
    return {
        "creditor": creditor_id,
        "on_date": on_date.isoformat(),
        "rules": rules,
        "history": [_row_json(row) for row in rules_repo.override_rows(session, creditor_id)],
    }


def _row_json(row: PolicyOverrideRow) -> dict[str, Any]:
    return {
        "rule": row.rule_id,
        "parameters": {k: _wire(_decode(v)) for k, v in row.parameters.items()},
        "effective_from": row.effective_from.isoformat(),
        "recorded_at": row.recorded_at.isoformat(),
        "actor": row.actor,
    }


def _encode(value: ParamValue) -> Any:
    return {_DECIMAL: str(value)} if isinstance(value, Decimal) else value


def _decode(value: Any) -> ParamValue:
    if isinstance(value, dict):
        return Decimal(str(value[_DECIMAL]))
    if isinstance(value, bool | int | str):
        return value
    raise ValueError(f"stored policy value {value!r} has an unknown shape")


def _wire(value: ParamValue) -> Any:
    return str(value) if isinstance(value, Decimal) else value
