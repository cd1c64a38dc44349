"""A penalty discount offer and when it is honoured (finding #36; seed: «скидки на пени»).

The creditor may offer, in a warning, to write off (100 %) or reduce (a percentage of) the
penalty if the debtor pays the principal by the letter's deadline. It is the creditor's policy,
never law: it needs a meeting or board decision on record (research C.11: waiving penalty needs
a meeting or board mandate; ``service.discounts.policy``). No provision fixes its terms, so the
terms below are the service's decisions, stated so they can be changed deliberately:

- **Which penalty**: the penalty the letter states, i.e. accrued up to and including the letter's
  date (its issue date), less any discount already granted by then; per line (month and
  contribution), the share rounded to the tiyn, half up. Penalty accruing after the letter's date
  is not part of the offer and stays owed.
- **Which principal**: the overdue principal the letter states: every line overdue on the
  letter's date with something outstanding before that day's payments (a payment dated the
  letter's date counts towards the condition).
- **By which date**: the letter's deadline, inclusive. Where a delivery is recorded, the same
  period is measured from it (delivery date + (deadline − issue date)), never ending before the
  printed deadline: the deadline runs from receipt (finding #13).
- **Met**: every stated line is fully paid by payments dated on or before that date (payments go
  to the oldest charges first, so money paid goes to the stated lines first). A partial payment,
  or one made a day late, meets nothing: no discount at all (all or nothing, to-confirm with the
  creditor's lawyer).
- Once met, the discount shows in every computation of the case's penalty on a later date: the
  case, the claim (``GET /v1/cases/{id}/claim``) and every later document (one computation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from service.cases.case import CaseDebt, DebtCase
from service.cases.debt import DebtSummary, compute_debt
from service.cases.penalty import (
    LineKey,
    PenaltyDiscount,
    PenaltyPolicy,
    PenaltyResult,
    compute_penalty,
)
from service.kernel.calendar import WorkCalendar
from service.kernel.money import ZERO, to_tiyn

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PenaltyOffer:
    """An offer a document made: its date, the deadline it runs to, the share written off."""

    document_id: str
    letter_date: dt.date
    deadline: dt.date
    """The last day to pay (inclusive), measured from delivery where one is recorded."""
    percent: Decimal
    """100 writes the penalty off; less reduces it by that share."""


def stated_lines(summary: DebtSummary) -> frozenset[LineKey]:
    """The lines whose principal a letter dated ``summary.as_of`` states as overdue."""
    return frozenset((line.period, line.contribution) for line in summary.overdue_lines)


def discount_shares(
    penalty: PenaltyResult, percent: Decimal, document_id: str
) -> tuple[PenaltyDiscount, ...]:
    """``percent`` of the penalty owed per line in ``penalty`` (the letter's date's)."""
    shares = []
    for (period, contribution), owed in sorted(penalty.by_line().items()):
        amount = to_tiyn(owed * percent / HUNDRED)
        if amount > 0:
            shares.append(PenaltyDiscount(period, contribution, amount, document_id))
    return tuple(shares)


def condition_met(offer: PenaltyOffer, case: DebtCase, on: dt.date, calendar: WorkCalendar) -> bool:
    """Was every line the letter stated fully paid by the deadline (judged on ``on``)?"""
    if on < offer.letter_date:
        return False
    charges, payments = list(case.charges), list(case.payments)
    # What the letter states: paid on its own date or later counts towards the condition.
    before = [p for p in payments if p.date < offer.letter_date]
    stated = stated_lines(compute_debt(charges, before, offer.letter_date, calendar))
    if not stated:
        return False
    by = compute_debt(charges, payments, min(offer.deadline, on), calendar)
    still_open = {(line.period, line.contribution) for line in by.lines if line.outstanding > 0}
    return not stated & still_open


def grant(
    case: DebtCase,
    debt: CaseDebt,
    offers: Sequence[PenaltyOffer],
    calendar: WorkCalendar,
    policy: PenaltyPolicy,
) -> CaseDebt:
    """``debt`` (as computed on ``debt.summary.as_of``, no discount) with the discounts of every
    offer whose condition is met by then. Offers are taken by date: each one's share is of the
    penalty owed on its date after the discounts already granted by that date."""
    on = debt.summary.as_of
    shares: list[tuple[PenaltyOffer, tuple[PenaltyDiscount, ...]]] = []
    for offer in sorted(offers, key=lambda o: (o.letter_date, o.document_id)):
        if offer.letter_date > on:
            continue
        owed_then = penalty_on(case, offer.letter_date, calendar, policy, shares)
        shares.append((offer, discount_shares(owed_then, offer.percent, offer.document_id)))
    granted = _met(shares, case, on, calendar)
    if not granted:
        return debt
    return CaseDebt(debt.summary, debt.penalty.with_discounts(granted))


def penalty_on(
    case: DebtCase,
    day: dt.date,
    calendar: WorkCalendar,
    policy: PenaltyPolicy,
    shares: Iterable[tuple[PenaltyOffer, tuple[PenaltyDiscount, ...]]],
) -> PenaltyResult:
    """The penalty owed on ``day``: accrued then, less the shares of offers met by then."""
    summary = compute_debt(list(case.charges), list(case.payments), day, calendar)
    accrued = compute_penalty(summary.lines, day, policy)
    return accrued.with_discounts(_met(shares, case, day, calendar))


def _met(
    shares: Iterable[tuple[PenaltyOffer, tuple[PenaltyDiscount, ...]]],
    case: DebtCase,
    on: dt.date,
    calendar: WorkCalendar,
) -> tuple[PenaltyDiscount, ...]:
    return tuple(
        share
        for offer, offered in shares
        if condition_met(offer, case, on, calendar)
        for share in offered
    )


def offered_total(penalty: PenaltyResult, percent: Decimal) -> Decimal:
    """What a letter with ``penalty`` owed on its date offers to write off."""
    return sum((d.amount for d in discount_shares(penalty, percent, "")), ZERO)


def schedule_deadline(last_due: dt.date, grace_days: int, calendar: WorkCalendar) -> dt.date:
    """In an agreement the principal is paid by the schedule: the offer's date is the last
    instalment's, plus the grace days within which a payment still counts as on time; a term
    ending on a non-working day ends on the next working day (ГК 175)."""
    return calendar.next_working_day(last_due + dt.timedelta(days=grace_days))
