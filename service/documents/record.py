"""An issued document's record as it leaves a transaction (nothing lazy-loads afterwards)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    creditor_id: str
    case_external_id: str
    kind: str
    language: str
    number: str
    issue_date: dt.date
    deadline: dt.date | None
    route: str | None
    template_version: str
    sha256: str
    size: int
    request_hash: str
    development_signature: bool
    signer_subject: str
    created_at: dt.datetime
