"""Issuing, previewing and explaining a document; reading records, PDFs and verifications.

``prepare`` is every step before a number is allocated, the same for the three: the request is
resolved against its kind, the case loaded, the debt computed, the rules evaluated and the facts
built once, then checked (``requirements``). Every problem comes back at once.

Issuing then, in the request's one transaction (``service.kit.db`` gives the lock order):
claim the Idempotency-Key (a racing duplicate waits here, before anything is rendered), allocate
the number, render, sign, stage the PDF in the archive (promoted after commit, discarded after a
rollback), record the document (and the agreement it contains) and its audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.agreements import service as agreements
from service.archive import Archive
from service.audit import service as audit
from service.audit.events import DocumentIssued
from service.cases import repository as cases
from service.cases.case import DebtCase
from service.cases.penalty import PenaltyResult
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal
from service.decisions import service as decisions
from service.decisions.decision import RuleDecision, decide
from service.discounts import service as discounts
from service.documents import layout, repository
from service.documents.builder import build_facts
from service.documents.facts import DocumentFacts, Issuance, IssueRequest
from service.documents.kinds import FactsContext, KindRegistry, KindSpec
from service.documents.kinds.restructuring import Restructuring
from service.documents.models import IdempotencyKeyRow, IssuedDocumentRow
from service.documents.numbering import Register, format_number, register_of
from service.documents.record import DocumentRecord
from service.documents.requirements import check
from service.documents.schemas import IssueIn
from service.documents.snapshot import snapshot
from service.errors import (
    Conflict,
    FieldError,
    NotFound,
    RulesViolated,
    ValidationFailed,
)
from service.kit.blobs import keep_with
from service.kit.links import Links
from service.kit.logs import log_event
from service.law.context import LawContext
from service.rendering.base import Renderer, no_template
from service.rules import service as rules
from service.rules.coverage import stated_debt
from service.rules.engine import evaluate_all
from service.rules.history import RequestedDocument
from service.rules.model import Evaluation
from service.signing import Signer
from service.templates import service as templates
from service.templates.version import LiveVersion
from service.webhooks import events as webhook_events
from service.webhooks import service as webhooks

log = logging.getLogger("talap.documents")


@dataclass(frozen=True)
class Issuing:
    """What preparing and issuing a document uses."""

    clock: Clock
    law: LawContext
    kinds: KindRegistry
    renderer: Renderer
    signer: Signer
    archive: Archive
    links: Links
    payment_days: int
    """Default deadline for voluntary payment, in days after the issue date."""
    decisions: decisions.RecordApart
    """Writes a refused attempt's rule decision in its own transaction, after the rollback."""
    templates: templates.Templating
    """Template versions and their engines: each document is rendered by the version live at
    its issue moment (``templates.pick``)."""


@dataclass(frozen=True)
class Prepared:
    spec: KindSpec
    language: str
    case: DebtCase
    evaluation: Evaluation
    facts: DocumentFacts | None
    """``None`` when the request itself is incomplete (see ``errors``)."""
    errors: list[FieldError]
    version: LiveVersion | None = None
    """The template version live at the issue moment (``None`` if the request is incomplete)."""
    fields: Mapping[str, Any] | None = None
    """The request's ``fields``, checked against the version's schema (``view["fields"]``)."""

    def ready(self) -> DocumentFacts:
        if self.facts is None or self.errors:
            raise ValidationFailed(self.errors)
        return self.facts


@dataclass(frozen=True)
class IssueOutcome:
    document: DocumentRecord
    replayed: bool


def prepare(
    session: Session, ports: Issuing, caller: Principal, external_id: str, request: IssueRequest
) -> Prepared:
    """Every step before a number is allocated (also the dry run behind preview and explain)."""
    today = ports.clock.today()
    spec, errors = ports.kinds.resolve(request)
    if spec is None or any(e.path in ("kind", "language") for e in errors):
        raise ValidationFailed(errors)  # without a kind and a language nothing else can be said
    language = spec.language_for(request.language)
    errors += spec.request_errors(request, today)
    deadline: dt.date | None = None
    if spec.sets_deadline:
        deadline = request.deadline or today + dt.timedelta(days=ports.payment_days)
        if deadline <= today:
            errors.append(
                FieldError("deadline", "deadline_not_after_issue", "must be after the issue date")
            )
    elif request.deadline is not None:
        errors.append(
            FieldError("deadline", "not_applicable", f"a {spec.name} sets no payment deadline")
        )
    creditor_id = caller.creditor()
    case = cases.load(session, creditor_id, external_id)
    creditor = creditors.get(session, creditor_id)
    law = ports.law
    debt, history = discounts.assess_case(session, case, creditor, today, law)
    overrides = rules.overrides_for(session, creditor_id, today)
    requested = RequestedDocument(spec.name, language, request.route)
    evaluation = evaluate_all(law.rulebook, history, requested, today, law.calendar, overrides)
    facts = None
    version = None
    fields: dict[str, Any] = {}
    if not errors:
        # While an agreement is in force a reminder or a warning states only the debt outside it.
        stated = stated_debt(spec.name, debt, history, today, law.calendar, law.penalty_policy)
        context = FactsContext(request, case, creditor, stated, history, law, overrides, today)
        try:
            facts = build_facts(spec, context, language=language, deadline=deadline)
        except ValidationFailed as failed:
            errors += failed.errors
        else:
            stored = snapshot(facts)
            errors += check(facts, spec, stored)
            at = ports.clock.now()
            version = templates.pick(session, ports.templates, creditor_id, spec.name, language, at)
            if version is None:
                errors.append(no_template(spec.template(language)))
            else:
                fields, problems = templates.issuing_problems(
                    ports.templates, version, stored, request.fields, today
                )
                errors += problems
    return Prepared(spec, language, case, evaluation, facts, errors, version, fields)


def explain(
    session: Session, ports: Issuing, caller: Principal, external_id: str, request: IssueIn
) -> Prepared:
    caller.require(Permission.PREVIEW)
    return prepare(session, ports, caller, external_id, request.to_request())


@dataclass(frozen=True)
class Draft:
    pdf: bytes
    penalty: PenaltyResult
    """What the creditor is told beside the PDF: the rate-table status of its penalty."""


def preview(
    session: Session, ports: Issuing, caller: Principal, external_id: str, request: IssueIn
) -> Draft:
    """The PDF as it would be issued, unnumbered, unsigned, marked draft, whatever the rules
    say (field errors are still refused). Nothing is stored."""
    caller.require(Permission.PREVIEW)
    prepared = prepare(session, ports, caller, external_id, request.to_request())
    facts = prepared.ready()
    return Draft(layout.render(ports, prepared, facts), facts.debt.penalty)


def request_hash(external_id: str, request: IssueIn) -> str:
    """What an Idempotency-Key promises: the same case and the same body."""
    # ``fields`` came later: a request without them hashes as it did before they existed
    dumped = request.model_dump(mode="json", exclude={"fields"} if request.fields is None else None)
    body = {"case": external_id, "request": dumped}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def issue(
    session: Session,
    ports: Issuing,
    caller: Principal,
    external_id: str,
    request: IssueIn,
    idempotency_key: str | None = None,
) -> IssueOutcome:
    started = begin_issue(session, ports, caller, external_id, request, idempotency_key)
    if isinstance(started, IssueOutcome):
        return started
    numbered = number_document(session, ports, caller.creditor(), started.facts)
    signed = layout.render_signed(ports, started.prepared, numbered)
    return finish_issue(session, ports, caller, started, numbered, signed)


@dataclass(frozen=True)
class Started:
    """An issue that passed every check: its key claimed, its facts ready for a number."""

    external_id: str
    request: IssueIn
    fingerprint: str
    idempotency_key: str | None
    claim: IdempotencyKeyRow | None
    prepared: Prepared
    facts: DocumentFacts


def begin_issue(
    session: Session,
    ports: Issuing,
    caller: Principal,
    external_id: str,
    request: IssueIn,
    idempotency_key: str | None,
    *,
    refused: Callable[[Session, RuleDecision], None] | None = None,
) -> Started | IssueOutcome:
    """Claim the key (a replay answers here with the earlier document), prepare and check.

    A refusal raises; its rule decision is recorded by ``refused`` (default: in its own
    transaction once this one has rolled back)."""
    caller.require(Permission.ISSUE)
    creditor_id = caller.creditor()
    fingerprint = request_hash(external_id, request)
    idempotency_key = (idempotency_key or "").strip() or None  # blank: no key
    claim = None
    if idempotency_key:
        claim = repository.claim_key(
            session, creditor_id, idempotency_key, fingerprint, ports.clock.now()
        )
        if claim.request_hash != fingerprint:
            earlier = repository.find(session, claim.document_id) if claim.document_id else None
            raise Conflict(
                f"Idempotency-Key {idempotency_key!r} was already used for a different request"
                + (f" (document {earlier.number})" if earlier else "")
            )
        if claim.document_id is not None:
            return IssueOutcome(
                record_of(row_of(session, claim.document_id), external_id), replayed=True
            )
    prepared = prepare(session, ports, caller, external_id, request.to_request())
    violations = prepared.evaluation.violations
    if violations:  # the rules refused it: recorded once this transaction has rolled back
        refusal = _decision(prepared, caller, ports.clock.now())
        if refused is None:
            decisions.after_refusal(session, ports.decisions, refusal)
        else:
            refused(session, refusal)
    if prepared.errors:
        _refused(prepared, external_id)
        raise ValidationFailed(prepared.errors, violations)
    if violations:
        _refused(prepared, external_id)
        raise RulesViolated(violations)
    facts = prepared.ready()
    return Started(external_id, request, fingerprint, idempotency_key, claim, prepared, facts)


def finish_issue(
    session: Session,
    ports: Issuing,
    caller: Principal,
    started: Started,
    numbered: Numbered,
    signed: bytes,
) -> IssueOutcome:
    """Record the signed document (``record_document``), tie the key's claim to it and
    announce what issuing it changed."""
    external_id = started.external_id
    row = record_document(session, ports, caller, started, numbered, signed)
    if started.claim is not None:
        started.claim.document_id = row.id
    # a default the rules just assessed is announced once (webhooks)
    agreements.announce_defaults(session, ports.clock, ports.law.calendar, row.case_id, external_id)
    log_event(
        log,
        "document.issued",
        document_id=row.id,
        creditor_id=caller.creditor(),
        case=external_id,
        kind=row.kind,
        language=row.language,
        number=row.number,
        sha256=row.sha256,
    )
    return IssueOutcome(record_of(row, external_id), replayed=False)


@dataclass(frozen=True)
class Numbered:
    """A document with its number allocated, not yet rendered."""

    register: Register
    year: int
    sequence: int
    number: str
    document_id: str
    verify_token: str
    issuance: Issuance
    issued: DocumentFacts


def number_document(
    session: Session, ports: Issuing, creditor_id: str, facts: DocumentFacts
) -> Numbered:
    """Allocate the next number of the document's register (the counter's row lock is held until
    the transaction ends) and give the facts their number, id and verification link."""
    year = facts.issue_date.year
    register = register_of(facts.kind)
    sequence = repository.allocate_number(session, creditor_id, year, register.value)
    formatted = format_number(year, sequence, register)
    document_id = str(uuid.uuid4())
    verify_token = secrets.token_urlsafe(24)  # 192 random bits: the public page's only key
    issuance = Issuance(
        number=formatted,
        document_id=document_id,
        verify_url=ports.links.public_verify(verify_token),
        development_signature=ports.signer.is_development,
    )
    return Numbered(
        register, year, sequence, formatted, document_id, verify_token, issuance,
        facts.issued(issuance),
    )  # fmt: skip


def record_document(
    session: Session,
    ports: Issuing,
    caller: Principal,
    started: Started,
    numbered: Numbered,
    signed: bytes,
) -> IssuedDocumentRow:
    """Stage the signed PDF in the archive and record the document, its agreement, rule
    decision, audit event and webhook, in the caller's transaction."""
    creditor_id = caller.creditor()
    prepared, request = started.prepared, started.request
    issued, number, document_id = numbered.issued, numbered.number, numbered.document_id
    signer = ports.signer
    stored = keep_with(session, ports.archive, signed)
    now = ports.clock.now()
    row = IssuedDocumentRow(
        id=document_id,
        creditor_id=creditor_id,
        case_id=prepared.case.id,
        kind=issued.kind,
        language=issued.language,
        register=numbered.register.value,
        year=numbered.year,
        sequence=numbered.sequence,
        number=number,
        issue_date=issued.issue_date,
        deadline=issued.deadline,
        route=issued.route.value if issued.route else None,
        template_version=prepared.version.id if prepared.version else "",
        sha256=stored.sha256,
        size=stored.size,
        snapshot=snapshot(issued),
        request=request.model_dump(mode="json"),
        request_hash=started.fingerprint,
        idempotency_key=started.idempotency_key,
        signer_subject=signer.subject,
        signer_certificate=signer.certificate_der,
        development_signature=signer.is_development,
        created_at=now,
        verify_token=numbered.verify_token,
    )
    session.add(row)
    session.flush()
    agreement = issued.part(Restructuring)
    if agreement is not None:
        agreements.record_issued(session, row, agreement.schedule, agreement.agreement_terms)
    decisions.record(session, _decision(prepared, caller, now, document_id))
    event = DocumentIssued(
        document_id=document_id,
        number=number,
        kind=row.kind,
        sha256=row.sha256,
        case=prepared.case.external_id,
        template_version=row.template_version,
    )
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=now)
    webhooks.emit(
        session,
        ports.clock,
        creditor_id=creditor_id,
        event_type=webhook_events.DOCUMENT_ISSUED,
        data={
            "document_id": document_id,
            "number": number,
            "kind": row.kind,
            "language": row.language,
            "case": prepared.case.external_id,
            "issue_date": row.issue_date.isoformat(),
            "deadline": row.deadline.isoformat() if row.deadline else None,
            "sha256": row.sha256,
            "url": ports.links.document(document_id),
            "verify_url": numbered.issuance.verify_url,
        },
    )
    return row


def _decision(
    prepared: Prepared, caller: Principal, at: dt.datetime, document_id: str | None = None
) -> RuleDecision:
    case = prepared.case
    return decide(
        prepared.evaluation,
        creditor_id=case.creditor_id,
        case_id=case.id,
        case_external_id=case.external_id,
        requested_at=at,
        actor=caller.actor,
        document_id=document_id,
    )


def _refused(prepared: Prepared, external_id: str) -> None:
    log_event(
        log,
        "document.refused",
        case=external_id,
        kind=prepared.spec.name,
        fields=[e.path for e in prepared.errors],
        rules=[v.rule for v in prepared.evaluation.violations],
    )


def row_of(session: Session, document_id: str) -> IssuedDocumentRow:
    row = repository.find(session, document_id)
    if row is None:
        raise NotFound(f"document {document_id} not found")
    return row


def record_of(row: IssuedDocumentRow, case_external_id: str) -> DocumentRecord:
    return DocumentRecord(
        id=row.id,
        case_external_id=case_external_id,
        kind=row.kind,
        language=row.language,
        number=row.number,
        issue_date=row.issue_date,
        deadline=row.deadline,
        route=row.route,
        template_version=row.template_version,
        sha256=row.sha256,
        size=row.size,
        development_signature=row.development_signature,
        signer_subject=row.signer_subject,
        created_at=row.created_at,
        verify_token=row.verify_token,
    )


def get_document(session: Session, caller: Principal, document_id: str) -> DocumentRecord:
    caller.require(Permission.READ)
    row = repository.visible(session, caller, document_id)
    return record_of(row, cases.external_id_of(session, row.case_id))


def documents_of_case(
    session: Session, caller: Principal, external_id: str
) -> tuple[str, list[DocumentRecord]]:
    """The case's documents, oldest first (and the case's creditor)."""
    case = cases.get_row(session, caller.creditor(), external_id)
    return case.creditor_id, [
        record_of(row, case.external_id) for row in repository.of_case(session, case.id)
    ]


def get_pdf(
    session: Session, archive: Archive, caller: Principal, document_id: str, now: dt.datetime
) -> tuple[DocumentRecord, bytes]:
    """The document and its archived PDF, re-hashed against the record: altered or missing
    bytes are refused (``ArchiveMismatch``) and recorded, never served as the original."""
    caller.require(Permission.READ)
    row = repository.visible(session, caller, document_id)
    record = record_of(row, cases.external_id_of(session, row.case_id))
    pdf = audit.read_archived(
        session,
        archive,
        record.sha256,
        creditor_id=row.creditor_id,
        about=f"document:{record.id}",
        read_by="document.pdf",
        actor=caller.actor,
        at=now,
    )
    return record, pdf
