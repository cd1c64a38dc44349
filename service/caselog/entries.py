"""What each kind of log entry must and may carry: pure checks, every problem at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from service.errors import FieldError


class EntryKind(StrEnum):
    CALL = "call"
    """A telephone call with the debtor: what was said."""
    VISIT = "visit"
    """A visit to the debtor's door: what happened."""
    PROMISE = "promise"
    """The debtor promised to pay ``amount`` by ``promised_date``."""
    HARDSHIP = "hardship"
    """The debtor's hardship (illness, lost income…), optionally ``until`` a date."""
    REQUEST = "request"
    """The debtor's request, and the answer given and its date once answered."""


OPTIONAL = ("author",)
REQUIRED: Mapping[EntryKind, tuple[str, ...]] = {
    EntryKind.CALL: ("note",),
    EntryKind.VISIT: ("note",),
    EntryKind.PROMISE: ("promised_date", "amount"),
    EntryKind.HARDSHIP: ("note",),
    EntryKind.REQUEST: ("request",),
}
ALLOWED: Mapping[EntryKind, tuple[str, ...]] = {
    EntryKind.CALL: ("note",),
    EntryKind.VISIT: ("note",),
    EntryKind.PROMISE: ("promised_date", "amount", "note"),
    EntryKind.HARDSHIP: ("note", "until"),
    EntryKind.REQUEST: ("request", "answer", "answered_on", "note"),
}
FIELDS = ("note", "promised_date", "amount", "until", "request", "answer", "answered_on")


def entry_problems(kind: EntryKind, values: Mapping[str, Any], today: dt.date) -> list[FieldError]:
    """Every problem of an entry of ``kind`` with these field ``values`` (``None``: not sent)
    recorded on ``today``."""
    problems = [
        FieldError(name, "required", f"a {kind.value} entry needs {name}")
        for name in REQUIRED[kind]
        if values.get(name) is None
    ]
    problems += [
        FieldError(name, "not_allowed", f"a {kind.value} entry has no {name}")
        for name in FIELDS
        if name not in ALLOWED[kind] and values.get(name) is not None
    ]
    promised = values.get("promised_date")
    if kind is EntryKind.PROMISE and promised is not None and promised < today:
        problems.append(
            FieldError(
                "promised_date",
                "in_past",
                f"{promised.isoformat()} has passed: a promise is to pay from today on",
            )
        )
    until = values.get("until")
    if kind is EntryKind.HARDSHIP and until is not None and until < today:
        problems.append(
            FieldError(
                "until",
                "in_past",
                f"{until.isoformat()} has passed: to end a hardship, note it until today",
            )
        )
    if kind is EntryKind.REQUEST:
        answer, answered_on = values.get("answer"), values.get("answered_on")
        if (answer is None) != (answered_on is None):
            missing = "answered_on" if answered_on is None else "answer"
            problems.append(FieldError(missing, "required", "an answer is recorded with its date"))
        if answered_on is not None and answered_on > today:
            problems.append(
                FieldError("answered_on", "in_future", "an answer cannot be dated ahead")
            )
    return problems
