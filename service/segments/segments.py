"""Segment a case from its payment history and suggest the next lawful step with its date.

All of this is policy (``legal/rules/policies.yaml``, set ``segmentation``), never law:
- ``in_agreement``: a signed restructuring agreement is in force (not completed, not defaulted).
- ``clear``: nothing is overdue (no work to do).
- ``temporary``: a hardship flag is recorded, or a hardship note in the case log is open
  (``service.caselog``), or the arrears follow a good record (at least ``good_record_months``
  consecutive months paid on time just before them).
- ``chronic``: repeated arrears within the last ``lookback_months``: at least
  ``chronic_episodes`` separate episodes, or at least ``chronic_months`` months in arrears.
  A promise to pay broken within the look-back counts against the debtor as
  ``broken_promise_episodes`` more episodes (default 1: the debtor's word, like a month's
  contribution, was not kept), and a case with a broken promise is no longer "temporary" on the
  strength of its good record — the record was followed by a broken word.
- ``new``: first arrears without an established record.

A month is "in arrears" when some contribution for it was not fully paid by its due date; an
episode is a run of consecutive such months. Priority: in_agreement, clear, hardship (flag or
open note), chronic, good record, new. A broken promise adds its reason to whichever segment it
shaped (or to a hardship case, where it does not change the segment but is shown).

The next step follows the ladder (reminder → warning → pre-court letter; a restructuring offer
first for temporary cases) and its earliest date comes from the rules engine, assuming nothing
but time passes; when something else must happen first (a delivery), the blocking violations
are returned instead of a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from service.agreements.restructuring import IN_FORCE, assess
from service.caselog.promises import Promise, broken_promises, open_hardship
from service.cases.debt import DebtLine
from service.kernel.calendar import WorkCalendar, add_months
from service.kernel.money import ZERO, money_str
from service.kernel.period import Period
from service.kernel.route import Route
from service.kernel.text import Message
from service.rules.engine import PolicyOverrides, Rulebook, earliest_allowed
from service.rules.history import CaseHistory, DocumentKind, RequestedDocument
from service.rules.ladder import current_documents
from service.rules.model import Violation
from service.rules.settings import SegmentationPolicy, segmentation_policy


class Segment(StrEnum):
    CLEAR = "clear"
    NEW = "new"
    TEMPORARY = "temporary"
    CHRONIC = "chronic"
    IN_AGREEMENT = "in_agreement"


@dataclass(frozen=True)
class Reason:
    code: str
    message: Message


@dataclass(frozen=True)
class NextStep:
    kind: DocumentKind | None
    """``None`` when there is no document to issue (clear, in agreement, pre-court sent)."""
    earliest: dt.date | None
    """The first date the document may go out if nothing but time passes."""
    blocked_by: tuple[Violation, ...] = ()
    """When ``earliest`` is None: what must happen first."""


@dataclass(frozen=True)
class Classification:
    segment: Segment
    reasons: tuple[Reason, ...]
    months_in_arrears: tuple[Period, ...]
    """Within the look-back window."""
    episodes: int
    next_step: NextStep


def _late(line: DebtLine) -> bool:
    paid_on_time = sum((a.amount for a in line.allocations if a.date <= line.due_date), ZERO)
    return paid_on_time < line.charged


def _runs(periods: list[Period]) -> int:
    runs, previous = 0, None
    for period in sorted(periods):
        if previous is None or previous.next() != period:
            runs += 1
        previous = period
    return runs


def classify(
    history: CaseHistory, on_date: dt.date, policy: SegmentationPolicy, calendar: WorkCalendar
) -> tuple[Segment, tuple[Reason, ...], tuple[Period, ...], int]:
    lines = [line for line in history.debt.lines if line.due_date < on_date]
    window_start = add_months(on_date, -policy.lookback_months)
    late_all = sorted({line.period for line in lines if _late(line)})
    late_window = [
        p for p in late_all if any(li.period == p and li.due_date >= window_start for li in lines)
    ]
    episodes = _runs(late_window)
    for agreement in history.agreements:
        state = assess(agreement, on_date, calendar).state
        if state in IN_FORCE:
            return Segment.IN_AGREEMENT, (_reason("agreement", agreement.id, state.value),), (), 0
    if not any(line.outstanding > 0 for line in lines):
        return Segment.CLEAR, (_reason("nothing_overdue"),), tuple(late_window), episodes
    broken = (
        broken_promises(history.promises, history.payments, on_date, window_start)
        if policy.broken_promise_episodes > 0
        else ()
    )
    against = (_broken_reason(broken, policy),) if broken else ()
    if history.hardship_recorded_on is not None and history.hardship_recorded_on <= on_date:
        reason = _reason("hardship", history.hardship_recorded_on.isoformat())
        return Segment.TEMPORARY, (reason, *against), tuple(late_window), episodes
    note = open_hardship(history.hardship_notes, on_date)
    if note is not None:
        until = note.until.isoformat() if note.until else "—"
        reason = _reason("hardship_note", note.noted_on.isoformat(), until)
        return Segment.TEMPORARY, (reason, *against), tuple(late_window), episodes
    counted = episodes + policy.broken_promise_episodes * len(broken)
    if counted >= policy.chronic_episodes or len(late_window) >= policy.chronic_months:
        reason = _reason(
            "chronic", str(counted), str(len(late_window)), str(policy.lookback_months)
        )
        return Segment.CHRONIC, (reason, *against), tuple(late_window), episodes
    record = _good_months_before(lines, late_all)
    if record >= policy.good_record_months and not broken:
        return (
            Segment.TEMPORARY,
            (_reason("good_record", str(record)),),
            tuple(late_window),
            episodes,
        )
    reason = _reason("first_arrears", str(record))
    return Segment.NEW, (reason, *against), tuple(late_window), episodes


def _broken_reason(broken: tuple[Promise, ...], policy: SegmentationPolicy) -> Reason:
    latest = broken[-1]
    return _reason(
        "broken_promise",
        str(len(broken)),
        latest.due.isoformat(),
        money_str(latest.amount),
        str(policy.broken_promise_episodes),
    )


def _good_months_before(lines: list[DebtLine], late: list[Period]) -> int:
    """Consecutive months paid on time just before the current (last) arrears episode."""
    if not late:
        return 0
    start = late[-1]
    late_set = set(late)
    while True:
        previous = start.previous()
        if previous not in late_set:
            break
        start = previous
    charged = sorted({line.period for line in lines if line.period < start}, reverse=True)
    count, expected = 0, None
    for period in charged:
        if period in late_set or (expected is not None and period.next() != expected):
            break
        count += 1
        expected = period
    return count


def segment_case(
    history: CaseHistory,
    on_date: dt.date,
    rulebook: Rulebook,
    calendar: WorkCalendar,
    overrides: PolicyOverrides | None = None,
    route: Route = Route.NOTARY,
) -> Classification:
    policy = segmentation_policy(rulebook, on_date, overrides)
    segment, reasons, months, episodes = classify(history, on_date, policy, calendar)
    step = _next_step(history, segment, on_date, rulebook, calendar, overrides, route)
    return Classification(segment, reasons, months, episodes, step)


def _next_step(
    history: CaseHistory,
    segment: Segment,
    on_date: dt.date,
    rulebook: Rulebook,
    calendar: WorkCalendar,
    overrides: PolicyOverrides | None,
    route: Route,
) -> NextStep:
    if segment in (Segment.CLEAR, Segment.IN_AGREEMENT):
        return NextStep(None, None)
    ladder = [DocumentKind.REMINDER, DocumentKind.WARNING, DocumentKind.PRETRIAL]
    if segment is Segment.TEMPORARY:
        ladder.insert(0, DocumentKind.RESTRUCTURING)
    issued = {kind for kind in ladder if current_documents(history, kind, on_date, calendar)}
    pending = [kind for kind in ladder if kind not in issued]
    if not pending or DocumentKind.PRETRIAL in issued:
        return NextStep(None, None)
    kind = pending[0]
    language = "bilingual" if kind is DocumentKind.RESTRUCTURING else "kk"
    requested = RequestedDocument(kind, language, route if kind is DocumentKind.PRETRIAL else None)
    earliest, evaluation = earliest_allowed(
        rulebook, history, requested, on_date, calendar, overrides
    )
    return NextStep(kind, earliest, () if earliest else evaluation.violations)


_REASONS: dict[str, Message] = {
    "agreement": Message(
        ru="соглашение о рассрочке {0}: {1}",
        kk="бөліп төлеу келісімі {0}: {1}",
        en="restructuring agreement {0}: {1}",
    ),
    "nothing_overdue": Message(
        ru="просроченной задолженности нет",
        kk="мерзімі өткен берешек жоқ",
        en="nothing is overdue",
    ),
    "hardship": Message(
        ru="отмечены финансовые трудности ({0})",
        kk="қаржылық қиындықтар белгіленген ({0})",
        en="hardship recorded ({0})",
    ),
    "hardship_note": Message(
        ru="в журнале дела отмечены финансовые трудности (с {0}, до {1})",
        kk="іс журналында қаржылық қиындықтар белгіленген ({0} бастап, {1} дейін)",
        en="hardship noted in the case log (from {0}, until {1})",
    ),
    "broken_promise": Message(
        ru="нарушено обещаний оплатить: {0} (последнее — {2} тенге до {1}); "
        "каждое засчитывается как эпизоды просрочки: {3}",
        kk="төлеу туралы бұзылған уәделер: {0} (соңғысы — {1} дейін {2} теңге); "
        "әрқайсысы кешіктірудің {3} эпизоды ретінде есептеледі",
        en="{0} broken promise(s) to pay (latest: {2} tenge by {1}); each counts as {3} "
        "arrears episode(s) against the debtor",
    ),
    "chronic": Message(
        ru="повторные просрочки: эпизодов {0}, месяцев {1} за {2} мес.",
        kk="қайталанған кешіктірулер: {2} айда {0} эпизод, {1} ай",
        en="repeated arrears: {0} episodes, {1} months in the last {2} months",
    ),
    "good_record": Message(
        ru="просрочка после {0} мес. своевременной оплаты",
        kk="{0} ай уақтылы төлегеннен кейінгі кешіктіру",
        en="arrears after {0} months paid on time",
    ),
    "first_arrears": Message(
        ru="первая просрочка (своевременных оплат до неё: {0} мес.)",
        kk="алғашқы кешіктіру (оған дейін уақтылы төленген: {0} ай)",
        en="first arrears ({0} months paid on time before it)",
    ),
}


def _reason(code: str, *args: str) -> Reason:
    return Reason(code, _REASONS[code].format(*args))
