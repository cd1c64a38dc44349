"""Segmentation (policy set `segmentation`) and the next lawful step from the rules engine."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from service.cases.debt import Payment
from service.kernel.period import Period
from service.rules import DeliveryStatus, DocumentKind
from service.segments.segments import Segment, segment_case
from tests.cases.builders import d, kz, monthly
from tests.rules.builders import document, history, rulebook, signed_agreement


def on_time(first: str, last: str) -> list[Payment]:
    """One payment per month on the 20th of the following month (before the 25th due date)."""
    payments, period, end = [], Period.parse(first), Period.parse(last)
    while period <= end:
        following = period.next()
        payments.append(Payment(d(f"{following}-20"), D("9360.00")))
        period = following
    return payments


def test_new_first_arrears_and_reminder_is_next_today() -> None:
    """new: first arrears, no record; next step reminder (overdue-required / housing-34-1-p8)."""
    case = history(monthly("2026-01", "2026-03"), "2026-04-01")
    result = segment_case(case, d("2026-04-01"), rulebook(), kz())
    assert result.segment is Segment.NEW
    assert [r.code for r in result.reasons] == ["first_arrears"]
    assert result.next_step.kind is DocumentKind.REMINDER
    assert result.next_step.earliest == d("2026-04-01")


def test_temporary_after_a_good_record_offers_restructuring_first() -> None:
    case = history(monthly("2025-06", "2026-02"), "2026-04-01", on_time("2025-06", "2025-12"))
    result = segment_case(case, d("2026-04-01"), rulebook(), kz())
    assert result.segment is Segment.TEMPORARY
    assert [r.code for r in result.reasons] == ["good_record"]
    assert "7" in result.reasons[0].message.en
    assert result.next_step.kind is DocumentKind.RESTRUCTURING


def test_temporary_when_hardship_is_recorded() -> None:
    case = replace(
        history(monthly("2026-01", "2026-03"), "2026-04-01"), hardship_recorded_on=d("2026-03-01")
    )
    result = segment_case(case, d("2026-04-01"), rulebook(), kz())
    assert result.segment is Segment.TEMPORARY
    assert result.reasons[0].code == "hardship"


def test_chronic_repeated_episodes_and_warning_date_from_reminder_delivery() -> None:
    """chronic: August 2025 paid late, Sep–Dec on time, arrears again from January 2026 (two
    episodes in 12 months). A reminder delivered 18 March 2026 → the warning is the next step,
    on 6 April 2026 (warning-after-reminder-delivery: 10 working days, Nauryz skipped)."""
    payments = [Payment(d("2025-10-15"), D("9360.00")), *on_time("2025-09", "2025-12")]
    reminder = document(DocumentKind.REMINDER, "2026-03-10", "2026-03-18")
    case = history(monthly("2025-08", "2026-02"), "2026-03-20", payments, documents=(reminder,))
    result = segment_case(case, d("2026-03-20"), rulebook(), kz())
    assert result.segment is Segment.CHRONIC
    assert result.episodes == 2
    assert result.next_step.kind is DocumentKind.WARNING
    assert result.next_step.earliest == d("2026-04-06")


def test_next_step_blocked_by_a_missing_delivery_has_no_date() -> None:
    reminder = document(DocumentKind.REMINDER, "2026-03-10", None, DeliveryStatus.PENDING)
    case = history(monthly("2026-01", "2026-03"), "2026-04-01", documents=(reminder,))
    step = segment_case(case, d("2026-04-01"), rulebook(), kz()).next_step
    assert step.kind is DocumentKind.WARNING and step.earliest is None
    assert [v.rule for v in step.blocked_by] == ["warning-after-reminder-delivery"]


def test_pretrial_next_step_waits_for_the_gate() -> None:
    """pretrial-two-month-gate: warning delivered and expired, but the gate opens later."""
    reminder = document(DocumentKind.REMINDER, "2026-02-26", "2026-02-27")
    warning = document(DocumentKind.WARNING, "2026-03-16", "2026-03-17", deadline="2026-03-31")
    case = history(monthly("2026-01", "2026-01"), "2026-04-02", documents=(reminder, warning))
    step = segment_case(case, d("2026-04-02"), rulebook(), kz()).next_step
    assert step.kind is DocumentKind.PRETRIAL
    assert step.earliest == d("2026-04-28")  # due 25 Feb + 2 months = 25 Apr (Sat) → 27 Apr


def test_in_agreement_and_clear() -> None:
    base = history(monthly("2026-01", "2026-01"), "2026-03-01")
    agreement = signed_agreement(base, 2, "2026-03-10", "2026-03-01", "2026-03-02")
    in_agreement = history(monthly("2026-01", "2026-01"), "2026-03-05", agreements=(agreement,))
    result = segment_case(in_agreement, d("2026-03-05"), rulebook(), kz())
    assert result.segment is Segment.IN_AGREEMENT and result.next_step.kind is None
    clear = history(monthly("2026-01", "2026-01"), "2026-03-05", on_time("2026-01", "2026-01"))
    assert segment_case(clear, d("2026-03-05"), rulebook(), kz()).segment is Segment.CLEAR


def test_segmentation_thresholds_are_per_creditor_policy() -> None:
    case = history(monthly("2026-01", "2026-03"), "2026-04-01")
    overrides = {"segmentation": {"chronic_months": 2}}
    result = segment_case(case, d("2026-04-01"), rulebook(), kz(), overrides)
    assert result.segment is Segment.CHRONIC
    assert segment_case(case, d("2026-04-01"), rulebook(), kz()).segment is Segment.NEW
