"""What each document kind adds to the common facts (issue 3 content, research items 10–12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.contract import IssueIn
from service.db.repositories import StoredCase
from service.domain.debt import DebtSummary
from service.domain.money import ZERO, money_str
from service.domain.penalty import PenaltyResult
from service.domain.restructuring import Account, Schedule, build_schedule
from service.domain.rules.settings import RestructuringDefaults

UNIT_RU = {
    "flat": "кв.",
    "non_residential": "нежилое помещение",
    "parking": "парковочное место",
    "storage": "кладовая",
}


def enforcement_facts(summary: DebtSummary) -> dict[str, Any]:
    """When the two-month gate (housing law art. 34-1 p. 10) opens for the oldest unpaid item."""
    opens = summary.earliest_gate_opening
    return {
        "gate_opens": opens.isoformat() if opens else None,
        "past_gate_total": money_str(summary.totals.past_gate),
        "routes": ["notary", "court"],
    }


def venue_facts(case: StoredCase, creditor: dict[str, Any]) -> dict[str, Any]:
    """Where the notary or court may be (notary law art. 92-2 p. 3; ГПК art. 29)."""
    unit = case.unit
    label = UNIT_RU.get(str(unit.get("type")), "")
    return {
        "debtor_address": case.debtor.get("postal_address"),
        "property_address": f"{creditor['address']['ru']}, {label}\u00a0{unit.get('number')}",
    }


def restructuring_facts(
    request: IssueIn,
    summary: DebtSummary,
    penalty: PenaltyResult,
    defaults: RestructuringDefaults,
) -> dict[str, Any]:
    """The agreement's schedule: what is owed now, split by account, tiyn-exact."""
    terms = request.restructuring
    assert terms is not None  # checked by the caller
    schedule = build_schedule(
        summary.overdue_lines,
        penalty.total,
        terms.installments,
        terms.first_due,
        waive_penalty=terms.waive_penalty,
        penalty_account=defaults.penalty_account,
    )
    principal = sum(schedule.principal.values(), ZERO)
    return {
        "installments": terms.installments,
        "first_due": terms.first_due.isoformat(),
        "waive_penalty": terms.waive_penalty,
        "default_after_days": defaults.terms.default_after_days,
        "grace_days": defaults.terms.grace_days,
        "penalty_account": schedule.penalty_account.value,
        "totals": {
            "current": money_str(schedule.principal[Account.CURRENT]),
            "savings": money_str(schedule.principal[Account.SAVINGS]),
            "penalty": money_str(schedule.penalty),
            "total": money_str(schedule.total),
        },
        "acknowledged": {
            "principal": money_str(principal),
            "penalty": money_str(penalty.total),
            "total": money_str(principal + penalty.total),
        },
        "schedule": schedule_rows(schedule),
        "allocation_order": ["principal_oldest_first", "penalty_last"],
    }


def schedule_rows(schedule: Schedule) -> list[dict[str, Any]]:
    return [
        {
            "number": i.number,
            "due": i.due_date.isoformat(),
            "current": money_str(i.current),
            "savings": money_str(i.savings),
            "penalty": money_str(i.penalty),
            "total": money_str(i.total),
        }
        for i in schedule.instalments
    ]


def first_due_problem(request: IssueIn, today: dt.date) -> str | None:
    terms = request.restructuring
    if terms is not None and terms.first_due <= today:
        return "the first instalment must fall after the agreement's date"
    return None
