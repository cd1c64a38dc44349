"""Debt arithmetic: due dates (housing law art. 34-1 p. 8), oldest-first allocation, the
two-month enforcement gate (art. 34-1 p. 10 with ГК 174 p. 3 and ГК 175)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from service.cases.debt import (
    Charge,
    Contribution,
    Payment,
    compute_debt,
    gate_opens,
    statutory_due_date,
)
from service.kernel.calendar import WEEKENDS_ONLY, WorkCalendar, add_months, period_end
from service.kernel.period import Period

CUR, ACC = Contribution.CURRENT, Contribution.ACCUMULATIVE


def contract_ledger() -> tuple[list[Charge], list[Payment]]:
    charges = []
    for month in range(3, 11):
        charges.append(Charge(Period(2026, month), CUR, D("9360.00")))
        charges.append(Charge(Period(2026, month), ACC, D("1248.00")))
    payments = [
        Payment(dt.date(2026, 4, 20), D("10608.00")),
        Payment(dt.date(2026, 6, 24), D("5000.00")),
    ]
    return charges, payments


def test_due_date_is_25th_of_following_month_art_34_1_p8() -> None:
    assert statutory_due_date(Period(2026, 3)) == dt.date(2026, 4, 25)
    assert statutory_due_date(Period(2026, 12)) == dt.date(2027, 1, 25)


def test_due_date_on_weekend_moves_to_next_working_day_gk_175() -> None:
    charge = Charge(Period(2026, 3), CUR, D("1.00"))  # 25 April 2026 is a Saturday
    assert charge.legal_due_date(WEEKENDS_ONLY) == dt.date(2026, 4, 27)


def test_holiday_in_the_calendar_also_moves_the_due_date() -> None:
    calendar = WorkCalendar.of(holidays=[dt.date(2026, 5, 25)])
    charge = Charge(Period(2026, 4), CUR, D("1.00"))  # 25 May 2026, a Monday, made a holiday
    assert charge.legal_due_date(calendar) == dt.date(2026, 5, 26)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2026, 3, 25), 2, dt.date(2026, 5, 25)),
        (dt.date(2025, 12, 31), 2, dt.date(2026, 2, 28)),
        (dt.date(2027, 12, 31), 2, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    ],
)
def test_month_arithmetic_gk_174_p3(start: dt.date, months: int, end: dt.date) -> None:
    assert add_months(start, months) == end


def test_period_ending_on_sunday_ends_next_monday_gk_175() -> None:
    # 25 August 2026 + 2 months = 25 October 2026, a Sunday.
    assert period_end(dt.date(2026, 8, 25), 2, WEEKENDS_ONLY) == dt.date(2026, 10, 26)


def test_gate_opens_the_day_after_due_date_plus_two_months_art_34_1_p10() -> None:
    assert gate_opens(dt.date(2026, 3, 25), WEEKENDS_ONLY) == dt.date(2026, 5, 26)
    assert gate_opens(dt.date(2025, 12, 31), WEEKENDS_ONLY) == dt.date(2026, 3, 3)  # 28 Feb: Sat


def test_contract_case_totals() -> None:
    charges, payments = contract_ledger()
    summary = compute_debt(charges, payments, dt.date(2026, 11, 24), WEEKENDS_ONLY)
    assert summary.totals.charged == D("84864.00")
    assert summary.totals.paid == D("15608.00")
    assert summary.totals.outstanding == D("69256.00")
    # October's charges fall due on 25 November 2026: not overdue on the 24th.
    assert summary.totals.overdue == D("58648.00")
    # March–July are past the gate (July's opened 27 Oct: 25 Oct 2026 is a Sunday).
    assert summary.totals.past_gate == D("37432.00")


def test_payments_are_allocated_oldest_first_current_before_accumulative() -> None:
    charges, payments = contract_ledger()
    summary = compute_debt(charges, payments, dt.date(2026, 11, 24), WEEKENDS_ONLY)
    by_key = {(str(line.period), line.contribution): line for line in summary.lines}
    assert by_key[("2026-03", CUR)].outstanding == 0
    assert by_key[("2026-03", ACC)].outstanding == 0
    april_current = by_key[("2026-04", CUR)]
    assert april_current.paid == D("5000.00")
    assert april_current.outstanding == D("4360.00")
    assert by_key[("2026-04", ACC)].outstanding == D("1248.00")


def test_days_overdue_and_gate_flags_per_line() -> None:
    charges, payments = contract_ledger()
    summary = compute_debt(charges, payments, dt.date(2026, 11, 24), WEEKENDS_ONLY)
    by_key = {(str(line.period), line.contribution): line for line in summary.lines}
    april = by_key[("2026-04", CUR)]
    assert april.due_date == dt.date(2026, 5, 25)
    assert april.days_overdue == 183
    assert april.past_gate
    july = by_key[("2026-07", CUR)]  # due 25 Aug; + 2 months = Sun 25 Oct -> Mon 26 Oct
    assert july.gate_opens == dt.date(2026, 10, 27)
    assert july.past_gate
    august = by_key[("2026-08", CUR)]  # due 25 Sep; gate opens 26 Nov
    assert august.gate_opens == dt.date(2026, 11, 26)
    assert august.overdue and not august.past_gate
    october = by_key[("2026-10", CUR)]
    assert not october.overdue and october.days_overdue == 0


def test_payment_after_calculation_date_is_ignored() -> None:
    charges = [Charge(Period(2026, 3), CUR, D("100.00"))]
    payments = [Payment(dt.date(2026, 6, 1), D("100.00"))]
    summary = compute_debt(charges, payments, dt.date(2026, 5, 1), WEEKENDS_ONLY)
    assert summary.totals.outstanding == D("100.00")


def test_overpayment_is_reported_unallocated() -> None:
    charges = [Charge(Period(2026, 3), CUR, D("100.00"))]
    payments = [Payment(dt.date(2026, 4, 1), D("150.50"))]
    summary = compute_debt(charges, payments, dt.date(2026, 5, 1), WEEKENDS_ONLY)
    assert summary.totals.outstanding == 0
    assert summary.totals.unallocated == D("50.50")


def test_target_contribution_uses_the_meeting_due_date_art_34_1_p4() -> None:
    charge = Charge(Period(2026, 3), Contribution.TARGET, D("5000.00"), dt.date(2026, 6, 1))
    summary = compute_debt([charge], [], dt.date(2026, 6, 2), WEEKENDS_ONLY)
    assert summary.lines[0].due_date == dt.date(2026, 6, 1)
    assert summary.lines[0].days_overdue == 1
