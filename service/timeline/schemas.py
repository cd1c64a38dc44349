"""The timeline as the API returns it (inside ``GET /v1/cases/{id}/history``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.kit.fields import Out
from service.timeline.entry import Entry, Window


class TimelineEntryOut(Out):
    kind: str
    """``charge``, ``payment``, ``document``, ``delivery``, ``agreement``, ``acknowledgment``,
    ``hardship``, ``log`` or ``decision``."""
    date: dt.date
    """The day it is about (a charge's due date, a delivery's legal date…), Kazakhstan time."""
    at: dt.datetime | None
    """When it was recorded, where known."""
    event: str
    id: str
    details: dict[str, Any]

    @classmethod
    def of(cls, entry: Entry) -> TimelineEntryOut:
        return cls(
            kind=entry.kind.value,
            date=entry.on,
            at=entry.at,
            event=entry.event,
            id=entry.ref,
            details=dict(entry.details),
        )


class TimelineFilterOut(Out):
    since: dt.date | None
    until: dt.date | None
    kinds: list[str]
    """Empty: every kind."""

    @classmethod
    def of(cls, window: Window) -> TimelineFilterOut:
        return cls(
            since=window.since, until=window.until, kinds=sorted(k.value for k in window.kinds)
        )
