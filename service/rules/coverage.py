"""Which agreement binds the case on a date, and which debt it covers. Pure.

An agreement in force protects its debt (legal review #2): while a signed restructuring agreement
is performed — active, performing, or late within its terms — the creditor holds to the schedule
it agreed to (the agreement's own clauses: instalments by their dates, default only as defined in
it). Reminders and warnings about that debt are refused (rule ``notice-not-during-agreement``);
newer arrears, outside the agreement, may still be claimed, and then the letter lists only them
and names the agreement.

What an agreement covers: the debt it restructured, i.e. the items overdue on the day it was
drawn up (``documents.kinds.restructuring`` builds the schedule from the overdue lines of its
issue date). An item due on or after that day is outside it. After a default the agreement
protects nothing any more: the pre-court letter may claim the whole debt, and names the agreement
and its default clause (legal review #12).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from service.agreements.restructuring import (
    EARLIER_DEFAULT_CLAUSE,
    IN_FORCE,
    Agreement,
    AgreementState,
    AgreementStatus,
    assess,
)
from service.cases.case import CaseDebt
from service.cases.debt import DebtLine, DebtSummary, DebtTotals
from service.cases.penalty import PenaltyPolicy, compute_penalty
from service.kernel.calendar import WorkCalendar
from service.kernel.money import ZERO
from service.rules.history import CaseHistory, DocumentKind

NOTICES = frozenset({DocumentKind.REMINDER.value, DocumentKind.WARNING.value})
"""The kinds that must not claim the debt an agreement in force covers."""


@dataclass(frozen=True)
class AgreementRef:
    """An agreement as a letter names it: by its number and date, with its state on a date."""

    agreement: Agreement
    number: str
    date: dt.date
    """The date the agreement bears (its issue date, printed in its head)."""
    status: AgreementStatus
    default_clause: str = EARLIER_DEFAULT_CLAUSE
    """The clause of the agreement's text that defines default (stored when it was issued)."""

    def covers(self, line: DebtLine) -> bool:
        return covered(line, self.agreement)


def covered(line: DebtLine, agreement: Agreement) -> bool:
    """The agreement restructured this item: it was overdue on the day the agreement was drawn
    up. An agreement never issued covers nothing."""
    issued = agreement.issued_on
    return issued is not None and line.due_date < issued


def _signed_latest_first(history: CaseHistory, on_date: dt.date) -> list[Agreement]:
    signed = [a for a in history.agreements if a.signed_on is not None and a.signed_on <= on_date]
    return sorted(signed, key=lambda a: a.signed_on or dt.date.min, reverse=True)


def _ref(history: CaseHistory, agreement: Agreement, status: AgreementStatus) -> AgreementRef:
    document = next((d for d in history.documents if d.id == agreement.document_id), None)
    return AgreementRef(
        agreement=agreement,
        number=document.number if document else agreement.id,
        date=document.issue_date if document else (agreement.issued_on or status.as_of),
        status=status,
        default_clause=history.default_clauses.get(agreement.id, EARLIER_DEFAULT_CLAUSE),
    )


def in_force(history: CaseHistory, on_date: dt.date, calendar: WorkCalendar) -> AgreementRef | None:
    """The signed agreement being performed on ``on_date`` (at most one: reliability review D4)."""
    for agreement in _signed_latest_first(history, on_date):
        status = assess(agreement, on_date, calendar)
        if status.state in IN_FORCE:
            return _ref(history, agreement, status)
    return None


def defaulted(
    history: CaseHistory, on_date: dt.date, calendar: WorkCalendar
) -> AgreementRef | None:
    """The latest signed agreement, if it is in default on ``on_date`` (legal review #12)."""
    signed = _signed_latest_first(history, on_date)
    if not signed:
        return None
    status = assess(signed[0], on_date, calendar)
    return _ref(history, signed[0], status) if status.state is AgreementState.DEFAULTED else None


def outside(lines: tuple[DebtLine, ...], ref: AgreementRef | None) -> tuple[DebtLine, ...]:
    return lines if ref is None else tuple(line for line in lines if not ref.covers(line))


def stated_debt(
    kind: str,
    debt: CaseDebt,
    history: CaseHistory,
    on_date: dt.date,
    calendar: WorkCalendar,
    penalty_policy: PenaltyPolicy,
) -> CaseDebt:
    """The debt a document of ``kind`` states: for a reminder or a warning while an agreement is
    in force, only the items outside it, with their own penalty (legal review #2); else all."""
    ref = in_force(history, on_date, calendar) if kind in NOTICES else None
    if ref is None:
        return debt
    lines = outside(debt.summary.lines, ref)
    return CaseDebt(
        summary=DebtSummary(
            as_of=debt.summary.as_of,
            lines=lines,
            totals=_totals(lines, debt.summary.totals.unallocated),
        ),
        penalty=compute_penalty(lines, on_date, penalty_policy),
    )


def _totals(lines: tuple[DebtLine, ...], unallocated: Decimal) -> DebtTotals:
    return DebtTotals(
        charged=sum((line.charged for line in lines), ZERO),
        paid=sum((line.paid for line in lines), ZERO),
        outstanding=sum((line.outstanding for line in lines), ZERO),
        overdue=sum((line.outstanding for line in lines if line.overdue), ZERO),
        past_gate=sum((line.outstanding for line in lines if line.past_gate), ZERO),
        unallocated=unallocated,
    )
