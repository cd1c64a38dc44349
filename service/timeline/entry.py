"""Timeline entries, the filter a reader asks for, and their order. Pure.

An entry is about a day (``on``: a charge's due date, a payment's date, a delivery's legal
date…) and, when the thing was recorded at a known moment, that moment (``at``). The order is
stable: by day, then moment (entries of a day without one first), then kind, then the sequence
of the rows they come from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ALMATY = dt.timezone(dt.timedelta(hours=5), "Asia/Almaty")
"""Business dates are Kazakhstan dates (``service.clock``): a moment's day is taken there."""


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    DOCUMENT = "document"
    DELIVERY = "delivery"
    AGREEMENT = "agreement"
    ACKNOWLEDGMENT = "acknowledgment"
    HARDSHIP = "hardship"
    LOG = "log"
    """Case-log entries (calls, visits, promises, requests): ``service.caselog`` when present."""
    DECISION = "decision"
    AUDIT = "audit"
    """Selects the audit events (the response's ``events``); no ``entries`` have this kind."""


_ORDER = {kind: index for index, kind in enumerate(EntryKind)}


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    on: dt.date
    event: str
    """What happened: ``charged``, ``paid``, ``issued``, ``delivered``, ``signed``, ``refused``…"""
    ref: str
    """The id of the row it comes from (a document id, a delivery id, a decision id…)."""
    details: Mapping[str, Any]
    at: dt.datetime | None = None
    sequence: int = 0

    def sort_key(self) -> tuple[dt.date, dt.datetime, int, int]:
        moment = self.at or dt.datetime.combine(self.on, dt.time.min, tzinfo=ALMATY)
        return (self.on, moment, _ORDER[self.kind], self.sequence)


def day_of(moment: dt.datetime) -> dt.date:
    """The Kazakhstan date of a moment."""
    return moment.astimezone(ALMATY).date()


@dataclass(frozen=True)
class Window:
    """What a reader asked for: days from ``since`` to ``until`` (both inclusive, either open),
    and the kinds (none: every kind)."""

    since: dt.date | None = None
    until: dt.date | None = None
    kinds: frozenset[EntryKind] = field(default_factory=frozenset)

    def wants(self, kind: EntryKind) -> bool:
        return not self.kinds or kind in self.kinds

    def covers(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def admits(self, entry: Entry) -> bool:
        return self.wants(entry.kind) and self.covers(entry.on)

    def moments(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The window as moments: [start of ``since``, start of the day after ``until``)."""
        # A bound at the calendar's edge (0001-01-01, 9999-12-31) leaves that side open: the
        # moment after 9999-12-31 (or its UTC form) does not exist.
        edge = dt.timedelta(days=1)
        start = (
            dt.datetime.combine(self.since, dt.time.min, tzinfo=ALMATY)
            if self.since and self.since > dt.date.min + edge
            else None
        )
        end = (
            dt.datetime.combine(self.until + edge, dt.time.min, tzinfo=ALMATY)
            if self.until and self.until < dt.date.max - edge
            else None
        )
        return start, end


def ordered(entries: Iterable[Entry], window: Window) -> list[Entry]:
    """The entries the window admits, in timeline order (stable)."""
    return sorted((e for e in entries if window.admits(e)), key=Entry.sort_key)
