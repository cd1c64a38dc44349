"""An issued document's record as it leaves a transaction (nothing lazy-loads afterwards)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    case_external_id: str
    kind: str
    language: str
    number: str
    issue_date: dt.date
    deadline: dt.date | None
    route: str | None
    """A pre-court letter's route (``notary`` or ``court``); None for the other kinds."""
    template_version: str
    sha256: str
    size: int
    development_signature: bool
    signer_subject: str
    created_at: dt.datetime
    verify_token: str
    """The unguessable part of the public verification URL (``Links.public_verify``)."""
