"""A case log entry as a client sends it, and the log as returned."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from service.kit.fields import Amount, In, LineText, NoteText, Out

Kind = Literal["call", "visit", "promise", "hardship", "request"]


class LogEntryIn(In):
    """One entry. Which fields an entry takes depends on ``kind``:

    - ``call``, ``visit``: ``note`` (what was said or happened);
    - ``promise``: ``promised_date`` (today or later) and ``amount``; ``note`` optional;
    - ``hardship``: ``note``; ``until`` optional (today or later; none: until a later note);
    - ``request``: ``request`` (what the debtor asked); ``answer`` with ``answered_on`` once
      answered; ``note`` optional.

    ``author`` names the person (a caller, a visitor); without it, the API key is the author.
    The time is the server's. Texts refuse control characters and bidirectional controls.
    """

    kind: Kind
    author: LineText | None = None
    note: NoteText | None = None
    promised_date: dt.date | None = None
    amount: Amount | None = None
    until: dt.date | None = None
    request: NoteText | None = None
    answer: NoteText | None = None
    answered_on: dt.date | None = None


class PromiseOut(Out):
    state: Literal["kept", "broken", "pending"]
    """From the case's payments dated from the promise to its date, as of ``as_of``."""
    paid: str
    kept_on: dt.date | None


class LogEntryOut(Out):
    id: int
    case: str
    kind: Kind
    recorded_at: dt.datetime
    author: str
    """The name given, or the API key (``api_key:…``) that recorded it."""
    actor: str
    note: str | None
    promised_date: dt.date | None
    amount: str | None
    until: dt.date | None
    request: str | None
    answer: str | None
    answered_on: dt.date | None
    promise: PromiseOut | None
    """For a promise: kept, broken or pending."""
    hardship_open: bool | None
    """For a hardship note: whether it is the one in force today."""


class CaseLogOut(Out):
    case: str
    as_of: dt.date
    entries: list[LogEntryOut]
