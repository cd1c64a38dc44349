"""Promises kept, broken or pending, and hardship notes open or not: pure, from payments alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from service.caselog.entries import EntryKind, entry_problems
from service.caselog.promises import (
    HardshipNote,
    Promise,
    PromiseState,
    broken_promises,
    open_hardship,
    promise_status,
)
from service.cases.debt import Payment
from tests.cases.builders import d

PROMISE = Promise("1", made_on=d("2026-11-10"), due=d("2026-11-20"), amount=D("15000.00"))


def pay(day: str, amount: str) -> Payment:
    return Payment(d(day), D(amount))


def test_pending_until_the_date_then_broken() -> None:
    partial = [pay("2026-11-12", "5000.00")]
    before = promise_status(PROMISE, partial, d("2026-11-20"))
    assert before.state is PromiseState.PENDING and before.paid == D("5000.00")
    after = promise_status(PROMISE, partial, d("2026-11-21"))
    assert after.state is PromiseState.BROKEN and after.paid == D("5000.00")
    assert after.kept_on is None


def test_kept_on_the_day_the_payments_reach_the_amount() -> None:
    payments = [pay("2026-11-18", "10000.00"), pay("2026-11-12", "5000.00")]
    status = promise_status(PROMISE, payments, d("2026-11-30"))
    assert status == promise_status(PROMISE, list(reversed(payments)), d("2026-11-30"))
    assert status.state is PromiseState.KEPT
    assert status.kept_on == d("2026-11-18")
    assert status.paid == D("15000.00")


def test_kept_before_the_date_is_kept_at_once() -> None:
    status = promise_status(PROMISE, [pay("2026-11-11", "15000.01")], d("2026-11-11"))
    assert status.state is PromiseState.KEPT and status.kept_on == d("2026-11-11")


def test_paid_on_the_promised_date_counts_the_day_after_does_not() -> None:
    on_the_day = promise_status(PROMISE, [pay("2026-11-20", "15000.00")], d("2026-12-01"))
    assert on_the_day.state is PromiseState.KEPT
    late = promise_status(PROMISE, [pay("2026-11-21", "15000.00")], d("2026-12-01"))
    assert late.state is PromiseState.BROKEN and late.paid == D("0.00")


def test_money_paid_before_the_promise_was_not_promised() -> None:
    status = promise_status(PROMISE, [pay("2026-11-09", "15000.00")], d("2026-11-25"))
    assert status.state is PromiseState.BROKEN


def test_a_payment_made_the_day_of_the_promise_counts() -> None:
    status = promise_status(PROMISE, [pay("2026-11-10", "15000.00")], d("2026-11-25"))
    assert status.state is PromiseState.KEPT


def test_payments_not_yet_made_on_the_day_asked_do_not_count() -> None:
    """Asked about the 15th, a payment dated the 18th is not known yet: pending, not kept."""
    status = promise_status(PROMISE, [pay("2026-11-18", "15000.00")], d("2026-11-15"))
    assert status.state is PromiseState.PENDING and status.paid == D("0.00")


def test_money_is_exact_to_the_tiyn() -> None:
    short = promise_status(PROMISE, [pay("2026-11-12", "14999.99")], d("2026-11-21"))
    assert short.state is PromiseState.BROKEN and short.paid == D("14999.99")


def test_broken_promises_within_the_window_by_due_date() -> None:
    old = Promise("0", d("2025-09-01"), d("2025-09-10"), D("100.00"))
    kept = Promise("2", d("2026-10-01"), d("2026-10-05"), D("100.00"))
    later = Promise("3", d("2026-10-10"), d("2026-10-15"), D("100.00"))
    pending = Promise("4", d("2026-11-20"), d("2026-11-30"), D("100.00"))
    payments = [pay("2026-10-03", "100.00")]
    found = broken_promises(
        [later, PROMISE, old, kept, pending], payments, d("2026-11-24"), since=d("2025-11-24")
    )
    assert [p.entry_id for p in found] == ["3", "1"]


def test_a_promise_recorded_after_the_day_asked_is_not_counted() -> None:
    assert broken_promises([PROMISE], [], d("2026-11-09"), since=d("2026-01-01")) == ()


def test_hardship_note_open_until_its_date_and_the_latest_counts() -> None:
    open_ended = HardshipNote("1", d("2026-10-01"))
    assert open_hardship([open_ended], d("2026-09-30")) is None
    assert open_hardship([open_ended], d("2027-05-01")) == open_ended
    ending = HardshipNote("2", d("2026-11-01"), until=d("2026-11-30"))
    notes = [open_ended, ending]
    assert open_hardship(notes, d("2026-10-15")) == open_ended
    assert open_hardship(notes, d("2026-11-30")) == ending
    assert open_hardship(notes, d("2026-12-01")) is None
    same_day = HardshipNote("3", d("2026-11-01"))
    assert open_hardship([*notes, same_day], d("2026-12-01")) == same_day


def test_entry_problems_name_every_field_at_once() -> None:
    today = dt.date(2026, 11, 24)
    problems = entry_problems(
        EntryKind.PROMISE, {"promised_date": d("2026-11-23"), "until": d("2026-12-01")}, today
    )
    assert {(p.path, p.code) for p in problems} == {
        ("amount", "required"),
        ("until", "not_allowed"),
        ("promised_date", "in_past"),
    }
    request = entry_problems(
        EntryKind.REQUEST, {"request": "x", "answer": "y", "answered_on": None}, today
    )
    assert [(p.path, p.code) for p in request] == [("answered_on", "required")]
    ahead = entry_problems(
        EntryKind.REQUEST, {"request": "x", "answer": "y", "answered_on": d("2026-11-25")}, today
    )
    assert [(p.path, p.code) for p in ahead] == [("answered_on", "in_future")]
    assert entry_problems(EntryKind.CALL, {"note": "ok"}, today) == []
    assert [p.path for p in entry_problems(EntryKind.VISIT, {}, today)] == ["note"]
    past = entry_problems(EntryKind.HARDSHIP, {"note": "x", "until": d("2026-11-23")}, today)
    assert [(p.path, p.code) for p in past] == [("until", "in_past")]
