"""Reading issued documents back: the record, the PDF, and a full integrity check."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from service.application.auth import Permission, Principal
from service.application.records import DocumentRecord
from service.bootstrap import Container
from service.db import repositories as repo
from service.db.models import IssuedDocumentRow
from service.errors import NotFound


def visible_document(session: Session, principal: Principal, document_id: str) -> IssuedDocumentRow:
    row = repo.find_document(session, document_id)
    if row is None or not principal.may_see(row.creditor_id):
        # Another creditor's document answers exactly like a missing one.
        raise NotFound(f"document {document_id} not found")
    return row


def _record(session: Session, row: IssuedDocumentRow) -> DocumentRecord:
    return DocumentRecord.of(row, repo.case_external_id(session, row.case_id))


def get_document(c: Container, principal: Principal, document_id: str) -> DocumentRecord:
    principal.require(Permission.READ)
    with c.db.transaction(read_only=True) as session:
        return _record(session, visible_document(session, principal, document_id))


def get_pdf(c: Container, principal: Principal, document_id: str) -> tuple[DocumentRecord, bytes]:
    principal.require(Permission.READ)
    with c.db.transaction(read_only=True) as session:
        record = _record(session, visible_document(session, principal, document_id))
    return record, c.archive.get(record.sha256)


def verify_document(c: Container, principal: Principal | None, document_id: str) -> dict[str, Any]:
    """Re-hash the archived PDF, validate its signature and the creditor's audit chain.

    ``principal`` None means a trusted local caller (the CLI).
    """
    if principal is not None:
        principal.require(Permission.READ)
    with c.db.transaction(read_only=True) as session:
        if principal is None:
            row = repo.find_document(session, document_id)
            if row is None:
                raise NotFound(f"document {document_id} not found")
        else:
            row = visible_document(session, principal, document_id)
        record = _record(session, row)
        issued_by = [row.signer_certificate] if row.signer_certificate else []
        events = repo.events_for(session, row.creditor_id)
        chain = repo.chain_problems(events)
        issued_event = any(
            e.action == "DocumentIssued" and e.payload.get("sha256") == row.sha256
            for e in events
            if e.subject == f"document:{row.id}"
        )
    if not issued_event:
        chain.append("no DocumentIssued event records this document's hash")
    archive_check = c.archive.verify(record.sha256)
    hash_check: dict[str, Any] = {
        "ok": archive_check.ok,
        "expected": record.sha256,
        "actual": archive_check.actual,
        "problem": archive_check.problem,
    }
    signature: dict[str, Any]
    if archive_check.actual is None:
        signature = {"ok": False, "problems": ["the archived file is missing"]}
    else:
        signature = check_signature(c, c.archive.get(record.sha256), issued_by)
    chain_check = {"ok": not chain, "problems": chain}
    return {
        "valid": bool(hash_check["ok"] and signature["ok"] and chain_check["ok"]),
        "document": {"id": record.id, "number": record.number, "sha256": record.sha256},
        "checks": {"hash": hash_check, "signature": signature, "audit_chain": chain_check},
    }


def check_signature(
    c: Container, pdf: bytes, issued_by: list[bytes] | None = None
) -> dict[str, Any]:
    """Validate the PDF's signature against the configured trust roots and the certificates
    that signed our own records (``issued_by``), so a key change does not orphan old documents."""
    from service.signing import verify_pdf

    report = verify_pdf(pdf, trust_roots=[*c.trust_roots(), *(issued_by or [])])
    ok = report.signed and report.intact and report.valid and report.trusted
    ok = ok and not report.modified_after_signing
    return {
        "ok": ok,
        "signed": report.signed,
        "intact": report.intact,
        "valid": report.valid,
        "trusted": report.trusted,
        "coverage": str(report.coverage) if report.coverage is not None else None,
        "modified_after_signing": report.modified_after_signing,
        "signer": report.signer_subject,
        "signing_time": report.signing_time.isoformat() if report.signing_time else None,
        "development_key": report.development_key,
        "problems": list(report.problems),
    }


def verify_file(c: Container, pdf: bytes) -> dict[str, Any]:
    """Check a PDF someone holds: is it one of ours, unaltered, with a valid signature?"""
    sha256 = hashlib.sha256(pdf).hexdigest()
    with c.db.transaction(read_only=True) as session:
        matches = repo.find_documents_by_sha256(session, sha256)
        known = [{"id": m.id, "number": m.number} for m in matches]
        issued_by = [m.signer_certificate for m in matches if m.signer_certificate]
    signature = check_signature(c, pdf, issued_by)
    problems = (
        []
        if known
        else [
            "no issued document has this SHA-256: it is not an original "
            "Talap document, or it was altered"
        ]
    )
    return {
        "valid": bool(known) and signature["ok"],
        "sha256": sha256,
        "documents": known,
        "checks": {
            "hash": {"ok": bool(known), "problem": problems[0] if problems else None},
            "signature": signature,
        },
    }


def case_history(c: Container, principal: Principal, external_id: str) -> dict[str, Any]:
    """Every document issued for the case and every audit event about it, oldest first."""
    principal.require(Permission.READ)
    with c.db.transaction(read_only=True) as session:
        case = repo.get_case_row(session, principal.creditor(), external_id)
        rows = repo.documents_of_case(session, case.id)
        subjects = {f"case:{external_id}", *(f"document:{row.id}" for row in rows)}
        events = [e for e in repo.events_for(session, case.creditor_id) if e.subject in subjects]
        return {
            "case": external_id,
            "documents": [
                DocumentRecord.of(row, external_id).as_json(c.settings.public_url) for row in rows
            ],
            "events": [
                {
                    "at": e.occurred_at.isoformat(),
                    "action": e.action,
                    "subject": e.subject,
                    "actor": e.actor,
                    "payload": e.payload,
                    "hash": e.hash,
                }
                for e in events
            ],
        }
