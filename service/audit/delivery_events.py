"""Audit events of reaching people: delivery attempts and their provider events, post lists, and
the client webhooks that announce them. As every event: identifiers, hashes and dates only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from service.audit.events import AuditEvent, iso_day


@dataclass(frozen=True)
class DeliveryRecorded(AuditEvent):
    """Before attempts had events (migration 0010): one recorded outcome. Kept so the chain's
    earlier entries keep their meaning; no longer recorded."""

    action: ClassVar[str] = "DeliveryRecorded"
    document_id: str
    delivery_id: str
    channel: str
    status: str
    delivered_at: dt.date | None
    proofs: tuple[str, ...]

    @property
    def subject(self) -> str:
        return f"document:{self.document_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "delivery": self.delivery_id,
            "channel": self.channel,
            "status": self.status,
            "delivered_at": iso_day(self.delivered_at),
            "proofs": list(self.proofs),
        }


@dataclass(frozen=True)
class DeliveryAttemptStarted(AuditEvent):
    """A delivery attempt was opened (by the client's report, or to send); never the recipient."""

    action: ClassVar[str] = "DeliveryAttemptStarted"
    document_id: str
    delivery_id: str
    channel: str
    tracking_number: str | None

    @property
    def subject(self) -> str:
        return f"document:{self.document_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "delivery": self.delivery_id,
            "channel": self.channel,
            "tracking_number": self.tracking_number,
        }


@dataclass(frozen=True)
class DeliveryEventAppended(AuditEvent):
    """A provider's (or the client's) event for an attempt; ``applied`` false when it arrived
    after a terminal state or out of order and changed nothing."""

    action: ClassVar[str] = "DeliveryEventAppended"
    document_id: str
    delivery_id: str
    event_id: int
    status: str
    occurred_at: dt.datetime
    source: str
    receipt_sha256: str | None
    proofs: tuple[str, ...]
    applied: bool

    @property
    def subject(self) -> str:
        return f"document:{self.document_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "delivery": self.delivery_id,
            "event": self.event_id,
            "status": self.status,
            "occurred_at": self.occurred_at.isoformat(),
            "source": self.source,
            "receipt_sha256": self.receipt_sha256,
            "proofs": list(self.proofs),
            "applied": self.applied,
        }


@dataclass(frozen=True)
class DeliveryOutcomeChanged(AuditEvent):
    """An attempt's legal outcome (or its legal date) changed: waiting periods may now run."""

    action: ClassVar[str] = "DeliveryOutcomeChanged"
    document_id: str
    delivery_id: str
    previous: str
    outcome: str
    legal_date: dt.date | None

    @property
    def subject(self) -> str:
        return f"document:{self.document_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "delivery": self.delivery_id,
            "previous": self.previous,
            "outcome": self.outcome,
            "legal_date": iso_day(self.legal_date),
        }


@dataclass(frozen=True)
class PostListCreated(AuditEvent):
    """A numbered list of letters for the post office, a courier or hand delivery was made, one
    delivery attempt per letter (addresses and names stay out of the payload)."""

    action: ClassVar[str] = "PostListCreated"
    list_id: str
    number: str
    channel: str
    date: dt.date
    lines: tuple[tuple[str, str, str | None], ...]
    """(document id, delivery attempt id, tracking number) per line, in the list's order."""

    @property
    def subject(self) -> str:
        return f"post_list:{self.list_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "channel": self.channel,
            "date": self.date.isoformat(),
            "lines": [
                {"document": document, "delivery": delivery, "tracking_number": tracking}
                for document, delivery, tracking in self.lines
            ],
        }


@dataclass(frozen=True)
class WebhookEndpointSaved(AuditEvent):
    """A creditor registered or replaced a webhook endpoint (never the secret, only whether a
    new one was set)."""

    action: ClassVar[str] = "WebhookEndpointSaved"
    endpoint_id: str
    name: str
    url: str
    events: tuple[str, ...]
    secret_set: bool

    @property
    def subject(self) -> str:
        return f"webhook:{self.endpoint_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "events": list(self.events),
            "secret_set": self.secret_set,
        }


@dataclass(frozen=True)
class WebhookEndpointDeleted(AuditEvent):
    action: ClassVar[str] = "WebhookEndpointDeleted"
    endpoint_id: str
    name: str

    @property
    def subject(self) -> str:
        return f"webhook:{self.endpoint_id}"

    def payload(self) -> dict[str, Any]:
        return {"name": self.name}
