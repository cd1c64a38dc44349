"""Periods and working days, per ГК РК arts. 173–175 (research §10.7).

- A period in months ends on the same date of the last month; if that month has no such date,
  on its last day (ГК 174 p. 3): 31 December + 2 months ends 28 (29) February.
- If the last day of a period is a non-working day, the period ends on the next working day
  (ГК 175).

Which days are non-working is data (``legal/calendar/``), handed in as a ``WorkCalendar``.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the end of a shorter month (ГК 174 p. 3)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last_day))


@dataclass(frozen=True)
class WorkCalendar:
    """Non-working days: weekends (Saturday, Sunday) and holidays, minus weekends made working.

    ``holidays`` are days off by law or government transfer; ``working_weekends`` are Saturdays
    or Sundays declared working days by a transfer.
    """

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    working_weekends: frozenset[dt.date] = field(default_factory=frozenset)
    weekend: frozenset[int] = frozenset({5, 6})

    @classmethod
    def of(
        cls, holidays: Iterable[dt.date] = (), working_weekends: Iterable[dt.date] = ()
    ) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(working_weekends))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day.weekday() in self.weekend:
            return day in self.working_weekends
        return True

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def term_from_receipt(
        self, issued: dt.date, deadline: dt.date, received: dt.date | None
    ) -> dt.date:
        """A letter's time to pay (``deadline`` − ``issued`` days) counted from the day it was
        received, never before the printed deadline, on a working day (ГК 175; research A.5:
        waiting periods start at delivery). Not received: the printed deadline."""
        end = deadline if received is None else max(deadline, received + (deadline - issued))
        return self.next_working_day(end)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        current = start
        remaining = days
        while remaining > 0:
            current += ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current


WEEKENDS_ONLY = WorkCalendar()


def period_end(start: dt.date, months: int, calendar: WorkCalendar) -> dt.date:
    """Last day of a period of ``months`` counted from ``start`` (ГК 174 p. 3, ГК 175)."""
    return calendar.next_working_day(add_months(start, months))
