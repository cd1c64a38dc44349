"""What a document needs before it may be rendered: required fields and the rules it must pass.

The full rules engine (law vs policy, delivery-based waiting periods) lives in
``service.domain.rules``; this module holds the checks every kind shares.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.db.repositories import StoredCase
from service.domain.debt import Contribution, DebtSummary
from service.errors import FieldError
from service.legal.provisions import Provision

SAVINGS_ACCOUNT_CONTRIBUTIONS = {Contribution.ACCUMULATIVE}


def required_field_errors(
    kind: str, case: StoredCase, creditor: dict[str, Any]
) -> list[FieldError]:
    """Fields every notice needs (research "What the service must encode", item 10)."""
    errors: list[FieldError] = []
    charged = {c.contribution for c in case.charges}
    with_basis = {Contribution(b["contribution"]) for b in case.basis}
    for contribution in sorted(charged - with_basis):
        errors.append(
            FieldError(
                "basis",
                "protocol_missing",
                f"no meeting protocol is given for {contribution.value} contributions: the "
                "protocol approving each contribution is the legal basis of the charge "
                "(housing law art. 42 p. 5)",
            )
        )
    if charged & SAVINGS_ACCOUNT_CONTRIBUTIONS and not creditor["accounts"].get("savings"):
        errors.append(
            FieldError(
                "creditor.accounts.savings",
                "required",
                "accumulative contributions are paid to the savings account (housing law "
                "art. 34-1 p. 3–4): the creditor has none on record",
            )
        )
    if not case.charges:
        errors.append(FieldError("charges", "required", "the case has no charges"))
    return errors


def check_rules(
    kind: str, summary: DebtSummary, provisions: dict[str, Provision]
) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = []
    if kind == "reminder" and summary.totals.overdue <= 0:
        upcoming = [line.due_date for line in summary.lines if line.outstanding > 0]
        passes_on = min(upcoming).isoformat() if upcoming else None
        violations.append(
            {
                "rule": "reminder-requires-overdue",
                "kind": "law",
                "provision": "housing-34-1-p8",
                "message": "nothing is overdue: contributions are due up to and including the "
                "25th of the following month (housing law art. 34-1 p. 8)",
                "messages": {
                    "ru": "просроченной задолженности нет: взносы уплачиваются до 25 числа "
                    "следующего месяца включительно (п. 8 ст. 34-1 Закона РК «О жилищных "
                    "отношениях»)",
                    "kk": "мерзімі өткен берешек жоқ: жарналар келесі айдың 25-күнін қоса "
                    "алғанға дейін төленеді («Тұрғын үй қатынастары туралы» ҚР Заңының "
                    "34-1-бабының 8-тармағы)",
                },
                "passes_on": _day_after(passes_on),
            }
        )
    return violations


def _day_after(iso: str | None) -> str | None:
    if iso is None:
        return None
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()
