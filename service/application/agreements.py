"""Restructuring agreements after issue: signing, payments against the schedule, acknowledgments.

- Issuing a ``restructuring`` document records its agreement (state ``issued``) with the
  schedule and terms exactly as written into the PDF (``record_issued``).
- ``sign`` records the debtor's signing date (not before the issue date, not in the future):
  the agreement is active, and the written acknowledgment of the debt it contains is recorded
  with that date (ГК art. 183 restarts limitation; notary law art. 92-1 p. 3 lets penalty go to
  the notary route).
- Which payments count: the case's payments (the ledger as last PUT by the client) dated on or
  after the signing date, and before the signing of a later agreement on the same case. They are
  matched on read, oldest instalment first, never copied: a corrected ledger corrects the state.
  Payments towards charges that fall due after signing are not told apart from instalments (the
  ledger does not say what a payment was for), so this can only over-credit the debtor, never
  declare a default that did not happen.
- The state (active, performing, late, defaulted, completed) is assessed on read by
  ``service.domain.restructuring.assess`` as of the service's today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from service.application.auth import Permission, Principal
from service.application.documents import visible_document
from service.bootstrap import Container
from service.contract import AcknowledgmentIn, SignatureIn, parse
from service.db import repositories as repo
from service.db import rules_repository as rules_repo
from service.db.models import AcknowledgmentRow, AgreementRow, CaseRow, IssuedDocumentRow
from service.domain.money import money_str
from service.domain.restructuring import (
    Account,
    Acknowledgment,
    Agreement,
    AgreementPayment,
    AgreementStatus,
    AgreementTerms,
    Instalment,
    InstalmentStatus,
    Schedule,
    assess,
)
from service.errors import Conflict, FieldError, ValidationFailed

ISSUED = "issued"
ACTIVE = "active"


class NotAnAgreement(Conflict):
    code = "not_an_agreement"


def record_issued(
    session: Session, document: IssuedDocumentRow, restructuring: Mapping[str, Any]
) -> AgreementRow:
    """Record the agreement a ``restructuring`` document contains (called while issuing it)."""
    row = AgreementRow(
        id=str(uuid.uuid4()),
        creditor_id=document.creditor_id,
        case_id=document.case_id,
        document_id=document.id,
        schedule={
            "instalments": list(restructuring["schedule"]),
            "principal": {
                "current": restructuring["totals"]["current"],
                "savings": restructuring["totals"]["savings"],
            },
            "penalty": restructuring["totals"]["penalty"],
            "penalty_waived": money_str(
                Decimal(restructuring["acknowledged"]["penalty"])
                - Decimal(restructuring["totals"]["penalty"])
            ),
            "penalty_account": restructuring["penalty_account"],
        },
        terms={
            "grace_days": int(restructuring["grace_days"]),
            "default_after_days": int(restructuring["default_after_days"]),
        },
        state=ISSUED,
        issued_on=document.issue_date,
        signed_on=None,
        signed_recorded_at=None,
        created_at=document.created_at,
    )
    session.add(row)
    session.flush()
    return row


def case_agreements(session: Session, case_id: str) -> list[tuple[AgreementRow, Agreement]]:
    """The case's agreements with the payments that count for each (see module docstring)."""
    rows = rules_repo.agreements_of_case(session, case_id)
    payments = [
        (p.date, repo.from_tiyn_int(p.amount_tiyn))
        for p in rules_repo.payments_of_case(session, case_id)
    ]
    signings = sorted(r.signed_on for r in rows if r.signed_on is not None)
    result = []
    for row in rows:
        counted: tuple[AgreementPayment, ...] = ()
        if row.signed_on is not None:
            later = [d for d in signings if d > row.signed_on]
            until = later[0] if later else dt.date.max
            counted = tuple(
                AgreementPayment(date, amount)
                for date, amount in payments
                if row.signed_on <= date < until
            )
        result.append((row, _domain(row, counted)))
    return result


def _domain(row: AgreementRow, payments: tuple[AgreementPayment, ...]) -> Agreement:
    stored = row.schedule
    schedule = Schedule(
        instalments=tuple(
            Instalment(
                number=int(i["number"]),
                due_date=dt.date.fromisoformat(i["due"]),
                current=Decimal(i["current"]),
                savings=Decimal(i["savings"]),
                penalty=Decimal(i["penalty"]),
            )
            for i in stored["instalments"]
        ),
        principal={Account(k): Decimal(v) for k, v in stored["principal"].items()},
        penalty=Decimal(stored["penalty"]),
        penalty_waived=Decimal(stored["penalty_waived"]),
        penalty_account=Account(stored["penalty_account"]),
    )
    return Agreement(
        id=row.id,
        schedule=schedule,
        terms=AgreementTerms(
            grace_days=int(row.terms["grace_days"]),
            default_after_days=int(row.terms["default_after_days"]),
        ),
        issued_on=row.issued_on,
        signed_on=row.signed_on,
        payments=payments,
    )


def _case(session: Session, principal: Principal, external_id: str) -> CaseRow:
    case = repo.get_case_row(session, principal.creditor(), external_id)
    return case


def sign(c: Container, principal: Principal, document_id: str, payload: Any) -> dict[str, Any]:
    """Record the debtor's signature of an issued agreement (``AgreementSigned``)."""
    principal.require(Permission.ISSUE)
    request = parse(SignatureIn, payload)
    today = c.clock.today()
    with c.db.transaction() as session:
        document = visible_document(session, principal, document_id)
        row = rules_repo.agreement_for_document(session, document.id)
        if row is None:
            if document.kind != "restructuring":
                raise NotAnAgreement(
                    f"document {document.number} is a {document.kind}, not an agreement to sign"
                )
            # Issued before agreements were recorded: take the schedule from its snapshot.
            row = record_issued(session, document, document.snapshot["restructuring"])
        errors = []
        if request.signed_on < row.issued_on:
            errors.append(
                FieldError(
                    "signed_on",
                    "before_issue_date",
                    f"{request.signed_on.isoformat()} is before the agreement was issued "
                    f"({row.issued_on.isoformat()})",
                )
            )
        if request.signed_on > today:
            errors.append(FieldError("signed_on", "in_future", "a signature cannot be dated ahead"))
        if errors:
            raise ValidationFailed(errors)
        _domain(row, ()).sign(request.signed_on)  # refuses a second signature (409)
        now = c.clock.now()
        row.signed_on = request.signed_on
        row.signed_recorded_at = now
        row.state = ACTIVE
        session.flush()
        repo.append_event(
            session,
            creditor_id=row.creditor_id,
            actor=f"api_key:{principal.key_id}",
            action="AgreementSigned",
            subject=f"document:{document.id}",
            payload={
                "agreement": row.id,
                "signed_on": request.signed_on.isoformat(),
                "acknowledgment": {"date": request.signed_on.isoformat(), "source": "agreement"},
                "note": request.note,
            },
            occurred_at=now,
        )
        agreement = next(a for r, a in case_agreements(session, row.case_id) if r.id == row.id)
        return agreement_json(row, document.number, assess(agreement, today, c.calendar))


def list_agreements(c: Container, principal: Principal, external_id: str) -> dict[str, Any]:
    principal.require(Permission.READ)
    today = c.clock.today()
    with c.db.transaction(read_only=True) as session:
        case = _case(session, principal, external_id)
        items = []
        for row, agreement in case_agreements(session, case.id):
            document = repo.find_document(session, row.document_id)
            number = document.number if document else ""
            items.append(agreement_json(row, number, assess(agreement, today, c.calendar)))
        return {"case": external_id, "as_of": today.isoformat(), "agreements": items}


def agreement_json(row: AgreementRow, number: str, status: AgreementStatus) -> dict[str, Any]:
    terms = row.terms
    return {
        "id": row.id,
        "document_id": row.document_id,
        "number": number,
        "issued_on": row.issued_on.isoformat(),
        "signed_on": row.signed_on.isoformat() if row.signed_on else None,
        "state": status.state.value,
        "as_of": status.as_of.isoformat(),
        "terms": dict(terms),
        "total": money_str(status.paid + status.outstanding),
        "paid": money_str(status.paid),
        "outstanding": money_str(status.outstanding),
        "defaulted_on": status.defaulted_on.isoformat() if status.defaulted_on else None,
        "acknowledgment": (
            {"date": row.signed_on.isoformat(), "source": "agreement", "provisions": _ACK}
            if row.signed_on
            else None
        ),
        "payments_counted": "case payments dated on or after the signing date",
        "instalments": [_instalment_json(s, status.as_of, terms) for s in status.instalments],
    }


_ACK = ["gk-183", "notary-92-1-p3"]


def _instalment_json(
    s: InstalmentStatus, as_of: dt.date, terms: Mapping[str, Any]
) -> dict[str, Any]:
    if s.outstanding <= 0:
        state = "paid" if s.days_late == 0 else "paid_late"
    elif s.deadline >= as_of:
        state = "upcoming"
    elif s.days_late > int(terms["default_after_days"]):
        state = "defaulted"
    elif s.days_late > int(terms["grace_days"]):
        state = "late"
    else:
        state = "in_grace"
    return {
        "number": s.instalment.number,
        "due": s.instalment.due_date.isoformat(),
        "deadline": s.deadline.isoformat(),
        "total": money_str(s.instalment.total),
        "paid": money_str(s.paid),
        "outstanding": money_str(s.outstanding),
        "paid_in_full_on": s.paid_in_full_on.isoformat() if s.paid_in_full_on else None,
        "days_late": s.days_late,
        "status": state,
    }


# --- acknowledgments recorded apart from agreements --------------------------------------------


def record_acknowledgment(
    c: Container, principal: Principal, external_id: str, payload: Any
) -> dict[str, Any]:
    """A written acknowledgment of the debt (``AcknowledgmentRecorded``)."""
    principal.require(Permission.WRITE_CASES)
    request = parse(AcknowledgmentIn, payload)
    if request.date > c.clock.today():
        raise ValidationFailed(
            [FieldError("date", "in_future", "an acknowledgment cannot be dated ahead")]
        )
    with c.db.transaction() as session:
        case = _case(session, principal, external_id)
        if request.document_id is not None:
            visible_document(session, principal, request.document_id)
        now = c.clock.now()
        row = AcknowledgmentRow(
            id=str(uuid.uuid4()),
            creditor_id=case.creditor_id,
            case_id=case.id,
            date=request.date,
            source=request.source,
            notarised=request.notarised,
            document_id=request.document_id,
            note=request.note,
            recorded_at=now,
            actor=f"api_key:{principal.key_id}",
        )
        session.add(row)
        session.flush()
        repo.append_event(
            session,
            creditor_id=case.creditor_id,
            actor=row.actor,
            action="AcknowledgmentRecorded",
            subject=f"case:{external_id}",
            payload={"acknowledgment": row.id, "date": row.date.isoformat(), "source": row.source},
            occurred_at=now,
        )
        return _acknowledgment_json(row)


def list_acknowledgments(c: Container, principal: Principal, external_id: str) -> dict[str, Any]:
    """Recorded acknowledgments and those contained in signed agreements, oldest first."""
    principal.require(Permission.READ)
    with c.db.transaction(read_only=True) as session:
        case = _case(session, principal, external_id)
        items = [
            _acknowledgment_json(r) for r in rules_repo.acknowledgments_of_case(session, case.id)
        ]
        items += [
            {
                "id": row.id,
                "date": row.signed_on.isoformat(),
                "source": "agreement",
                "notarised": False,
                "document_id": row.document_id,
                "note": None,
            }
            for row in rules_repo.agreements_of_case(session, case.id)
            if row.signed_on is not None
        ]
        items.sort(key=lambda item: str(item["date"]))
        return {"case": external_id, "acknowledgments": items}


def recorded_acknowledgments(session: Session, case_id: str) -> tuple[Acknowledgment, ...]:
    return tuple(
        Acknowledgment(date=r.date, source=r.source, document_id=r.document_id)
        for r in rules_repo.acknowledgments_of_case(session, case_id)
    )


def _acknowledgment_json(row: AcknowledgmentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "date": row.date.isoformat(),
        "source": row.source,
        "notarised": row.notarised,
        "document_id": row.document_id,
        "note": row.note,
    }
