"""The only place that reads the system clock; everything else is handed a ``Clock``."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

ALMATY = dt.timezone(dt.timedelta(hours=5), "Asia/Almaty")


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    def today(self) -> dt.date: ...


class SystemClock:
    """Wall clock; business dates are taken in Kazakhstan time (UTC+5 since 2024-03-01)."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return dt.datetime.now(ALMATY).date()


class FixedClock:
    """A clock that stands still until moved (tests, demos, back-dated batch runs)."""

    def __init__(self, today: dt.date, now: dt.datetime | None = None) -> None:
        self._today = today
        self._now = now or dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)

    def move_to(self, today: dt.date) -> None:
        self._today = today
        self._now = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        """Move the moment (and with it the day in Kazakhstan) by ``delta``."""
        self._now += delta
        self._today = self._now.astimezone(ALMATY).date()

    def now(self) -> dt.datetime:
        return self._now

    def today(self) -> dt.date:
        return self._today
