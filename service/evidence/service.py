"""Re-checking what Talap issued: a recorded document, or a PDF someone holds.

A document is valid when its archived bytes still hash to the recorded SHA-256, its PAdES
signature is intact, valid and trusted with nothing added after signing, and its creditor's audit
chain is unbroken and records its issue with that hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.archive import Archive
from service.audit import service as audit
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal
from service.documents import repository
from service.documents import service as documents
from service.documents.schemas import DocumentOut
from service.errors import NotFound
from service.evidence.checks import (
    TOKEN,
    DocumentVerification,
    FileVerification,
    PublicCheck,
    SignatureCheck,
    UploadCheck,
)
from service.evidence.schemas import EventOut, HistoryOut
from service.kernel.calendar import WorkCalendar
from service.kit.links import Links
from service.kit.logs import log_event
from service.signing import Signer, verify_pdf
from service.timeline import service as timeline
from service.timeline.entry import Window
from service.timeline.schemas import TimelineEntryOut, TimelineFilterOut

log = logging.getLogger("talap.evidence")


@dataclass(frozen=True)
class Verifying:
    """What re-checking a document uses: the archive, and whom to trust."""

    archive: Archive
    signer: Signer
    trust_roots: tuple[bytes, ...]
    """Certificates configured as trusted (``TALAP_TRUST_ROOTS``), read at startup."""

    def roots(self, issued_by: list[bytes]) -> list[bytes]:
        # The current key, the configured roots, and the certificates that signed our own
        # records, so a key change does not orphan older documents.
        return [self.signer.certificate_der, *self.trust_roots, *issued_by]


def verify_document(
    session: Session, ports: Verifying, caller: Principal | None, document_id: str
) -> DocumentVerification:
    """Re-hash the archived PDF, validate its signature and the creditor's audit chain (as far
    as this document needs: ``audit.document_chain_problems``, not the whole log every call).

    ``caller`` None means a trusted local caller (the CLI).
    """
    if caller is None:
        row = documents.row_of(session, document_id)
    else:
        caller.require(Permission.READ)
        row = repository.visible(session, caller, document_id)
    problems = audit.document_chain_problems(session, row.creditor_id, row.id, row.sha256)
    archived = ports.archive.verify(row.sha256)
    issued_by = [row.signer_certificate] if row.signer_certificate else []
    signature = (
        SignatureCheck.of(
            verify_pdf(ports.archive.get(row.sha256), trust_roots=ports.roots(issued_by))
        )
        if archived.actual is not None
        else SignatureCheck.missing()
    )
    found = DocumentVerification(
        row.id,
        row.number,
        row.sha256,
        archived,
        signature,
        tuple(problems),
        template_version=row.template_version,
    )
    log_event(log, "document.verified", document_id=row.id, valid=found.valid)
    return found


def verify_file(session: Session, ports: Verifying, pdf: bytes) -> FileVerification:
    """Check a PDF someone holds: is it one of ours, unaltered, with a valid signature?"""
    sha256 = hashlib.sha256(pdf).hexdigest()
    matches = repository.with_sha256(session, sha256)
    issued_by = [m.signer_certificate for m in matches if m.signer_certificate]
    signature = SignatureCheck.of(verify_pdf(pdf, trust_roots=ports.roots(issued_by)))
    found = FileVerification(
        sha256,
        tuple((m.id, m.number) for m in matches),
        signature,
        template_versions=tuple(m.template_version for m in matches),
    )
    log_event(log, "file.verified", sha256=sha256, known=found.known, valid=found.valid)
    return found


def public_check(session: Session, ports: Verifying, token: str) -> PublicCheck:
    """What the public page behind the QR code shows (no API key; finding #19): the archived
    bytes against the recorded SHA-256 and the signature, and which document it is. An unknown
    token is a plain 404 that says nothing about which documents exist."""
    row = repository.by_verify_token(session, token) if TOKEN.fullmatch(token) else None
    if row is None:
        raise NotFound("no document has this verification link")
    archived = ports.archive.verify(row.sha256)
    issued_by = [row.signer_certificate] if row.signer_certificate else []
    signature = (
        SignatureCheck.of(
            verify_pdf(ports.archive.get(row.sha256), trust_roots=ports.roots(issued_by))
        )
        if archived.actual is not None
        else SignatureCheck.missing()
    )
    found = PublicCheck(
        document_id=row.id,
        number=row.number,
        issue_date=row.issue_date,
        kind=row.kind,
        creditor=creditors.get(session, row.creditor_id).name,
        sha256=row.sha256,
        archive=archived,
        signature=signature,
        template_version=row.template_version,
    )
    log_event(log, "document.publicly_verified", document_id=row.id, valid=found.valid)
    return found


def compare_upload(
    session: Session, ports: Verifying, token: str, pdf: bytes
) -> tuple[PublicCheck, UploadCheck]:
    """The public check, and whether ``pdf`` is byte for byte the archived original."""
    found = public_check(session, ports, token)
    upload = UploadCheck(hashlib.sha256(pdf).hexdigest(), found.sha256, len(pdf))
    log_event(
        log, "document.upload_compared", document_id=found.document_id, matches=upload.matches
    )
    return found, upload


def case_timeline(
    session: Session,
    caller: Principal,
    links: Links,
    external_id: str,
    *,
    calendar: WorkCalendar,
    today: dt.date,
    window: Window | None = None,
) -> HistoryOut:
    """The case's timeline (``service.timeline``) and, as before, its documents and the audit
    events about it, oldest first, all within ``window``."""
    window = window or Window()
    found = timeline.case_timeline(session, caller, calendar, today, external_id, window)
    return HistoryOut(
        case=external_id,
        documents=[
            DocumentOut.of(documents.record_of(r, external_id), links) for r in found.documents
        ],
        events=[
            EventOut(
                at=e.occurred_at,
                action=e.action,
                subject=e.subject,
                actor=e.actor,
                payload=e.payload,
                hash=e.hash,
            )
            for e in found.events
        ],
        entries=[TimelineEntryOut.of(e) for e in found.entries],
        filter=TimelineFilterOut.of(window),
    )
