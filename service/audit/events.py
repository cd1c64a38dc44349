"""The events the audit log records, one class each, named in the past tense.

Each event knows its ``subject`` (what it is about) and its ``payload`` (the facts worth proving
later). Payloads hold identifiers, numbers, hashes and dates — never a debtor's name or ИИН.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class AuditEvent:
    action: ClassVar[str]

    @property
    def subject(self) -> str:
        raise NotImplementedError

    def payload(self) -> dict[str, Any]:
        raise NotImplementedError


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class CreditorRegistered(AuditEvent):
    action: ClassVar[str] = "CreditorRegistered"
    creditor_id: str
    bin: str
    form: str

    @property
    def subject(self) -> str:
        return f"creditor:{self.creditor_id}"

    def payload(self) -> dict[str, Any]:
        return {"bin": self.bin, "form": self.form}


@dataclass(frozen=True)
class MandateRecorded(AuditEvent):
    """A meeting or board decision giving the chairman a power was recorded (or replaced)."""

    action: ClassVar[str] = "MandateRecorded"
    creditor_id: str
    power: str
    body: str
    protocol_number: str
    protocol_date: dt.date

    @property
    def subject(self) -> str:
        return f"creditor:{self.creditor_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "power": self.power,
            "body": self.body,
            "protocol": {"number": self.protocol_number, "date": self.protocol_date.isoformat()},
        }


@dataclass(frozen=True)
class ApiKeyCreated(AuditEvent):
    action: ClassVar[str] = "ApiKeyCreated"
    key_id: str
    role: str
    prefix: str

    @property
    def subject(self) -> str:
        return f"api_key:{self.key_id}"

    def payload(self) -> dict[str, Any]:
        return {"role": self.role, "prefix": self.prefix}


@dataclass(frozen=True)
class CaseCreated(AuditEvent):
    action: ClassVar[str] = "CaseCreated"
    external_id: str
    charges: int
    payments: int

    @property
    def subject(self) -> str:
        return f"case:{self.external_id}"

    def payload(self) -> dict[str, Any]:
        return {"charges": self.charges, "payments": self.payments}


@dataclass(frozen=True)
class CaseReplaced(CaseCreated):
    """A later PUT of the same case: the ledger the client sent replaced the stored one."""

    action: ClassVar[str] = "CaseReplaced"


@dataclass(frozen=True)
class DocumentIssued(AuditEvent):
    action: ClassVar[str] = "DocumentIssued"
    document_id: str
    number: str
    kind: str
    sha256: str
    case: str
    template_version: str

    @property
    def subject(self) -> str:
        return f"document:{self.document_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "sha256": self.sha256,
            "case": self.case,
            "template_version": self.template_version,
        }


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
            "delivered_at": _iso(self.delivered_at),
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
            "legal_date": _iso(self.legal_date),
        }


@dataclass(frozen=True)
class AgreementSigned(AuditEvent):
    action: ClassVar[str] = "AgreementSigned"
    document_id: str
    agreement_id: str
    signed_on: dt.date
    note: str | None

    @property
    def subject(self) -> str:
        return f"document:{self.document_id}"

    def payload(self) -> dict[str, Any]:
        signed = self.signed_on.isoformat()
        return {
            "agreement": self.agreement_id,
            "signed_on": signed,
            "acknowledgment": {"date": signed, "source": "agreement"},
            "note": self.note,
        }


@dataclass(frozen=True)
class AcknowledgmentRecorded(AuditEvent):
    action: ClassVar[str] = "AcknowledgmentRecorded"
    external_id: str
    acknowledgment_id: str
    date: dt.date
    source: str

    @property
    def subject(self) -> str:
        return f"case:{self.external_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "acknowledgment": self.acknowledgment_id,
            "date": self.date.isoformat(),
            "source": self.source,
        }


@dataclass(frozen=True)
class HardshipRecorded(AuditEvent):
    action: ClassVar[str] = "HardshipRecorded"
    external_id: str
    date: dt.date
    active: bool

    @property
    def subject(self) -> str:
        return f"case:{self.external_id}"

    def payload(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "active": self.active}


@dataclass(frozen=True)
class PolicyChanged(AuditEvent):
    action: ClassVar[str] = "PolicyChanged"
    creditor_id: str
    effective_from: dt.date
    overrides: dict[str, dict[str, Any]]

    @property
    def subject(self) -> str:
        return f"creditor:{self.creditor_id}"

    def payload(self) -> dict[str, Any]:
        return {"effective_from": self.effective_from.isoformat(), "overrides": self.overrides}


@dataclass(frozen=True)
class CaseLogEntryAdded(AuditEvent):
    """A call, visit, promise to pay, hardship note or debtor's request was logged on a case.

    The texts (and the author's name) may hold personal data, so the payload carries their
    SHA-256 (``content``: the entry as stored, canonical JSON) and only dates and amounts."""

    action: ClassVar[str] = "CaseLogEntryAdded"
    external_id: str
    entry_id: int
    kind: str
    content_sha256: str
    promised_date: dt.date | None = None
    amount: str | None = None
    until: dt.date | None = None
    answered_on: dt.date | None = None

    @property
    def subject(self) -> str:
        return f"case:{self.external_id}"

    def payload(self) -> dict[str, Any]:
        facts = {
            "promised_date": _iso(self.promised_date),
            "amount": self.amount,
            "until": _iso(self.until),
            "answered_on": _iso(self.answered_on),
        }
        return {
            "entry": self.entry_id,
            "kind": self.kind,
            "content": self.content_sha256,
            **{name: value for name, value in facts.items() if value is not None},
        }


@dataclass(frozen=True)
class RuleDecisionRecorded(AuditEvent):
    """The rules allowed or refused a real issuing attempt (a refusal is recorded after the
    issuing transaction rolled back, in its own)."""

    action: ClassVar[str] = "RuleDecisionRecorded"
    external_id: str
    decision_id: int
    kind: str
    outcome: str
    failed_rules: tuple[str, ...]
    passes_on: dt.date | None
    document_id: str | None

    @property
    def subject(self) -> str:
        return f"case:{self.external_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "decision": self.decision_id,
            "kind": self.kind,
            "outcome": self.outcome,
            "failed_rules": list(self.failed_rules),
            "passes_on": _iso(self.passes_on),
            "document": self.document_id,
        }


@dataclass(frozen=True)
class LegalHoldPlaced(AuditEvent):
    """A legal hold on a case: nothing of it is deleted or anonymised while it holds. The
    reason is free text (it may name people): the hold's row keeps it, the log its SHA-256."""

    action: ClassVar[str] = "LegalHoldPlaced"
    external_id: str
    reason_sha256: str

    @property
    def subject(self) -> str:
        return f"case:{self.external_id}"

    def payload(self) -> dict[str, Any]:
        return {"reason_sha256": self.reason_sha256}


@dataclass(frozen=True)
class LegalHoldLifted(LegalHoldPlaced):
    action: ClassVar[str] = "LegalHoldLifted"


@dataclass(frozen=True)
class CaseAnonymised(AuditEvent):
    """A case past its retention period had its personal data replaced; numbers, hashes and
    the log are kept (and still verify)."""

    action: ClassVar[str] = "CaseAnonymised"
    external_id: str
    policy: str
    retention_ended_on: dt.date
    documents: int
    archive_objects_kept: int

    @property
    def subject(self) -> str:
        return f"case:{self.external_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "retention_ended_on": self.retention_ended_on.isoformat(),
            "documents": self.documents,
            "archive_objects_kept": self.archive_objects_kept,
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
class WebSessionStarted(AuditEvent):
    """Someone logged in to the web pages with this API key (the key itself is never stored)."""

    action: ClassVar[str] = "WebSessionStarted"
    key_id: str
    role: str
    expires_at: dt.datetime

    @property
    def subject(self) -> str:
        return f"api_key:{self.key_id}"

    def payload(self) -> dict[str, Any]:
        return {"role": self.role, "expires_at": self.expires_at.isoformat()}


@dataclass(frozen=True)
class WebSessionEnded(AuditEvent):
    """The web session opened with this API key was closed by logging out."""

    action: ClassVar[str] = "WebSessionEnded"
    key_id: str
    role: str

    @property
    def subject(self) -> str:
        return f"api_key:{self.key_id}"

    def payload(self) -> dict[str, Any]:
        return {"role": self.role}
