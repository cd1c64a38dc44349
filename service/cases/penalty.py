"""Penalty (пеня) on overdue contributions, always shown apart from the principal.

Law: penalty accrues from the day after the due date «в соответствии с законодательством»
(housing law art. 34-1 p. 9); the law sets no rate (research §4). Default source: ГК art. 353,
the National Bank base rate on the day of payment (for an unpaid amount: on the calculation date).

Policy (configuration, never presented as law): the rate table itself, the day count (365), and
rounding each segment to the tiyn, half up.

A discount the creditor granted (a penalty discount offer whose condition was met, finding #36:
``service.discounts.offer``) is kept apart from the segments, per line: ``total`` is what is
still owed after it, ``accrued`` what accrued before it.

Each overdue line is split into segments at every payment made after its due date: the amount
paid bears penalty from the day after the due date up to and including the payment day; what is
still unpaid bears it up to and including the calculation date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from service.cases.debt import Contribution, DebtLine
from service.kernel.money import ZERO, to_tiyn
from service.kernel.period import Period

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RateEntry:
    effective_from: dt.date
    annual_percent: Decimal
    note: str = ""
    confidence: str = ""
    """``verified`` (read in the National Bank's resolution) or ``to-confirm`` (review #14:
    shown to the creditor, never printed to the debtor as law)."""

    @property
    def confirmed(self) -> bool:
        return self.confidence == "verified"


@dataclass(frozen=True)
class PenaltyPolicy:
    """How penalty is computed for one creditor."""

    enabled: bool
    rates: tuple[RateEntry, ...]
    """Annual rates with the date each takes effect (ascending)."""
    day_count: int
    """Days in the year the annual rate is divided by (a policy choice; 365 by default)."""
    provision: str
    """Provision id the rate rests on, e.g. ``gk-353``."""
    source: dict[str, str]
    """Human wording of the source per language (``ru``, ``kk``)."""

    def rate_on(self, day: dt.date) -> Decimal:
        return self.entry_on(day).annual_percent

    def entry_on(self, day: dt.date) -> RateEntry:
        applicable = [r for r in self.rates if r.effective_from <= day]
        if not applicable:
            raise ValueError(f"no penalty rate is configured for {day.isoformat()}")
        return max(applicable, key=lambda r: r.effective_from)


@dataclass(frozen=True)
class PenaltySegment:
    period: Period
    contribution: Contribution
    base: Decimal
    rate: Decimal
    start: dt.date
    end: dt.date
    days: int
    amount: Decimal
    paid_late: bool = False
    """The base was paid, after its due date, on ``end`` (review #24: the letter says so)."""


@dataclass(frozen=True)
class PenaltyDiscount:
    """Penalty on one line written off because an offer's condition was met."""

    period: Period
    contribution: Contribution
    amount: Decimal
    document_id: str
    """The document that made the offer."""


LineKey = tuple[Period, Contribution]


@dataclass(frozen=True)
class PenaltyResult:
    segments: tuple[PenaltySegment, ...]
    total: Decimal
    """What is owed: accrued penalty less the discounts granted."""
    policy: PenaltyPolicy
    discounts: tuple[PenaltyDiscount, ...] = ()

    @property
    def accrued(self) -> Decimal:
        return sum((s.amount for s in self.segments), ZERO)

    @property
    def discounted(self) -> Decimal:
        return sum((d.amount for d in self.discounts), ZERO)

    def accrued_by_line(self) -> dict[LineKey, Decimal]:
        lines: dict[LineKey, Decimal] = {}
        for s in self.segments:
            key = (s.period, s.contribution)
            lines[key] = lines.get(key, ZERO) + s.amount
        return lines

    def by_line(self) -> dict[LineKey, Decimal]:
        """What is owed per line (period, contribution), discounts deducted."""
        lines = self.accrued_by_line()
        for d in self.discounts:
            key = (d.period, d.contribution)
            lines[key] = lines.get(key, ZERO) - d.amount
        return lines

    def with_discounts(self, discounts: tuple[PenaltyDiscount, ...]) -> PenaltyResult:
        """This result with ``discounts`` granted (each at most what its line accrued)."""
        left = self.accrued_by_line()
        kept = []
        for d in discounts:
            key = (d.period, d.contribution)
            amount = min(d.amount, left.get(key, ZERO))
            if amount > 0:
                left[key] -= amount
                kept.append(PenaltyDiscount(d.period, d.contribution, amount, d.document_id))
        granted = sum((d.amount for d in kept), ZERO)
        return PenaltyResult(self.segments, self.accrued - granted, self.policy, tuple(kept))

    def rates_used(self) -> tuple[RateEntry, ...]:
        """The rate-table rows the segments applied, oldest first (each once)."""
        used = {self.policy.entry_on(s.end) for s in self.segments}
        return tuple(sorted(used, key=lambda r: r.effective_from))


def compute_penalty(
    lines: tuple[DebtLine, ...], as_of: dt.date, policy: PenaltyPolicy
) -> PenaltyResult:
    if not policy.enabled:
        return PenaltyResult((), ZERO, policy)
    segments: list[PenaltySegment] = []
    for line in lines:
        if not line.overdue:
            continue
        paid_late = [a for a in line.allocations if a.date > line.due_date]
        for allocation in paid_late:
            segments.append(
                _segment(line, allocation.amount, allocation.date, policy, paid_late=True)
            )
        if line.outstanding > 0:
            segments.append(_segment(line, line.outstanding, as_of, policy))
    total = sum((s.amount for s in segments), ZERO)
    return PenaltyResult(tuple(segments), total, policy)


def _segment(
    line: DebtLine, base: Decimal, end: dt.date, policy: PenaltyPolicy, *, paid_late: bool = False
) -> PenaltySegment:
    days = (end - line.due_date).days
    rate = policy.rate_on(end)
    amount = to_tiyn(base * rate / HUNDRED * days / policy.day_count)
    return PenaltySegment(
        period=line.period,
        contribution=line.contribution,
        base=base,
        rate=rate,
        start=line.due_date + dt.timedelta(days=1),
        end=end,
        days=days,
        amount=amount,
        paid_late=paid_late,
    )
