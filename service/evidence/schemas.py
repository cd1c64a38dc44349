"""Verification reports as the API returns them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.documents.schemas import DocumentOut
from service.evidence.checks import (
    DocumentVerification,
    FileVerification,
    PublicCheck,
    SignatureCheck,
    UploadCheck,
)
from service.kit.fields import Out
from service.timeline.schemas import TimelineEntryOut, TimelineFilterOut


class HashCheckOut(Out):
    ok: bool
    expected: str | None = None
    actual: str | None = None
    problem: str | None


class SignatureCheckOut(Out):
    ok: bool
    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    coverage: str | None
    modified_after_signing: bool
    signer: str | None
    signing_time: dt.datetime | None
    development_key: bool
    problems: list[str]

    @classmethod
    def of(cls, check: SignatureCheck) -> SignatureCheckOut:
        report = check.report
        return cls(
            ok=check.ok,
            signed=report.signed,
            intact=report.intact,
            valid=report.valid,
            trusted=report.trusted,
            coverage=str(report.coverage) if report.coverage is not None else None,
            modified_after_signing=report.modified_after_signing,
            signer=report.signer_subject,
            signing_time=report.signing_time,
            development_key=report.development_key,
            problems=list(report.problems),
        )


class ChainCheckOut(Out):
    ok: bool
    problems: list[str]


class DocumentChecksOut(Out):
    hash: HashCheckOut
    signature: SignatureCheckOut
    audit_chain: ChainCheckOut


class DocumentRefOut(Out):
    id: str
    number: str
    sha256: str
    template_version: str
    """The template version the document was rendered with (``/v1/template-versions/{id}``)."""


class VerifyOut(Out):
    valid: bool
    document: DocumentRefOut
    checks: DocumentChecksOut

    @classmethod
    def of(cls, found: DocumentVerification) -> VerifyOut:
        archive = found.archive
        return cls(
            valid=found.valid,
            document=DocumentRefOut(
                id=found.document_id,
                number=found.number,
                sha256=found.sha256,
                template_version=found.template_version,
            ),
            checks=DocumentChecksOut(
                hash=HashCheckOut(
                    ok=archive.ok,
                    expected=found.sha256,
                    actual=archive.actual,
                    problem=archive.problem,
                ),
                signature=SignatureCheckOut.of(found.signature),
                audit_chain=ChainCheckOut(
                    ok=not found.chain_problems, problems=list(found.chain_problems)
                ),
            ),
        )


class KnownDocumentOut(Out):
    id: str
    number: str
    template_version: str


class FileChecksOut(Out):
    hash: HashCheckOut
    signature: SignatureCheckOut


class FileVerifyOut(Out):
    valid: bool
    sha256: str
    documents: list[KnownDocumentOut]
    checks: FileChecksOut

    @classmethod
    def of(cls, found: FileVerification) -> FileVerifyOut:
        problem = (
            None
            if found.known
            else "no issued document has this SHA-256: it is not an original Talap document, "
            "or it was altered"
        )
        return cls(
            valid=found.valid,
            sha256=found.sha256,
            documents=[
                KnownDocumentOut(id=i, number=n, template_version=v)
                for (i, n), v in zip(found.documents, found.template_versions, strict=True)
            ],
            checks=FileChecksOut(
                hash=HashCheckOut(ok=found.known, problem=problem),
                signature=SignatureCheckOut.of(found.signature),
            ),
        )


class EventOut(Out):
    at: dt.datetime
    action: str
    subject: str
    actor: str
    payload: dict[str, Any]
    hash: str


class HistoryOut(Out):
    """A case's history. ``documents`` and ``events`` are as before (within the filter);
    ``entries`` is the whole timeline in order (``service.timeline``)."""

    case: str
    documents: list[DocumentOut]
    events: list[EventOut]
    entries: list[TimelineEntryOut]
    filter: TimelineFilterOut


class LocalizedOut(Out):
    kk: str
    ru: str


class PublicDocumentOut(Out):
    """Which document it is; nothing about the debtor."""

    number: str
    issue_date: dt.date
    kind: str
    creditor: LocalizedOut
    sha256: str
    template_version: str
    """Which wording: the template version it was rendered with."""


class PublicChecksOut(Out):
    archive_hash_ok: bool
    """The archived file still hashes to the SHA-256 recorded at issue."""
    signature_ok: bool
    """The signature is intact, valid and trusted, with nothing added after signing."""
    development_key: bool
    """Signed with the development key: a test signature, not a qualified ЭЦП."""


class UploadOut(Out):
    sha256: str
    size: int
    matches: bool
    """The uploaded file is byte for byte the archived original."""


class PublicVerifyOut(Out):
    """The public check behind the QR code (no API key, no debtor data)."""

    valid: bool
    document: PublicDocumentOut
    checks: PublicChecksOut
    upload: UploadOut | None = None

    @classmethod
    def of(cls, found: PublicCheck, upload: UploadCheck | None = None) -> PublicVerifyOut:
        return cls(
            valid=found.valid,
            document=PublicDocumentOut(
                number=found.number,
                issue_date=found.issue_date,
                kind=found.kind,
                creditor=LocalizedOut(kk=found.creditor.kk, ru=found.creditor.ru),
                sha256=found.sha256,
                template_version=found.template_version,
            ),
            checks=PublicChecksOut(
                archive_hash_ok=found.archive.ok,
                signature_ok=found.signature.ok,
                development_key=found.development_key,
            ),
            upload=UploadOut(sha256=upload.sha256, size=upload.size, matches=upload.matches)
            if upload
            else None,
        )
