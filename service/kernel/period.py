"""A billing month (``2026-03``): the period a monthly contribution is charged for."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

FIRST_YEAR = 1900
LAST_YEAR = 2100
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text)
        if not match:
            raise ValueError("must be a month as YYYY-MM, e.g. 2026-03")
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            # Year 0 is no date, and a due date after 9999-12 leaves the calendar (D9).
            raise ValueError(f"the year must lie between {FIRST_YEAR} and {LAST_YEAR}")
        return cls(year, int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
