"""Audit events of keeping the record: case-log entries, rule decisions, legal holds and
anonymisation, and web sessions. As every event: identifiers, hashes and dates only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from service.audit.events import AuditEvent, iso_day


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
            "promised_date": iso_day(self.promised_date),
            "amount": self.amount,
            "until": iso_day(self.until),
            "answered_on": iso_day(self.answered_on),
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
            "passes_on": iso_day(self.passes_on),
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


@dataclass(frozen=True)
class ArchiveMismatchFound(AuditEvent):
    """Archived bytes a record names were asked for and found missing or altered: they were
    not served (``archive.read_checked``). ``subject`` is what they belong to (a document, a
    delivery proof, a template version); ``read_by`` is the place that asked."""

    action: ClassVar[str] = "ArchiveMismatchFound"
    about: str
    sha256: str
    problem: str
    read_by: str

    @property
    def subject(self) -> str:
        return self.about

    def payload(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "problem": self.problem, "read_by": self.read_by}
