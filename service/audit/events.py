"""The events the audit log records, one class each, named in the past tense.

Each event knows its ``subject`` (what it is about) and its ``payload`` (the facts worth proving
later). Payloads hold identifiers, numbers, hashes and dates — never a debtor's name or ИИН.

Here: the base class and the ladder's own events (creditors, keys, cases, documents, agreements,
policy). Reaching people (deliveries, post lists, webhooks) is in ``delivery_events``; keeping the
record (case log, rule decisions, legal holds, anonymisation, web sessions) in ``record_events``.
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


def iso_day(day: dt.date | None) -> str | None:
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
class ApiKeyRevoked(AuditEvent):
    """A key stopped working (``talap keys revoke``), or was replaced (``talap keys rotate``:
    ``replaced_by`` is the new key's id, whose ``ApiKeyCreated`` comes just before)."""

    action: ClassVar[str] = "ApiKeyRevoked"
    key_id: str
    role: str
    prefix: str
    replaced_by: str | None = None

    @property
    def subject(self) -> str:
        return f"api_key:{self.key_id}"

    def payload(self) -> dict[str, Any]:
        payload = {"role": self.role, "prefix": self.prefix}
        if self.replaced_by is not None:
            payload["replaced_by"] = self.replaced_by
        return payload


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
class NumberVoided(AuditEvent):
    """A register number allocated to a document that failed before it was recorded."""

    action: ClassVar[str] = "NumberVoided"
    number: str
    register: str
    kind: str
    case: str | None
    reason_code: str

    @property
    def subject(self) -> str:
        return f"number:{self.register}:{self.number}"

    def payload(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "register": self.register,
            "kind": self.kind,
            "case": self.case,
            "reason_code": self.reason_code,
        }


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
