"""Restructuring schedule and lifecycle (research C.11; ГК 174 p. 3 for dates, ГК 183 for the
acknowledgment; accounts per housing law art. 34-1 p. 3–4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest

from service.agreements.restructuring import (
    Account,
    Agreement,
    AgreementPayment,
    AgreementState,
    AgreementStateError,
    AgreementTerms,
    assess,
    build_schedule,
)
from service.cases.debt import Charge, compute_debt
from service.errors import ValidationFailed
from service.kernel.period import Period
from tests.cases.builders import ACC, CUR, PRK, TGT, d, kz

TERMS = AgreementTerms(grace_days=5, default_after_days=30)


def lines():
    charges = [
        Charge(Period(2026, 1), CUR, D("6000.00")),
        Charge(Period(2026, 1), PRK, D("2000.00")),
        Charge(Period(2026, 1), TGT, D("2000.00"), due_date=d("2026-02-10")),
        Charge(Period(2026, 1), ACC, D("1000.01")),
    ]
    return compute_debt(charges, [], d("2026-03-01"), kz()).overdue_lines


def test_schedule_splits_accounts_sums_exactly_and_puts_remainder_last() -> None:
    """housing-34-1-p1/p8 accounts: current+parking+target → current account; accumulative →
    savings. Equal instalments rounded down to the tiyn; remainder on the LAST instalment."""
    schedule = build_schedule(lines(), D("123.45"), 3, d("2026-01-31"))
    current = [i.current for i in schedule.instalments]
    savings = [i.savings for i in schedule.instalments]
    penalty = [i.penalty for i in schedule.instalments]
    assert current == [D("3333.33"), D("3333.33"), D("3333.34")]
    assert savings == [D("333.33"), D("333.33"), D("333.35")]
    # review #6: the agreement says the penalty is paid after the whole principal, so the
    # schedule puts all of it in the last instalment
    assert penalty == [D("0.00"), D("0.00"), D("123.45")]
    assert sum(current) + sum(penalty) == schedule.total_for(Account.CURRENT) == D("10123.45")
    assert sum(savings) == schedule.total_for(Account.SAVINGS) == D("1000.01")
    assert schedule.total == D("11123.46")
    assert schedule.principal == {Account.CURRENT: D("10000.00"), Account.SAVINGS: D("1000.01")}


@pytest.mark.parametrize(
    ("first_due", "dates"),
    [
        pytest.param(
            "2026-01-31", ["2026-01-31", "2026-02-28", "2026-03-31"], id="31-jan-to-28-feb-gk-174"
        ),
        pytest.param(
            "2028-01-31", ["2028-01-31", "2028-02-29", "2028-03-31"], id="leap-year-29-feb"
        ),
        pytest.param(
            "2026-11-30", ["2026-11-30", "2026-12-30", "2027-01-30"], id="over-the-year-end"
        ),
    ],
)
def test_instalment_dates_are_real_dates_with_month_end_clamp(
    first_due: str, dates: list[str]
) -> None:
    """gk-174 p. 3: monthly from the first due date, never drifting (31 → 28 → 31)."""
    schedule = build_schedule(lines(), D("0"), 3, d(first_due))
    assert [i.due_date for i in schedule.instalments] == [d(x) for x in dates]


def test_waived_penalty_is_recorded_and_not_scheduled() -> None:
    schedule = build_schedule(lines(), D("123.45"), 2, d("2026-04-10"), waive_penalty=True)
    assert schedule.penalty == D("0") and schedule.penalty_waived == D("123.45")
    assert schedule.total == D("11000.01")


def test_schedule_refuses_nonsense() -> None:
    with pytest.raises(ValidationFailed):
        build_schedule(lines(), D("0"), 0, d("2026-04-10"))
    with pytest.raises(ValidationFailed):
        build_schedule((), D("0"), 3, d("2026-04-10"))


def agreement() -> Agreement:
    schedule = build_schedule(lines(), D("0"), 3, d("2026-04-10"))
    return Agreement("agr-1", schedule, TERMS)


def test_lifecycle_draft_issued_active_and_acknowledgment_gk_183() -> None:
    """gk-183 / notary-92-1-p3: signing records the acknowledgment with the signing date."""
    draft = agreement()
    assert assess(draft, d("2026-03-01"), kz()).state is AgreementState.DRAFT
    issued = draft.issue(d("2026-03-02"))
    assert assess(issued, d("2026-03-03"), kz()).state is AgreementState.ISSUED
    assert issued.acknowledgment is None
    signed = issued.sign(d("2026-03-04"))
    assert assess(signed, d("2026-03-05"), kz()).state is AgreementState.ACTIVE
    ack = signed.acknowledgment
    assert ack is not None and ack.date == d("2026-03-04") and ack.source == "agreement"


def test_lifecycle_refuses_out_of_order_transitions() -> None:
    with pytest.raises(AgreementStateError):
        agreement().sign(d("2026-03-04"))
    issued = agreement().issue(d("2026-03-02"))
    with pytest.raises(AgreementStateError):
        issued.sign(d("2026-03-01"))
    with pytest.raises(AgreementStateError):
        issued.record_payment(AgreementPayment(d("2026-03-05"), D("1")))


def signed() -> Agreement:
    return agreement().issue(d("2026-03-02")).sign(d("2026-03-04"))


def test_performing_late_defaulted_and_default_is_final() -> None:
    """Policy: grace 5 days → late; more than 30 days → defaulted (unblocks pre-court)."""
    a = signed()
    first = a.schedule.instalments[0]
    a = a.record_payment(AgreementPayment(d("2026-04-10"), first.total))
    assert assess(a, d("2026-04-20"), kz()).state is AgreementState.PERFORMING
    # 2nd instalment 10 May 2026 is a Sunday and 11 May the Victory Day carry-over: the
    # deadline is Tuesday 12 May (ГК 175).
    status = assess(a, d("2026-05-17"), kz())
    assert status.instalments[1].deadline == d("2026-05-12")
    assert status.state is AgreementState.PERFORMING  # 5 days late: within grace
    assert assess(a, d("2026-05-18"), kz()).state is AgreementState.LATE
    assert assess(a, d("2026-06-11"), kz()).state is AgreementState.LATE
    defaulted = assess(a, d("2026-06-12"), kz())
    assert defaulted.state is AgreementState.DEFAULTED
    assert defaulted.defaulted_on == d("2026-06-12")
    paid_late = a.record_payment(AgreementPayment(d("2026-06-20"), a.schedule.total))
    assert assess(paid_late, d("2026-07-01"), kz()).state is AgreementState.DEFAULTED


def test_payments_matched_in_order_and_completed() -> None:
    a = signed()
    total = a.schedule.total
    a = a.record_payment(AgreementPayment(d("2026-04-09"), total - D("1.00")))
    status = assess(a, d("2026-04-15"), kz())
    assert [s.paid_in_full_on for s in status.instalments][:2] == [d("2026-04-09")] * 2
    assert status.instalments[2].outstanding == D("1.00")
    a = a.record_payment(AgreementPayment(d("2026-04-20"), D("1.00")))
    assert assess(a, d("2026-04-21"), kz()).state is AgreementState.COMPLETED


def test_an_instalment_paid_late_within_default_days_does_not_keep_the_agreement_late() -> None:
    a = signed()
    first = a.schedule.instalments[0]
    a = a.record_payment(AgreementPayment(d("2026-04-25"), first.total))  # 15 days late
    assert assess(a, d("2026-04-26"), kz()).state is AgreementState.PERFORMING


def test_a_schedule_whose_rows_do_not_add_up_cannot_exist() -> None:
    """The agreement states its totals: rows that do not add up to them are refused when the
    schedule is made, never printed."""
    schedule = build_schedule(lines(), D("100.00"), 3, d("2027-01-31"))
    last = schedule.instalments[-1]
    broken = (*schedule.instalments[:-1], replace(last, current=last.current + D("0.01")))
    with pytest.raises(ValueError, match="current column adds up"):
        replace(schedule, instalments=broken)
    penalty_off = (*schedule.instalments[:-1], replace(last, penalty=last.penalty - D("0.01")))
    with pytest.raises(ValueError, match="penalty column"):
        replace(schedule, instalments=penalty_off)


def test_instalments_fall_on_working_days_gk_175_review_26() -> None:
    """#26, gk-175: a date on a non-working day moves to the next working day; the months still
    count from the first due date (a moved date does not shift the next one)."""
    # 10 January 2027 is a Sunday, 10 April 2027 a Saturday
    schedule = build_schedule(lines(), D("0"), 4, d("2027-01-10"), calendar=kz())
    dates = [i.due_date for i in schedule.instalments]
    assert dates == [d("2027-01-11"), d("2027-02-10"), d("2027-03-10"), d("2027-04-12")]
    assert all(kz().is_working_day(day) for day in dates)


def test_penalty_sits_whole_in_the_last_instalment_tiyn_exact_review_6() -> None:
    """#6: text and schedule agree (penalty last); every column adds up to the tiyn."""
    schedule = build_schedule(lines(), D("0.07"), 5, d("2027-01-10"), calendar=kz())
    assert [i.penalty for i in schedule.instalments] == [D("0")] * 4 + [D("0.07")]
    assert schedule.total == D("11000.01") + D("0.07")


def performing_with_current(*payments: tuple[str, str]) -> Agreement:
    """Two instalments (10.04.2026, 11.05.2026); the first paid early in March. March's
    contribution (5 000,00, due 25.04.2026, a Saturday) falls due while the agreement is in
    force, outside the schedule."""
    current = Charge(Period(2026, 3), CUR, D("5000.00"))
    schedule = build_schedule(lines(), D("0"), 2, d("2026-04-10"), calendar=kz())
    agreement = Agreement("agr-2", schedule, TERMS, charges=(current,))
    agreement = agreement.issue(d("2026-03-02")).sign(d("2026-03-03"))
    first = schedule.instalments[0].total
    agreement = agreement.record_payment(AgreementPayment(d("2026-03-31"), first))
    for day, amount in payments:
        agreement = agreement.record_payment(AgreementPayment(d(day), D(amount)))
    return agreement


def test_missing_a_current_contribution_is_a_default_review_7() -> None:
    """#7 (agreement cl. 6; housing-34-1-p8 due date, gk-175 shift): the schedule is paid, but
    the contribution that fell due while the agreement was in force is not — more than
    ``default_after_days`` after its deadline the agreement is in default."""
    agreement = performing_with_current()
    deadline = kz().next_working_day(d("2026-04-25"))
    assert deadline == d("2026-04-27")
    late = assess(agreement, deadline + dt.timedelta(days=30), kz())
    assert late.state is AgreementState.LATE and late.defaulted_on is None
    (due,) = late.current
    assert (due.deadline, due.outstanding) == (deadline, D("5000.00"))
    defaulted = assess(agreement, deadline + dt.timedelta(days=31), kz())
    assert defaulted.state is AgreementState.DEFAULTED
    # the current contribution's default day, not the second instalment's (11.05 + 31 days)
    assert defaulted.defaulted_on == deadline + dt.timedelta(days=31) == d("2026-05-28")


def test_current_contribution_paid_keeps_the_agreement_whole_review_7() -> None:
    """#7: with the contribution paid in its month, the agreement performs and then completes."""
    agreement = performing_with_current(("2026-04-20", "5000.00"))
    status = assess(agreement, d("2026-05-01"), kz())
    assert status.state is AgreementState.PERFORMING and status.defaulted_on is None
    assert status.current[0].outstanding == D("0.00")
    second = agreement.schedule.instalments[1]
    paid = agreement.record_payment(AgreementPayment(d("2026-05-11"), second.total))
    assert assess(paid, d("2026-06-30"), kz()).state is AgreementState.COMPLETED


def test_a_payment_goes_to_obligations_in_deadline_order_review_7() -> None:
    """#7 (agreement cl. 3): a payment pays the agreement's obligations — instalments and the
    current contributions of cl. 6 — oldest deadline first. Paying an instalment on its date
    pays the instalment, not a contribution of the same month not yet due (which made a debtor
    who paid on time late, and could put the agreement in final default); an excess goes to
    the next deadline, the contribution before the next instalment."""
    current = Charge(Period(2026, 3), CUR, D("5000.00"))  # due 25.04 → 27.04 (ГК 175)
    schedule = build_schedule(lines(), D("0"), 2, d("2026-04-10"))
    agreement = Agreement("agr-3", schedule, TERMS, charges=(current,))
    agreement = agreement.issue(d("2026-03-02")).sign(d("2026-03-03"))
    first = schedule.instalments[0].total
    on_time = agreement.record_payment(AgreementPayment(d("2026-04-10"), first))
    status = assess(on_time, d("2026-04-20"), kz())
    assert status.instalments[0].paid == first and status.instalments[0].days_late == 0
    assert status.state is AgreementState.PERFORMING
    assert status.current == ()  # the contribution is not due yet
    both = on_time.record_payment(AgreementPayment(d("2026-04-27"), D("5000.00")))
    status = assess(both, d("2026-05-01"), kz())
    assert status.current[0].paid == D("5000.00") and status.current[0].days_late == 0
    assert status.state is AgreementState.PERFORMING
    lump = agreement.record_payment(AgreementPayment(d("2026-04-09"), first + D("5000.00")))
    status = assess(lump, d("2026-05-01"), kz())
    assert status.instalments[0].paid == first
    assert status.current[0].paid == D("5000.00")  # the excess, before instalment 2
    assert status.instalments[1].paid == D("0.00")
    late_due = on_time.record_payment(AgreementPayment(d("2026-05-10"), D("5000.00")))
    status = assess(late_due, d("2026-05-11"), kz())
    assert status.current[0].paid == D("5000.00")  # overdue since 27.04: older than 10.05
