"""Issuing a document: the pipeline from request to a signed, archived, numbered record.

authorise → load case → compute debt (pure) → validate fields → evaluate rules → allocate number
→ render (Typst, PDF/A) → sign (PAdES) → archive (write-once) → record + audit event, all in
one transaction: if anything fails after the number was allocated, the rollback returns it, so
numbers stay gapless and no half-issued document exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from service.application import agreements
from service.application.auth import Permission, Principal
from service.application.cases import compute_case_debt
from service.application.facts import build_facts
from service.application.history import case_history
from service.application.kind_facts import (
    enforcement_facts,
    first_due_problem,
    restructuring_facts,
    venue_facts,
)
from service.application.policy import overrides_for
from service.application.records import DocumentRecord
from service.application.requirements import required_field_errors
from service.bootstrap import Container
from service.contract import IssueIn, parse
from service.db import repositories as repo
from service.db.models import IssuedDocumentRow
from service.domain.rules import (
    DocumentKind,
    Evaluation,
    RequestedDocument,
    Route,
    evaluate_all,
)
from service.domain.rules.settings import restructuring_defaults
from service.errors import Conflict, FieldError, RulesViolated, ValidationFailed
from service.rendering.schema import missing_fields


@dataclass(frozen=True)
class Prepared:
    request: IssueIn
    case: repo.StoredCase
    facts: dict[str, Any]
    template_version: str
    evaluation: Evaluation

    @property
    def violations(self) -> list[dict[str, Any]]:
        return [v.as_dict() for v in self.evaluation.violations]


@dataclass(frozen=True)
class IssueOutcome:
    document: DocumentRecord
    replayed: bool


def request_hash(external_id: str, request: IssueIn) -> str:
    """What an Idempotency-Key promises: the same case and the same body."""
    body = {"case": external_id, "request": request.model_dump(mode="json")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def document_language(request: IssueIn) -> str:
    """A restructuring agreement is a written transaction: always Kazakh and Russian (language
    law art. 15), whichever language the client asked for."""
    return "bilingual" if request.kind == "restructuring" else request.language


def prepare(
    c: Container, session: Session, principal: Principal, external_id: str, payload: Any
) -> Prepared:
    """Every pure step before a number is allocated (also the dry run behind preview)."""
    request = parse(IssueIn, payload)
    creditor_id = principal.creditor()
    case = repo.load_case(session, creditor_id, external_id)
    creditor = repo.get_creditor(session, creditor_id)
    today = c.clock.today()
    deadline = request.deadline or today + dt.timedelta(days=c.settings.payment_days)
    errors = required_field_errors(request.kind, case, creditor.profile)
    if deadline <= today:
        errors.append(
            FieldError("deadline", "deadline_not_after_issue", "must be after the issue date")
        )
    if request.kind == "restructuring":
        if request.restructuring is None:
            errors.append(
                FieldError("restructuring", "required", "give installments and first_due")
            )
        elif problem := first_due_problem(request, today):
            errors.append(FieldError("restructuring.first_due", "not_after_issue", problem))
    if errors:
        raise ValidationFailed(errors)
    summary, penalty = compute_case_debt(case, today, c.calendar, c.penalty_policy)
    overrides = overrides_for(session, creditor_id, today)
    language = document_language(request)
    route = Route(request.route) if request.route else None
    requested = RequestedDocument(DocumentKind(request.kind), language, route)
    history = case_history(session, case.id, summary)
    evaluation = evaluate_all(c.rulebook, history, requested, today, c.calendar, overrides)
    facts = build_facts(
        kind=request.kind,
        language=language,
        case=case,
        creditor_profile=creditor.profile,
        summary=summary,
        penalty=penalty,
        provisions=c.provisions,
        issue_date=today,
        deadline=deadline,
        number=None,
        document_id=None,
        verify_url=None,
        development_signature=False,
        draft=True,
        route=request.route,
    )
    if request.kind in ("warning", "pretrial"):
        facts["enforcement"] = enforcement_facts(summary)
        acknowledgments = history.all_acknowledgments()
        facts["acknowledgment"] = (
            {"date": acknowledgments[-1].date.isoformat(), "source": acknowledgments[-1].source}
            if acknowledgments
            else None
        )
    if request.kind == "pretrial":
        facts["route"] = request.route
        facts["venue"] = venue_facts(case, creditor.profile)
    if request.kind == "restructuring":
        defaults = restructuring_defaults(c.rulebook, today, overrides)
        facts["restructuring"] = restructuring_facts(request, summary, penalty, defaults)
    return Prepared(
        request=request,
        case=case,
        facts=facts,
        template_version=c.template_version(request.kind, language),
        evaluation=evaluation,
    )


def preview(c: Container, principal: Principal, external_id: str, payload: Any) -> bytes:
    """The PDF as it would be issued, unnumbered, unsigned, marked draft. Nothing is stored."""
    principal.require(Permission.PREVIEW)
    with c.db.transaction(read_only=True) as session:
        prepared = prepare(c, session, principal, external_id, payload)
    return c.renderer.render(prepared.facts)


def explain(c: Container, principal: Principal, external_id: str, payload: Any) -> dict[str, Any]:
    principal.require(Permission.PREVIEW)
    with c.db.transaction(read_only=True) as session:
        prepared = prepare(c, session, principal, external_id, payload)
    return prepared.evaluation.as_dict()


def issue(
    c: Container,
    principal: Principal,
    external_id: str,
    payload: Any,
    idempotency_key: str | None = None,
) -> IssueOutcome:
    principal.require(Permission.ISSUE)
    request = parse(IssueIn, payload)
    fingerprint = request_hash(external_id, request)
    try:
        with c.db.transaction() as session:
            if idempotency_key:
                replay = _replay(session, principal.creditor(), idempotency_key, fingerprint)
                if replay:
                    return replay
            return IssueOutcome(
                _issue_new(
                    c, session, principal, external_id, payload, idempotency_key, fingerprint
                ),
                replayed=False,
            )
    except sa_exc.IntegrityError:
        # Only a concurrent request with the same Idempotency-Key can get here (its insert lost
        # the race and was rolled back, number included); answer with the winner.
        if not idempotency_key:
            raise
        with c.db.transaction(read_only=True) as session:
            replay = _replay(session, principal.creditor(), idempotency_key, fingerprint)
        if replay is None:
            raise
        return replay


def _replay(session: Session, creditor_id: str, key: str, fingerprint: str) -> IssueOutcome | None:
    existing = repo.find_by_idempotency_key(session, creditor_id, key)
    if existing is None:
        return None
    if existing.request_hash != fingerprint:
        raise Conflict(
            f"Idempotency-Key {key!r} was already used for a different request "
            f"(document {existing.number})"
        )
    return IssueOutcome(
        DocumentRecord.of(existing, repo.case_external_id(session, existing.case_id)),
        replayed=True,
    )


def _issue_new(
    c: Container,
    session: Session,
    principal: Principal,
    external_id: str,
    payload: Any,
    idempotency_key: str | None,
    fingerprint: str,
) -> DocumentRecord:
    prepared = prepare(c, session, principal, external_id, payload)
    # Every problem at once: fields the document kind requires and the rules it breaks.
    missing = missing_fields(prepared.facts)
    if missing:
        raise ValidationFailed(missing, prepared.violations)
    if prepared.violations:
        raise RulesViolated(prepared.violations)
    creditor_id = principal.creditor()
    issue_date = dt.date.fromisoformat(prepared.facts["issue_date"])
    sequence = repo.allocate_number(session, creditor_id, issue_date.year)
    number = f"{issue_date.year}-{sequence:05d}"
    document_id = str(uuid.uuid4())
    signer = c.signer
    facts = {
        **prepared.facts,
        "number": number,
        "document_id": document_id,
        "verify_url": c.verify_url(document_id),
        "development_signature": signer.is_development,
        "draft": False,
    }
    pdf = c.renderer.render(facts)
    signed = signer.sign(pdf, reason=f"{prepared.request.kind} № {number}", location="Kazakhstan")
    stored = c.archive.put(signed)
    now = c.clock.now()
    row = IssuedDocumentRow(
        id=document_id,
        creditor_id=creditor_id,
        case_id=prepared.case.id,
        kind=prepared.request.kind,
        language=prepared.facts["language"],
        year=issue_date.year,
        sequence=sequence,
        number=number,
        issue_date=issue_date,
        template_version=prepared.template_version,
        sha256=stored.sha256,
        size=stored.size,
        snapshot=facts,
        request=prepared.request.model_dump(mode="json"),
        request_hash=fingerprint,
        idempotency_key=idempotency_key,
        signer_subject=signer.subject,
        signer_certificate=signer.certificate_der,
        development_signature=signer.is_development,
        created_at=now,
    )
    session.add(row)
    session.flush()
    if row.kind == "restructuring":
        agreements.record_issued(session, row, facts["restructuring"])
    repo.append_event(
        session,
        creditor_id=creditor_id,
        actor=f"api_key:{principal.key_id}",
        action="DocumentIssued",
        subject=f"document:{document_id}",
        payload={
            "number": number,
            "kind": row.kind,
            "sha256": row.sha256,
            "case": external_id,
            "template_version": row.template_version,
        },
        occurred_at=now,
    )
    return DocumentRecord.of(row, external_id)
