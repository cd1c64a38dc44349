"""Delivery attempts and events as clients send them and as returned.

The contract payload (``tests/fixtures/delivery.json``: channel, status, delivered_at,
tracking_number, note) is accepted as it is: it records a client-reported attempt with one event.
Its statuses map onto the event statuses: ``failed`` → ``permanent_failure``, ``pending`` →
``queued``; ``delivered``, ``returned`` and ``refused`` are the same. Without ``status`` the
attempt is sent through the channel's sender (``service.deliveries.senders``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from service.deliveries.attempts import moment_out_of_range
from service.deliveries.models import DeliveryEventRow, DeliveryProofRow, DeliveryRow
from service.deliveries.outcome import Outcome
from service.kit.fields import In, Note, Out

DeliveryChannel = Literal[
    "registered_post", "courier", "hand_delivery", "hand", "email", "sms", "portal", "post"
]
EventStatusName = Literal[
    "queued",
    "sending",
    "sent",
    "delivered",
    "temporary_failure",
    "permanent_failure",
    "refused",
    "returned",
]
ReportedStatus = Literal[
    "delivered",
    "returned",
    "refused",
    "failed",
    "pending",
    "queued",
    "sending",
    "sent",
    "temporary_failure",
    "permanent_failure",
]
REPORTED = {"failed": "permanent_failure", "pending": "queued"}
"""The contract's statuses that are not event statuses, and the event each one records."""
DATED = ("delivered", "returned", "refused")
MAX_DETAILS_BYTES = 16 * 1024


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _plain_json(value: dict[str, Any]) -> dict[str, Any]:
    """Details are stored as JSON and shown back: finite numbers only (``NaN`` is no JSON),
    no NUL character, at most 16 KiB written out."""
    try:
        written = json.dumps(value, allow_nan=False)
    except ValueError:
        raise PydanticCustomError(
            "not_finite", "numbers must be finite (no NaN, Infinity)", {}
        ) from None
    if _has_nul(value):
        raise PydanticCustomError("control_character", "no NUL character in details", {})
    if len(written) > MAX_DETAILS_BYTES:
        raise PydanticCustomError("too_large", "details: at most 16 KiB as JSON", {})
    return value


Details = Annotated[dict[str, Any], Field(max_length=50), AfterValidator(_plain_json)]


class DeliveryIn(In):
    """A delivery attempt. With ``status``: what happened, as the client reports it
    (``delivered_at`` is the legal delivery, return or refusal date). Without: send it."""

    channel: DeliveryChannel
    status: ReportedStatus | None = None
    delivered_at: dt.date | None = None
    tracking_number: Annotated[str, Field(max_length=100)] | None = None
    recipient: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _outcome_needs_date(self) -> DeliveryIn:
        if self.status in DATED and self.delivered_at is None:
            raise PydanticCustomError(
                "delivered_at_required",
                "a {status} outcome needs delivered_at: waiting periods count from that date",
                {"status": self.status, "field": "delivered_at"},
            )
        if self.status is None and self.delivered_at is not None:
            raise PydanticCustomError(
                "status_required",
                "delivered_at without status: give the status that happened on that date",
            )
        return self


class EventIn(In):
    """One event for an attempt: what happened and when (``occurred_at``, or ``occurred_on``
    for a day only, e.g. the date on a return receipt)."""

    status: ReportedStatus
    occurred_at: dt.datetime | None = None
    occurred_on: dt.date | None = None
    details: Details | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _when(self) -> EventIn:
        if self.occurred_at is not None and self.occurred_on is not None:
            raise PydanticCustomError("one_of", "give occurred_at or occurred_on, not both", {})
        if self.occurred_at is not None and self.occurred_at.tzinfo is None:
            raise PydanticCustomError(
                "timezone_required", "occurred_at needs its offset (e.g. +05:00 or Z)", {}
            )
        if self.occurred_at is not None and moment_out_of_range(self.occurred_at):
            raise PydanticCustomError(
                "out_of_range", "occurred_at must lie between 1970 and 9000", {}
            )
        if self.status in DATED and self.occurred_at is None and self.occurred_on is None:
            raise PydanticCustomError(
                "occurred_required",
                "a {status} event needs occurred_at or occurred_on: waiting periods count "
                "from that date",
                {"status": self.status},
            )
        return self


class ProofOut(Out):
    filename: str
    content_type: str
    sha256: str
    size: int
    event_id: int | None


class EventOut(Out):
    id: int
    status: str
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    source: str
    details: dict[str, Any]
    receipt_sha256: str | None
    receipt_size: int | None
    applied: bool
    """False when it arrived after a terminal state (or before the state it would replace):
    kept and shown, not applied."""


class OutcomeOut(Out):
    state: Literal["delivered", "refused", "returned", "not_delivered", "unknown"]
    legal_date: dt.date | None
    counts_as_delivered: bool
    """Whether waiting periods run from ``legal_date`` under the creditor's policy today."""
    reason: str
    """``none`` when it counts; otherwise why not (``permanent_failure``, ``returned``,
    ``refused``, ``no_receipt``, ``in_transit``, ``temporary_failure``, ``no_event``)."""


class DeliveryOut(Out):
    id: str
    document_id: str
    channel: str
    status: str
    """The attempt's state: the event status in force."""
    delivered_at: dt.date | None
    """The legal date (as ``outcome.legal_date``), kept for the contract."""
    outcome: OutcomeOut
    tracking_number: str | None
    recipient: str | None
    note: str | None
    recorded_at: dt.datetime
    updated_at: dt.datetime
    events: list[EventOut]
    proofs: list[ProofOut]


class AppendedOut(Out):
    event: EventOut
    outcome_changed: bool
    duplicate: bool
    """The same event (status, moment, source, receipt) was already recorded: nothing added."""
    delivery: DeliveryOut


def delivery_out(
    row: DeliveryRow,
    events: list[DeliveryEventRow],
    proofs: list[DeliveryProofRow],
    facts: Outcome,
    applied: frozenset[int],
) -> DeliveryOut:
    """An attempt with its events (each marked applied or not), proofs and legal outcome."""
    return DeliveryOut(
        id=row.id,
        document_id=row.document_id,
        channel=row.channel,
        status=row.state,
        delivered_at=row.legal_date,
        outcome=OutcomeOut(
            state=facts.state.value,
            legal_date=facts.legal_date,
            counts_as_delivered=facts.counts_as_delivered,
            reason=facts.reason.value,
        ),
        tracking_number=row.tracking_number,
        recipient=row.recipient,
        note=row.note,
        recorded_at=row.recorded_at,
        updated_at=row.updated_at,
        events=[
            EventOut(
                id=e.id,
                status=e.status,
                occurred_at=e.occurred_at,
                recorded_at=e.recorded_at,
                source=e.source,
                details=e.details,
                receipt_sha256=e.receipt_sha256,
                receipt_size=e.receipt_size,
                applied=e.id in applied,
            )
            for e in events
        ],
        proofs=[
            ProofOut(
                filename=p.filename,
                content_type=p.content_type,
                sha256=p.sha256,
                size=p.size,
                event_id=p.event_id,
            )
            for p in proofs
        ],
    )
