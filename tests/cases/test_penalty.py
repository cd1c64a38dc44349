"""Penalty apart from principal: from the day after the due date (housing law art. 34-1 p. 9),
at the National Bank base rate on the day of payment (ГК art. 353), as configured."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from service.cases.debt import Charge, Contribution, Payment, compute_debt
from service.cases.penalty import PenaltyPolicy, RateEntry, compute_penalty
from service.kernel.calendar import WEEKENDS_ONLY
from service.kernel.period import Period


def policy(*rates: tuple[dt.date, str], enabled: bool = True) -> PenaltyPolicy:
    return PenaltyPolicy(
        enabled=enabled,
        rates=tuple(RateEntry(d, D(p)) for d, p in rates),
        day_count=365,
        provision="gk-353",
        source={"ru": "базовая ставка", "kk": "базалық мөлшерлеме"},
    )


def test_unpaid_amount_bears_penalty_up_to_the_calculation_date() -> None:
    charge = Charge(Period(2026, 4), Contribution.CURRENT, D("10000.00"))  # due Mon 25 May
    as_of = dt.date(2026, 6, 24)  # 30 days later
    summary = compute_debt([charge], [], as_of, WEEKENDS_ONLY)
    result = compute_penalty(summary.lines, as_of, policy((dt.date(2025, 1, 1), "18.25")))
    (segment,) = result.segments
    assert segment.start == dt.date(2026, 5, 26)
    assert segment.days == 30
    # 10000 * 18.25% * 30 / 365 = 150.00
    assert segment.amount == D("150.00")
    assert result.total == D("150.00")


def test_late_payment_closes_a_segment_at_the_payment_day_rate() -> None:
    charge = Charge(Period(2026, 4), Contribution.CURRENT, D("10000.00"))
    payments = [Payment(dt.date(2026, 6, 4), D("4000.00"))]  # 10 days late
    as_of = dt.date(2026, 6, 24)
    summary = compute_debt([charge], payments, as_of, WEEKENDS_ONLY)
    rates = policy((dt.date(2025, 1, 1), "18.25"), (dt.date(2026, 6, 10), "36.50"))
    result = compute_penalty(summary.lines, as_of, rates)
    paid, unpaid = result.segments
    assert (paid.base, paid.days, paid.rate) == (D("4000.00"), 10, D("18.25"))
    assert paid.amount == D("20.00")  # 4000 * 18.25% * 10/365
    assert (unpaid.base, unpaid.days, unpaid.rate) == (D("6000.00"), 30, D("36.50"))
    assert unpaid.amount == D("180.00")  # 6000 * 36.5% * 30/365
    assert result.total == D("200.00")


def test_payment_before_due_date_bears_no_penalty() -> None:
    charge = Charge(Period(2026, 4), Contribution.CURRENT, D("10000.00"))
    payments = [Payment(dt.date(2026, 5, 20), D("10000.00"))]
    summary = compute_debt([charge], payments, dt.date(2026, 7, 1), WEEKENDS_ONLY)
    result = compute_penalty(
        summary.lines, dt.date(2026, 7, 1), policy((dt.date(2025, 1, 1), "18"))
    )
    assert result.segments == ()
    assert result.total == 0


def test_disabled_policy_computes_nothing() -> None:
    charge = Charge(Period(2026, 4), Contribution.CURRENT, D("10000.00"))
    summary = compute_debt([charge], [], dt.date(2026, 9, 1), WEEKENDS_ONLY)
    result = compute_penalty(summary.lines, dt.date(2026, 9, 1), policy(enabled=False))
    assert result.total == 0


def test_rounding_is_per_segment_half_up_to_the_tiyn() -> None:
    charge = Charge(Period(2026, 4), Contribution.CURRENT, D("333.33"))
    as_of = dt.date(2026, 5, 27)  # 2 days after due
    summary = compute_debt([charge], [], as_of, WEEKENDS_ONLY)
    result = compute_penalty(summary.lines, as_of, policy((dt.date(2025, 1, 1), "16.5")))
    # 333.33 * 0.165 * 2 / 365 = 0.30137... -> 0.30
    assert result.total == D("0.30")
