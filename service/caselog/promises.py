"""Whether a promise to pay was kept, and whether a hardship note is open: pure, from the case's
payments and the log entries alone (dates and ``Decimal`` in, frozen dataclasses out).

A promise made on day M to pay amount A by day D is **kept** once the payments dated M…D add up
to A (``kept_on``: the day they did), **broken** once D has passed without that, and **pending**
until then. Only payments within its window count: money paid before the promise was made was
not promised, and money paid after D came late. Two promises over the same days each count the
same payments: a promise is about the debtor's word, not an allocation of money.

A hardship note is open from the day it was recorded to its ``until`` date (inclusive; no date:
until another note says otherwise). The latest note recorded on or before a day is the one that
counts, so a new note with an ``until`` date ends an open-ended one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from service.cases.debt import Payment
from service.kernel.money import ZERO


class PromiseState(StrEnum):
    KEPT = "kept"
    BROKEN = "broken"
    PENDING = "pending"


@dataclass(frozen=True)
class Promise:
    entry_id: str
    made_on: dt.date
    """The day the promise was recorded."""
    due: dt.date
    """The promised date: the amount is to be paid by the end of this day."""
    amount: Decimal


@dataclass(frozen=True)
class PromiseStatus:
    state: PromiseState
    paid: Decimal
    """Paid within the promise's window, as of the day asked about."""
    kept_on: dt.date | None = None
    """The day the payments reached the amount (kept promises)."""


def promise_status(
    promise: Promise, payments: Iterable[Payment], on_date: dt.date
) -> PromiseStatus:
    """The promise as of ``on_date``: payments dated after ``on_date`` are not known yet."""
    last_day = min(promise.due, on_date)
    paid = ZERO
    for payment in sorted(payments, key=lambda p: p.date):
        if payment.date < promise.made_on or payment.date > last_day:
            continue
        paid += payment.amount
        if paid >= promise.amount:
            return PromiseStatus(PromiseState.KEPT, paid, payment.date)
    state = PromiseState.BROKEN if on_date > promise.due else PromiseState.PENDING
    return PromiseStatus(state, paid)


def broken_promises(
    promises: Iterable[Promise], payments: Sequence[Payment], on_date: dt.date, since: dt.date
) -> tuple[Promise, ...]:
    """Promises due on or after ``since`` that were broken as of ``on_date``, by due date."""
    return tuple(
        sorted(
            (
                p
                for p in promises
                if p.made_on <= on_date
                and p.due >= since
                and promise_status(p, payments, on_date).state is PromiseState.BROKEN
            ),
            key=lambda p: p.due,
        )
    )


@dataclass(frozen=True)
class HardshipNote:
    entry_id: str
    noted_on: dt.date
    until: dt.date | None = None


def open_hardship(notes: Iterable[HardshipNote], on_date: dt.date) -> HardshipNote | None:
    """The hardship note in force on ``on_date``: the latest one recorded by then, if it has not
    run out. Notes recorded the same day count in the order given (the log's order)."""
    latest: HardshipNote | None = None
    for note in notes:
        if note.noted_on <= on_date and (latest is None or note.noted_on >= latest.noted_on):
            latest = note
    if latest is None or (latest.until is not None and latest.until < on_date):
        return None
    return latest
