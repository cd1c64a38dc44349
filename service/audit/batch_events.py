"""Audit events of batches: one when a batch is accepted, one when its last item has an
outcome. Identifiers, counts and hashes only (never a debtor's data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from service.audit.events import AuditEvent


@dataclass(frozen=True)
class BatchAccepted(AuditEvent):
    action: ClassVar[str] = "BatchAccepted"
    batch_id: str
    source: str
    total: int
    source_sha256: str | None

    @property
    def subject(self) -> str:
        return f"batch:{self.batch_id}"

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"source": self.source, "total": self.total}
        if self.source_sha256:
            body["source_sha256"] = self.source_sha256
        return body


@dataclass(frozen=True)
class BatchFinished(AuditEvent):
    action: ClassVar[str] = "BatchFinished"
    batch_id: str
    issued: int
    refused: int
    errors: int

    @property
    def subject(self) -> str:
        return f"batch:{self.batch_id}"

    def payload(self) -> dict[str, Any]:
        return {"issued": self.issued, "refused": self.refused, "errors": self.errors}
