"""Segmentation reads the case log: an open hardship note makes a case temporary, a broken
promise to pay counts against the debtor (pure: no database)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from service.caselog.promises import HardshipNote, Promise
from service.cases.debt import Payment
from service.rules import DocumentKind
from service.rules.history import CaseHistory
from service.segments.segments import Segment, segment_case
from tests.cases.builders import d, kz, monthly
from tests.rules.builders import history, rulebook
from tests.segments.test_segments import on_time

TODAY = "2026-04-01"


def new_case(**log: object) -> CaseHistory:
    """First arrears, January–March 2026, no record before: ``new`` without a log."""
    case = history(monthly("2026-01", "2026-03"), TODAY)
    return replace(case, **log)


def codes(case: CaseHistory, overrides: dict[str, dict[str, object]] | None = None) -> list[str]:
    return [r.code for r in segment_case(case, d(TODAY), rulebook(), kz(), overrides).reasons]


def test_without_a_log_the_case_is_new() -> None:
    result = segment_case(new_case(), d(TODAY), rulebook(), kz())
    assert result.segment is Segment.NEW


def test_an_open_hardship_note_makes_the_case_temporary() -> None:
    note = HardshipNote("7", d("2026-03-20"), until=d("2026-06-30"))
    result = segment_case(new_case(hardship_notes=(note,)), d(TODAY), rulebook(), kz())
    assert result.segment is Segment.TEMPORARY
    assert [r.code for r in result.reasons] == ["hardship_note"]
    assert "2026-06-30" in result.reasons[0].message.ru
    assert "2026-03-20" in result.reasons[0].message.kk
    assert result.next_step.kind is DocumentKind.RESTRUCTURING


def test_a_hardship_note_that_ran_out_or_was_ended_does_not() -> None:
    ran_out = HardshipNote("7", d("2026-02-01"), until=d("2026-03-31"))
    assert segment_case(
        new_case(hardship_notes=(ran_out,)), d(TODAY), rulebook(), kz()
    ).segment is (Segment.NEW)
    opened = HardshipNote("8", d("2026-02-01"))
    ended = HardshipNote("9", d("2026-03-15"), until=d("2026-03-15"))
    case = new_case(hardship_notes=(opened, ended))
    assert segment_case(case, d(TODAY), rulebook(), kz()).segment is Segment.NEW


def test_a_broken_promise_counts_as_an_episode_and_makes_the_case_chronic() -> None:
    """One arrears episode is new; a promise of 9 360 by 20 March, not paid, is a second
    episode against the debtor (chronic_episodes = 2)."""
    promise = Promise("3", d("2026-03-10"), d("2026-03-20"), D("9360.00"))
    case = new_case(promises=(promise,))
    result = segment_case(case, d(TODAY), rulebook(), kz())
    assert result.segment is Segment.CHRONIC
    assert [r.code for r in result.reasons] == ["chronic", "broken_promise"]
    assert result.episodes == 1, "the arrears episodes themselves are reported as they are"
    broken = result.reasons[1].message
    assert "9360.00" in broken.ru and "2026-03-20" in broken.en and "1" in broken.kk


def test_a_kept_or_pending_promise_changes_nothing() -> None:
    kept = Promise("3", d("2026-03-10"), d("2026-03-20"), D("9360.00"))
    paid = (Payment(d("2026-03-15"), D("9360.00")),)
    case = history(monthly("2026-01", "2026-03"), TODAY, list(paid))
    assert codes(replace(case, payments=paid, promises=(kept,))) == ["first_arrears"]
    pending = Promise("4", d("2026-03-30"), d("2026-04-10"), D("9360.00"))
    assert codes(new_case(promises=(pending,))) == ["first_arrears"]


def test_a_broken_promise_ends_the_good_record_temporary_case() -> None:
    """Arrears after seven months paid on time is temporary; a broken promise since makes it
    chronic (one episode plus the broken promise)."""
    payments = on_time("2025-06", "2025-12")
    case = history(monthly("2025-06", "2026-02"), TODAY, payments)
    assert codes(case) == ["good_record"]
    promise = Promise("5", d("2026-03-02"), d("2026-03-16"), D("5000.00"))
    broken = replace(case, payments=tuple(payments), promises=(promise,))
    result = segment_case(broken, d(TODAY), rulebook(), kz())
    assert result.segment is Segment.CHRONIC
    assert [r.code for r in result.reasons] == ["chronic", "broken_promise"]


def test_a_broken_promise_outside_the_look_back_is_forgotten() -> None:
    old = Promise("3", d("2025-03-01"), d("2025-03-20"), D("9360.00"))
    assert codes(new_case(promises=(old,))) == ["first_arrears"]


def test_the_creditor_may_set_broken_promises_aside() -> None:
    promise = Promise("3", d("2026-03-10"), d("2026-03-20"), D("9360.00"))
    overrides = {"segmentation": {"broken_promise_episodes": 0}}
    assert codes(new_case(promises=(promise,)), overrides) == ["first_arrears"]


def test_hardship_still_comes_first_and_the_broken_promise_is_shown() -> None:
    promise = Promise("3", d("2026-03-01"), d("2026-03-05"), D("9360.00"))
    note = HardshipNote("7", d("2026-03-20"))
    case = new_case(promises=(promise,), hardship_notes=(note,))
    result = segment_case(case, d(TODAY), rulebook(), kz())
    assert result.segment is Segment.TEMPORARY
    assert [r.code for r in result.reasons] == ["hardship_note", "broken_promise"]
