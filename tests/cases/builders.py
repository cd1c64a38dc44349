"""Builders for pure tests of debts: dates, charges, the Kazakhstan calendar (read once)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from functools import cache

from service.bundled import bundled_dir
from service.cases.debt import Charge, Contribution
from service.kernel.calendar import WorkCalendar
from service.kernel.period import Period
from service.law.context import LawContext
from service.law.loader import load_law

LEGAL = bundled_dir("legal")
CUR, ACC, TGT, PRK = (
    Contribution.CURRENT,
    Contribution.ACCUMULATIVE,
    Contribution.TARGET,
    Contribution.PARKING,
)


@cache
def law() -> LawContext:
    """``legal/`` as the service reads it, parsed once per test session."""
    return load_law(LEGAL)


def kz() -> WorkCalendar:
    return law().calendar


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def monthly(first: str, last: str, amount: str = "9360.00") -> list[Charge]:
    start, end = Period.parse(first), Period.parse(last)
    charges, period = [], start
    while period <= end:
        charges.append(Charge(period, CUR, D(amount)))
        period = period.next()
    return charges


def target(due: str, amount: str = "5000.00") -> Charge:
    """A target contribution due on the date the meeting set (housing law 34-1 p. 4)."""
    day = d(due)
    return Charge(Period.of(day), TGT, D(amount), due_date=day)
