"""Debt arithmetic for one case: charges, payments, arrears, the enforcement gate.

Law encoded here (research "What the service must encode", A.1–A.3):
- A monthly current, accumulative or parking/storage contribution for month M is due up to and
  including the 25th of month M+1 (housing law art. 34-1 p. 8). If that day is not a working day
  the term ends on the next working day (ГК 175). Target contributions are due on the date the
  meeting set (art. 34-1 p. 4), so they must carry their own due date.
- The creditor may go to a notary or court «по истечении двух месяцев» after the due date
  (art. 34-1 p. 10): the two-month period is counted per ГК 174 p. 3 / ГК 175, and the gate opens
  on the day after it ends.

Policy encoded here (stated so it can be changed deliberately):
- Payments are allocated oldest first: by due date, then period, then contribution in the order
  current, accumulative, parking, target. A payment pays an amount not yet due only when nothing
  older is open (an advance); money left after every charge is reported as ``unallocated``.
- Payments dated after the calculation date are ignored for that calculation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from service.kernel.calendar import ONE_DAY, WorkCalendar, period_end
from service.kernel.money import ZERO
from service.kernel.period import Period

GATE_MONTHS = 2
DUE_DAY = 25


class Contribution(StrEnum):
    CURRENT = "current"
    ACCUMULATIVE = "accumulative"
    PARKING = "parking"
    TARGET = "target"


ALLOCATION_ORDER = {c: i for i, c in enumerate(Contribution)}


class Account(StrEnum):
    """The creditor's two bank accounts (housing law art. 34-1 p. 3–4)."""

    CURRENT = "current"
    SAVINGS = "savings"


ACCOUNT_FOR: dict[Contribution, Account] = {
    Contribution.CURRENT: Account.CURRENT,
    Contribution.TARGET: Account.CURRENT,
    Contribution.PARKING: Account.CURRENT,
    Contribution.ACCUMULATIVE: Account.SAVINGS,
}
"""Which account a contribution is paid to (housing law art. 34-1 p. 3–4): accumulative
contributions to the savings account, everything else to the current account."""


def statutory_due_date(period: Period) -> dt.date:
    """The 25th of the month after the reporting month (art. 34-1 p. 8), before ГК 175."""
    following = period.next()
    return dt.date(following.year, following.month, DUE_DAY)


@dataclass(frozen=True)
class Charge:
    period: Period
    contribution: Contribution
    amount: Decimal
    due_date: dt.date | None = None
    """Only for target contributions: the date the meeting decision set (art. 34-1 p. 4)."""

    def legal_due_date(self, calendar: WorkCalendar) -> dt.date:
        nominal = self.due_date or statutory_due_date(self.period)
        return calendar.next_working_day(nominal)


@dataclass(frozen=True)
class Payment:
    date: dt.date
    amount: Decimal
    reference: str | None = None


@dataclass(frozen=True)
class Allocation:
    """Part of a payment applied to one charge."""

    date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class DebtLine:
    period: Period
    contribution: Contribution
    charged: Decimal
    paid: Decimal
    outstanding: Decimal
    due_date: dt.date
    days_overdue: int
    overdue: bool
    gate_opens: dt.date
    past_gate: bool
    allocations: tuple[Allocation, ...]
    moved_from: dt.date | None = None
    """The due date before ГК 175 moved it to the next working day (``None``: not moved)."""


@dataclass(frozen=True)
class DebtTotals:
    charged: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal
    past_gate: Decimal
    unallocated: Decimal


@dataclass(frozen=True)
class DebtSummary:
    as_of: dt.date
    lines: tuple[DebtLine, ...]
    totals: DebtTotals

    @property
    def overdue_lines(self) -> tuple[DebtLine, ...]:
        return tuple(line for line in self.lines if line.overdue and line.outstanding > 0)

    @property
    def earliest_gate_opening(self) -> dt.date | None:
        """When the first still-unpaid item passes the two-month gate (art. 34-1 p. 10)."""
        open_lines = [line.gate_opens for line in self.lines if line.outstanding > 0]
        return min(open_lines) if open_lines else None


def gate_opens(due_date: dt.date, calendar: WorkCalendar) -> dt.date:
    """The day after due date + 2 months (art. 34-1 p. 10; ГК 174 p. 3, 175)."""
    return period_end(due_date, GATE_MONTHS, calendar) + ONE_DAY


def compute_debt(
    charges: list[Charge],
    payments: list[Payment],
    as_of: dt.date,
    calendar: WorkCalendar,
) -> DebtSummary:
    """Charges, payments allocated oldest first, and what is overdue on ``as_of``."""
    ordered = sorted(
        charges,
        key=lambda c: (c.legal_due_date(calendar), c.period, ALLOCATION_ORDER[c.contribution]),
    )
    remaining = [c.amount for c in ordered]
    allocations: list[list[Allocation]] = [[] for _ in ordered]
    unallocated = ZERO
    for payment in sorted(payments, key=lambda p: p.date):
        if payment.date > as_of:
            continue
        left = payment.amount
        for index, open_amount in enumerate(remaining):
            if left <= 0:
                break
            if open_amount <= 0:
                continue
            applied = min(open_amount, left)
            remaining[index] = open_amount - applied
            allocations[index].append(Allocation(payment.date, applied))
            left -= applied
        unallocated += left

    lines = []
    for charge, open_amount, applied_parts in zip(ordered, remaining, allocations, strict=True):
        due = charge.legal_due_date(calendar)
        nominal = charge.due_date or statutory_due_date(charge.period)
        opens = gate_opens(due, calendar)
        overdue = as_of > due
        lines.append(
            DebtLine(
                period=charge.period,
                contribution=charge.contribution,
                charged=charge.amount,
                paid=charge.amount - open_amount,
                outstanding=open_amount,
                due_date=due,
                days_overdue=(as_of - due).days if overdue and open_amount > 0 else 0,
                overdue=overdue,
                gate_opens=opens,
                past_gate=as_of >= opens and open_amount > 0,
                allocations=tuple(applied_parts),
                moved_from=nominal if nominal != due else None,
            )
        )
    lines.sort(key=lambda line: (line.period, ALLOCATION_ORDER[line.contribution]))
    totals = DebtTotals(
        charged=sum((line.charged for line in lines), ZERO),
        paid=sum((line.paid for line in lines), ZERO),
        outstanding=sum((line.outstanding for line in lines), ZERO),
        overdue=sum((line.outstanding for line in lines if line.overdue), ZERO),
        past_gate=sum((line.outstanding for line in lines if line.past_gate), ZERO),
        unallocated=unallocated,
    )
    return DebtSummary(as_of=as_of, lines=tuple(lines), totals=totals)
