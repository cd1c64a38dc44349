"""A gateway's delivery report, read and mapped to Talap's delivery statuses.

The report is JSON: ``message_id`` (the gateway's id, as its send answer gave it) or
``reference`` (ours: the outbox id it was sent under — a report may arrive before the send's
answer), ``status`` in the gateway's vocabulary, optional ``at`` (ISO 8601 with zone: when it
happened; default: when the report arrived) and ``error`` (the gateway's error code).

Status vocabulary (the SMPP delivery-receipt ``stat`` values most gateways pass through, and
Talap's own names for gateways that speak them):

========================  ====================  ==========================================
gateway                   Talap                 why
========================  ====================  ==========================================
ENROUTE, BUFFERED         sending               with the operator, not yet on the handset
ACCEPTD, ACCEPTED, SENT   sent                  the operator took it
DELIVRD, DELIVERED        delivered             the handset received it (terminal)
EXPIRED                   permanent_failure     validity ran out undelivered; the SMSC stops
UNDELIV, UNDELIVERABLE    permanent_failure     the operator gave up (number dead, barred)
REJECTD, REJECTED         permanent_failure     refused by the operator or the gateway
DELETED                   permanent_failure     removed before delivery
UNKNOWN                   temporary_failure     the operator does not know yet; not terminal
========================  ====================  ==========================================

Anything else is refused (422 naming ``status``), so a new word is noticed instead of guessed.
Pure.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from service.errors import FieldError, ValidationFailed

STATUSES: dict[str, str] = {
    "ENROUTE": "sending",
    "BUFFERED": "sending",
    "ACCEPTD": "sent",
    "ACCEPTED": "sent",
    "SENT": "sent",
    "DELIVRD": "delivered",
    "DELIVERED": "delivered",
    "EXPIRED": "permanent_failure",
    "UNDELIV": "permanent_failure",
    "UNDELIVERABLE": "permanent_failure",
    "REJECTD": "permanent_failure",
    "REJECTED": "permanent_failure",
    "DELETED": "permanent_failure",
    "UNKNOWN": "temporary_failure",
}
TALAP_STATUSES = ("sending", "sent", "delivered", "temporary_failure", "permanent_failure")


@dataclass(frozen=True)
class Report:
    message_id: str | None
    reference: str | None
    gateway_status: str
    status: str
    """Talap's status (``STATUSES``)."""
    at: dt.datetime | None
    error: str | None


def map_status(value: str) -> str | None:
    word = value.strip()
    if word.lower() in TALAP_STATUSES:
        return word.lower()
    return STATUSES.get(word.upper())


def read_report(body: bytes) -> Report:
    """The report in ``body``; every problem at once as field errors (422)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed([FieldError("body", "invalid_json", "not JSON")]) from None
    if not isinstance(data, dict):
        raise ValidationFailed([FieldError("body", "invalid_type", "a JSON object is expected")])
    errors: list[FieldError] = []
    message_id = _text(data, "message_id", errors)
    reference = _text(data, "reference", errors)
    if message_id is None and reference is None:
        errors.append(FieldError("message_id", "required", "message_id or reference is needed"))
    raw_status = data.get("status")
    status = map_status(raw_status) if isinstance(raw_status, str) else None
    if status is None:
        errors.append(
            FieldError(
                "status",
                "unknown_status",
                f"{raw_status!r} is not a known delivery status ({', '.join(STATUSES)})",
            )
        )
    at = None
    if data.get("at") is not None:
        try:
            at = dt.datetime.fromisoformat(str(data["at"]))
        except ValueError:
            errors.append(FieldError("at", "invalid_datetime", "ISO 8601 with a zone expected"))
        else:
            if at.tzinfo is None:
                errors.append(FieldError("at", "naive_datetime", "the moment needs its zone"))
                at = None
    error = _text(data, "error", errors)
    if errors:
        raise ValidationFailed(errors)
    assert status is not None and isinstance(raw_status, str)
    return Report(message_id, reference, raw_status.strip()[:32], status, at, error)


def _text(data: dict[str, object], name: str, errors: list[FieldError]) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        errors.append(FieldError(name, "invalid_type", "a non-empty string is expected"))
        return None
    text = str(value).strip()
    if len(text) > 100:
        errors.append(FieldError(name, "too_long", "at most 100 characters"))
        return None
    return text
