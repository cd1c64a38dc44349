"""What the delivery contract hands back: who acts, and what an appended event did. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.deliveries.outcome import KZ_TIME
from service.errors import FieldError, ValidationFailed


@dataclass(frozen=True)
class System:
    """Talap itself (a sender, a callback, a job) acting for the document's creditor."""

    name: str

    @property
    def actor(self) -> str:
        return f"system:{self.name}"


@dataclass(frozen=True)
class EventResult:
    delivery_id: str
    event_id: int
    applied: bool
    """Whether the event set the attempt's state (not after a terminal one, not out of order)."""
    outcome: str
    legal_date: dt.date | None
    previous_outcome: str
    previous_legal_date: dt.date | None
    duplicate: bool = False
    """The very same event was recorded before; nothing was added."""

    @property
    def changed(self) -> bool:
        """The legal outcome or its date changed (webhooks announce it)."""
        return (self.outcome, self.legal_date) != (self.previous_outcome, self.previous_legal_date)


def reported_moment(day: dt.date | None, now: dt.datetime) -> dt.datetime:
    """A reported day as a moment: noon in Kazakhstan (the same day in UTC); no day: now."""
    if day is None:
        return now
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=KZ_TIME).astimezone(dt.UTC)


EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
"""The moments an event may carry: a provider's or client's clock outside them is garbage (and a
date near year 1 or 9999 cannot even be turned into a day in Kazakhstan)."""


def moment_out_of_range(moment: dt.datetime) -> bool:
    """Whether an aware ``moment`` lies outside ``EARLIEST`` … ``LATEST``."""
    try:
        utc = moment.astimezone(dt.UTC)
    except OverflowError:
        return True
    return not EARLIEST <= utc < LATEST


def check_day(issue_date: dt.date, day: dt.date | None, today: dt.date, path: str) -> None:
    """A reported day may be neither before the document's issue date nor ahead of today."""
    if day is None:
        return
    errors = []
    if day < issue_date:
        errors.append(
            FieldError(
                path,
                "before_issue_date",
                f"{day.isoformat()} is before the document was issued ({issue_date.isoformat()})",
            )
        )
    if day > today:
        errors.append(FieldError(path, "in_future", "a delivery cannot be dated ahead"))
    if errors:
        raise ValidationFailed(errors)
