"""Re-checking what Talap issued: a recorded document, or a PDF someone holds.

A document is valid when its archived bytes still hash to the recorded SHA-256, its PAdES
signature is intact, valid and trusted with nothing added after signing, and its creditor's audit
chain is unbroken and records its issue with that hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from service.agreements.restructuring import assess as assess_agreement
from service.agreements.service import case_agreements
from service.archive import Archive
from service.audit import service as audit
from service.audit.chain import ChainEntry
from service.audit.events import DocumentIssued
from service.cases import repository as cases_repository
from service.claims.claim import case_claim
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal, Role
from service.creditors.creditor import Creditor
from service.deliveries import repository as deliveries_repository
from service.deliveries.models import DeliveryProofRow, DeliveryRow
from service.discounts import service as discounts
from service.documents import repository
from service.documents import service as documents
from service.documents.kinds import KindRegistry
from service.documents.schemas import DocumentOut
from service.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.evidence import repository as repository_evidence
from service.evidence.assemble import Assembly, assemble, basis_of, check_file
from service.evidence.checks import (
    TOKEN,
    DocumentVerification,
    FileVerification,
    PublicCheck,
    SignatureCheck,
    UploadCheck,
)
from service.evidence.pack import (
    Check,
    DeliveryEntry,
    DocumentEntry,
    EvidencePack,
    PackFile,
    ProofEntry,
    safe_stem,
)
from service.evidence.readiness import readiness
from service.evidence.schemas import EventOut, HistoryOut
from service.kernel.calendar import WorkCalendar
from service.kernel.route import Route
from service.kit.links import Links
from service.kit.logs import log_event
from service.law.context import LawContext
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
    """Re-hash the archived PDF, validate its signature and the creditor's audit chain.

    ``caller`` None means a trusted local caller (the CLI).
    """
    if caller is None:
        row = documents.row_of(session, document_id)
    else:
        caller.require(Permission.READ)
        row = repository.visible(session, caller, document_id)
    entries, problems = audit.chain_of(session, row.creditor_id)
    if not any(
        e.action == DocumentIssued.action
        and e.subject == f"document:{row.id}"
        and e.payload.get("sha256") == row.sha256
        for e in entries
    ):
        problems.append("no DocumentIssued event records this document's hash")
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
        row.id, row.number, row.sha256, archived, signature, tuple(problems)
    )
    log_event(log, "document.verified", document_id=row.id, valid=found.valid)
    return found


def verify_file(session: Session, ports: Verifying, pdf: bytes) -> FileVerification:
    """Check a PDF someone holds: is it one of ours, unaltered, with a valid signature?"""
    sha256 = hashlib.sha256(pdf).hexdigest()
    matches = repository.with_sha256(session, sha256)
    issued_by = [m.signer_certificate for m in matches if m.signer_certificate]
    signature = SignatureCheck.of(verify_pdf(pdf, trust_roots=ports.roots(issued_by)))
    found = FileVerification(sha256, tuple((m.id, m.number) for m in matches), signature)
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


# --- the evidence pack (issue 11 scope 2) ------------------------------------------------------

PACK_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM, Role.ADMIN})
"""Who may take a case's evidence out: the auditor, the system and the creditor's admin."""


@dataclass(frozen=True)
class Packing:
    """What collecting a pack uses: the verification ports, the law, the kinds, the clock."""

    verifying: Verifying
    law: LawContext
    kinds: KindRegistry
    clock: Clock


def pack_creditor(
    session: Session, caller: Principal | None, external_id: str, creditor_id: str | None
) -> str:
    """The creditor whose case ``external_id`` the pack is of: the key's; for the CLI (no key)
    the one given, or the only creditor with such a case."""
    if caller is not None:
        caller.require(Permission.READ)
        if caller.role not in PACK_ROLES:
            raise Forbidden(f"a {caller.role.value} key may not export an evidence pack")
        return caller.creditor()
    if creditor_id is not None:
        return creditor_id
    owners = repository_evidence.creditors_with_case(session, external_id)
    if not owners:
        raise NotFound(f"case {external_id} not found")
    if len(owners) > 1:
        raise ValidationFailed(
            [FieldError("creditor", "ambiguous", "several creditors have this case: name one")]
        )
    return owners[0]


def collect_pack(
    session: Session,
    ports: Packing,
    caller: Principal | None,
    external_id: str,
    route: Route,
    *,
    creditor_id: str | None = None,
) -> EvidencePack:
    """Everything the pack shows, read and re-checked in the request's one transaction."""
    owner = pack_creditor(session, caller, external_id, creditor_id)
    case = cases_repository.load(session, owner, external_id)
    creditor = creditors.get(session, case.creditor_id)
    today = ports.clock.today()
    law = ports.law
    debt, history = discounts.assess_case(session, case, creditor, today, law)
    claim = case_claim(case, creditor, debt, history, route, law.calendar)
    entries, chain_problems = audit.chain_of(session, case.creditor_id)
    documents = _pack_documents(session, ports, case.id, creditor, entries)
    readiness_checks = readiness(
        route,
        claim,
        documents,
        without_basis=[c.value for c in case.contributions_without_basis()],
        debtor_iin=case.debtor.iin,
    )
    agreements = [
        (a, assess_agreement(a, today, law.calendar))
        for _, a in case_agreements(session, case.id, case.payments)
    ]
    pack = assemble(
        Assembly(case, creditor, debt, history, claim, agreements, entries, chain_problems),
        documents,
        readiness_checks,
        basis_of(law, today, _cited(ports, route, creditor, readiness_checks)),
        route=route,
        created_at=ports.clock.now(),
    )
    log_event(
        log,
        "evidence_pack.collected",
        case=external_id,
        route=route.value,
        documents=len(documents),
        valid=pack.valid,
    )
    return pack


def _cited(
    ports: Packing, route: Route, creditor: Creditor, checks: tuple[Check, ...]
) -> list[str]:
    """The pre-court letter's citations for the route and every readiness check's."""
    spec = ports.kinds.get("pretrial")
    cited = list(spec.citations(route, creditor.form)) if spec else []
    return cited + [p for c in checks for p in c.provisions]


def _pack_documents(
    session: Session,
    ports: Packing,
    case_id: str,
    creditor: Creditor,
    entries: list[ChainEntry],
) -> tuple[DocumentEntry, ...]:
    rows = repository.of_case(session, case_id)
    issued = {
        e.subject: e.payload.get("sha256") for e in entries if e.action == DocumentIssued.action
    }
    deliveries = deliveries_repository.of_documents(session, [r.id for r in rows])
    proofs = deliveries_repository.proofs_of(session, [d.id for d in deliveries])
    archive = ports.verifying.archive
    found = []
    for index, row in enumerate(rows, start=1):
        stem = safe_stem(f"{index:02d}-{row.kind}-{row.number}")
        issued_by = [row.signer_certificate] if row.signer_certificate else []
        data, check = check_file(archive, row.sha256, roots=ports.verifying.roots(issued_by))
        if issued.get(f"document:{row.id}") != row.sha256:
            check = replace(
                check,
                problems=(*check.problems, "no DocumentIssued event records this document's hash"),
            )
        kind = ports.kinds.get(row.kind)
        route = Route(row.route) if row.route else None
        found.append(
            DocumentEntry(
                id=row.id,
                number=row.number,
                kind=row.kind,
                language=row.language,
                issue_date=row.issue_date,
                deadline=row.deadline,
                route=row.route,
                template_version=row.template_version,
                sha256=row.sha256,
                size=row.size,
                provisions=kind.citations(route, creditor.form) if kind else (),
                check=check,
                file=PackFile(
                    f"documents/{stem}.pdf",
                    data,
                    "application/pdf",
                    "Source",
                    f"{row.kind} {row.number} {row.issue_date.isoformat()}",
                )
                if data is not None
                else None,
                deliveries=tuple(
                    _delivery(archive, ports.verifying, stem, d, proofs[d.id])
                    for d in deliveries
                    if d.document_id == row.id
                ),
            )
        )
    return tuple(found)


def _delivery(
    archive: Archive,
    verifying: Verifying,
    stem: str,
    row: DeliveryRow,
    proof_rows: list[DeliveryProofRow],
) -> DeliveryEntry:
    proofs = []
    for n, proof in enumerate(proof_rows, start=1):
        data, check = check_file(archive, proof.sha256, roots=None)
        name = f"proofs/{stem}-proof-{n}-{safe_stem(proof.filename)}"
        proofs.append(
            ProofEntry(
                proof.filename,
                proof.content_type,
                proof.sha256,
                proof.size,
                check,
                PackFile(
                    name,
                    data,
                    proof.content_type or "application/octet-stream",
                    "Supplement",
                    f"delivery proof {proof.filename}",
                )
                if data is not None
                else None,
            )
        )
    return DeliveryEntry(
        id=row.id,
        document_id=row.document_id,
        channel=row.channel,
        status=row.status,
        delivered_at=row.delivered_at,
        tracking_number=row.tracking_number,
        recorded_at=row.recorded_at,
        proofs=tuple(proofs),
    )
