"""Plain records handed out of a transaction (so nothing lazy-loads after the session closes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from service.db.models import IssuedDocumentRow


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    creditor_id: str
    case_external_id: str
    kind: str
    language: str
    number: str
    issue_date: dt.date
    deadline: str | None
    template_version: str
    sha256: str
    size: int
    request_hash: str
    development_signature: bool
    signer_subject: str
    created_at: dt.datetime

    @classmethod
    def of(cls, row: IssuedDocumentRow, case_external_id: str) -> DocumentRecord:
        return cls(
            id=row.id,
            creditor_id=row.creditor_id,
            case_external_id=case_external_id,
            kind=row.kind,
            language=row.language,
            number=row.number,
            issue_date=row.issue_date,
            deadline=row.snapshot.get("deadline"),
            template_version=row.template_version,
            sha256=row.sha256,
            size=row.size,
            request_hash=row.request_hash,
            development_signature=row.development_signature,
            signer_subject=row.signer_subject,
            created_at=row.created_at,
        )

    def as_json(self, public_url: str) -> dict[str, Any]:
        base = f"{public_url.rstrip('/')}/v1/documents/{self.id}"
        return {
            "id": self.id,
            "number": self.number,
            "kind": self.kind,
            "language": self.language,
            "case": self.case_external_id,
            "issue_date": self.issue_date.isoformat(),
            "deadline": self.deadline,
            "sha256": self.sha256,
            "size": self.size,
            "template_version": self.template_version,
            "development_signature": self.development_signature,
            "signer": self.signer_subject,
            "created_at": self.created_at.isoformat(),
            "pdf_url": f"{base}/pdf",
            "verify_url": f"{base}/verify",
        }
