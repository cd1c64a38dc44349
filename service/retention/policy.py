"""Retention periods and which cases have reached the end of theirs. Pure.

A case is *closed* when its principal is settled (payments cover every charge); its retention
runs from its last activity. Past the end, and with no legal hold, its personal data is
anonymised (``service.retention.service``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class RetentionPeriod:
    id: str
    years: int
    status: str
    """``to-confirm`` until a lawyer confirms the number of years (the research names none)."""
    informed_by: tuple[str, ...]
    starts: str


@dataclass(frozen=True)
class RetentionPolicy:
    period: RetentionPeriod
    keep_signed_pdfs: bool


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` later; 29 February becomes 28 February (ГК 174's month-end rule
    applied to years)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class CaseFacts:
    """What retention needs to know about one case."""

    case_id: str
    creditor_id: str
    external_id: str
    charged_tiyn: int
    paid_tiyn: int
    last_activity: dt.date
    on_hold: bool
    anonymised: bool

    @property
    def settled(self) -> bool:
        return self.paid_tiyn >= self.charged_tiyn


class Verdict(StrEnum):
    ANONYMISE = "anonymise"
    HELD = "held"
    """Past retention, but a legal hold keeps it."""
    OPEN = "open"
    """Principal still owed: the case is not closed."""
    RETAINED = "retained"
    """Closed, but its period has not ended."""
    DONE = "done"
    """Already anonymised."""


@dataclass(frozen=True)
class Assessment:
    facts: CaseFacts
    verdict: Verdict
    retention_ends: dt.date | None


def assess(facts: CaseFacts, period: RetentionPeriod, today: dt.date) -> Assessment:
    if facts.anonymised:
        return Assessment(facts, Verdict.DONE, None)
    if not facts.settled:
        return Assessment(facts, Verdict.OPEN, None)
    ends = add_years(facts.last_activity, period.years)
    if today <= ends:
        return Assessment(facts, Verdict.RETAINED, ends)
    if facts.on_hold:
        return Assessment(facts, Verdict.HELD, ends)
    return Assessment(facts, Verdict.ANONYMISE, ends)
