"""Restructuring agreements after issue: signing, payments against the schedule, acknowledgments.

- Issuing a ``restructuring`` document records its agreement (state ``issued``) with the
  schedule and terms exactly as written into the PDF (``record_issued``).
- ``sign`` records the debtor's signing date (not before the issue date, not in the future):
  the agreement is active, and the written acknowledgment of the debt it contains is recorded
  with that date (ГК art. 183 restarts limitation; notary law art. 92-1 p. 3 lets penalty go to
  the notary route).
- Only one agreement is in force for a case's debt (reliability review D4): ``sign`` locks the
  case's agreements and refuses (409 ``agreement_in_force``, naming it by number and date) while
  another signed agreement is in force — active, performing or late. Signing supersedes the
  other open offers of the case (state ``superseded``: they can no longer be signed), and an
  earlier agreement that ended (default or completion) is ``closed``. A partial unique index
  (one ``active`` row per case) holds the same under a race.
- Which payments count: the case's payments (the ledger as last PUT by the client) dated on or
  after the signing date, and before the signing of a later agreement on the same case. They are
  matched on read, oldest instalment first, never copied: a corrected ledger corrects the state.
  A payment goes first to the current contributions due in its month or earlier (agreement
  cl. 3 and 6, legal review #7), then to the instalments; a current contribution left unpaid
  past the default term is a default (``restructuring.assess``).
- The state (active, performing, late, defaulted, completed) is assessed on read by
  ``restructuring.assess`` as of the service's today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.agreements import repository
from service.agreements.models import AcknowledgmentRow, AgreementRow
from service.agreements.restructuring import (
    DEFAULT_CLAUSE,
    EARLIER_DEFAULT_CLAUSE,
    IN_FORCE,
    SUPERSEDED,
    Acknowledgment,
    Agreement,
    AgreementPayment,
    AgreementState,
    AgreementStateError,
    AgreementTerms,
    Schedule,
    assess,
)
from service.agreements.schemas import (
    AcknowledgmentIn,
    AcknowledgmentOut,
    AcknowledgmentsOut,
    AgreementOut,
    AgreementsOut,
    SignatureIn,
)
from service.audit import service as audit
from service.audit.events import AcknowledgmentRecorded, AgreementSigned
from service.cases import repository as cases
from service.cases.debt import Payment
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.documents import repository as documents
from service.documents.models import IssuedDocumentRow
from service.errors import Conflict, FieldError, ValidationFailed
from service.kernel.calendar import WorkCalendar
from service.kernel.money import money_str
from service.kernel.text import Message
from service.kernel.words import format_date
from service.webhooks import events as webhook_events
from service.webhooks import service as webhooks

ISSUED = "issued"
ACTIVE = "active"
CLOSED = "closed"
"""Signed, ended in default or completion, and followed by a later signed agreement."""
ONE_IN_FORCE_RULE = "restructuring-not-during-agreement"


class NotAnAgreement(Conflict):
    code = "not_an_agreement"


class AgreementInForce(Conflict):
    """Another agreement of the case is in force (reliability review D4): one debt, one
    agreement. The body names the rule like a refusal to issue does."""

    code = "agreement_in_force"

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.detail = message

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": self.message},
            "errors": [],
            "violations": [
                {
                    "rule": ONE_IN_FORCE_RULE,
                    "kind": "contract",
                    "provision": None,
                    "message": self.detail.en,
                    "messages": self.detail.as_dict(),
                    "passes_on": None,
                }
            ],
        }


def record_issued(
    session: Session, document: IssuedDocumentRow, schedule: Schedule, terms: AgreementTerms
) -> AgreementRow:
    """Record the agreement a ``restructuring`` document contains (called while issuing it)."""
    row = AgreementRow(
        id=str(uuid.uuid4()),
        creditor_id=document.creditor_id,
        case_id=document.case_id,
        document_id=document.id,
        schedule=repository.schedule_wire(schedule),
        terms={
            "grace_days": terms.grace_days,
            "default_after_days": terms.default_after_days,
            "default_clause": DEFAULT_CLAUSE,
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


def case_agreements(
    session: Session, case_id: str, payments: Sequence[Payment] | None = None
) -> list[tuple[AgreementRow, Agreement]]:
    """The case's agreements with the payments that count for each (see module docstring).

    ``payments``: the case's ledger when the caller has it already (else it is read)."""
    rows = repository.of_case(session, case_id)
    if payments is None:
        payments = cases.payments_of(session, case_id)
    # the current contributions a signed agreement obliges the debtor to keep paying (cl. 6)
    charges = cases.charges_of(session, case_id) if any(r.signed_on for r in rows) else ()
    signings = sorted(r.signed_on for r in rows if r.signed_on is not None)
    result = []
    for row in rows:
        counted: tuple[AgreementPayment, ...] = ()
        if row.signed_on is not None:
            later = [d for d in signings if d > row.signed_on]
            until = later[0] if later else dt.date.max
            counted = tuple(
                AgreementPayment(p.date, p.amount)
                for p in sorted(payments, key=lambda p: p.date)
                if row.signed_on <= p.date < until
            )
        result.append((row, repository.to_agreement(row, counted, charges)))
    return result


def announce_defaults(
    session: Session, clock: Clock, calendar: WorkCalendar, case_id: str, external_id: str
) -> int:
    """Announce ``agreement.defaulted`` (webhooks) for each signed agreement of the case that
    is assessed in default today, the first time it is seen so (a default is assessed on read,
    so this runs where a write sees it: a case PUT, an issue, the periodic scan). Returns how
    many were announced now."""
    today = clock.today()
    announced = 0
    for row, agreement in case_agreements(session, case_id):
        if row.signed_on is None:
            continue
        status = assess(agreement, today, calendar)
        if status.state is not AgreementState.DEFAULTED:
            continue
        document = documents.find(session, row.document_id)
        data = {
            "agreement_id": row.id,
            "document_id": row.document_id,
            "number": document.number if document else None,
            "case": external_id,
            "signed_on": row.signed_on.isoformat(),
            "defaulted_on": status.defaulted_on.isoformat() if status.defaulted_on else None,
            "as_of": today.isoformat(),
            "outstanding": money_str(status.outstanding),
            "default_clause": default_clauses([row])[row.id],
        }
        if webhooks.emit_once(
            session,
            clock,
            creditor_id=row.creditor_id,
            event_type=webhook_events.AGREEMENT_DEFAULTED,
            subject=f"agreement:{row.id}",
            data=data,
        ):
            announced += 1
    return announced


def announce_all_defaults(session: Session, clock: Clock, calendar: WorkCalendar) -> int:
    """``announce_defaults`` for every case with an agreement in force: a default reached by
    the passing of time alone, with no write on the case (``talap webhooks scan``, the queue's
    periodic scan, ``queue.huey_queue``)."""
    return sum(
        announce_defaults(session, clock, calendar, case_id, external_id)
        for case_id, external_id in repository.cases_in_force(session)
    )


def default_clauses(rows: Sequence[AgreementRow]) -> dict[str, str]:
    """Agreement id → the clause of its text that defines default (legal review #12)."""
    return {r.id: str(r.terms.get("default_clause", EARLIER_DEFAULT_CLAUSE)) for r in rows}


def recorded_acknowledgments(session: Session, case_id: str) -> tuple[Acknowledgment, ...]:
    return tuple(
        Acknowledgment(
            date=r.date, source=r.source, document_id=r.document_id, notarised=r.notarised
        )
        for r in repository.acknowledgments_of_case(session, case_id)
    )


def sign(
    session: Session,
    clock: Clock,
    calendar: WorkCalendar,
    caller: Principal,
    document_id: str,
    signature: SignatureIn,
) -> AgreementOut:
    """Record the debtor's signature of an issued agreement (``AgreementSigned``)."""
    caller.require(Permission.ISSUE)
    today = clock.today()
    document = documents.visible(session, caller, document_id)
    row = repository.for_document(session, document.id)
    if row is None:
        raise NotAnAgreement(
            f"document {document.number} is a {document.kind}, not an agreement to sign"
        )
    # One signature wins, and one agreement per case: the case's agreements are locked together.
    others = [r for r in repository.lock_of_case(session, row.case_id) if r.id != row.id]
    errors = []
    if signature.signed_on < row.issued_on:
        errors.append(
            FieldError(
                "signed_on",
                "before_issue_date",
                f"{signature.signed_on.isoformat()} is before the agreement was issued "
                f"({row.issued_on.isoformat()})",
            )
        )
    if signature.signed_on > today:
        errors.append(FieldError("signed_on", "in_future", "a signature cannot be dated ahead"))
    if errors:
        raise ValidationFailed(errors)
    repository.to_agreement(row, ()).sign(signature.signed_on)  # a second signature: 409
    _refuse_if_one_in_force(session, others, row.case_id, signature.signed_on, calendar)
    if row.state == SUPERSEDED:
        raise AgreementStateError(
            f"agreement {document.number} was superseded when another agreement of the case "
            "was signed: issue a new offer"
        )
    for other in others:
        if other.state == ISSUED:
            other.state = SUPERSEDED
        elif other.state == ACTIVE:
            other.state = CLOSED  # ended: ``_refuse_if_one_in_force`` let it through
    session.flush()  # the earlier one leaves ``active`` before this one enters it (unique index)
    now = clock.now()
    row.signed_on = signature.signed_on
    row.signed_recorded_at = now
    row.state = ACTIVE
    try:
        session.flush()
    except IntegrityError:  # a racing signing on another database connection won
        raise AgreementInForce(
            Message(
                ru="по делу уже подписано другое соглашение о рассрочке",
                kk="іс бойынша басқа бөліп төлеу келісіміне қол қойылған",
                en="another restructuring agreement of the case was signed meanwhile",
            )
        ) from None
    event = AgreementSigned(document.id, row.id, signature.signed_on, signature.note)
    audit.record(session, event, creditor_id=row.creditor_id, actor=caller.actor, at=now)
    agreement = next(a for r, a in case_agreements(session, row.case_id) if r.id == row.id)
    return _out(row, document.number, agreement, today, calendar)


def _refuse_if_one_in_force(
    session: Session,
    others: Sequence[AgreementRow],
    case_id: str,
    signed_on: dt.date,
    calendar: WorkCalendar,
) -> None:
    """409 naming the signed agreement still in force on ``signed_on`` (reliability review D4):
    two agreements over one debt, both in force, would contradict each other."""
    signed = {r.id for r in others if r.signed_on is not None}
    if not signed:
        return
    for other, agreement in case_agreements(session, case_id):
        if other.id not in signed:
            continue
        status = assess(agreement, max(signed_on, other.signed_on or signed_on), calendar)
        if status.state in IN_FORCE:
            document = documents.find(session, other.document_id)
            number = document.number if document else other.document_id
            day = format_date(other.issued_on)
            raise AgreementInForce(
                Message(
                    ru=f"по делу действует соглашение о рассрочке № {number} от {day}: второе "
                    "соглашение на тот же долг не подписывается, пока первое не исполнено или "
                    "не нарушено",
                    kk=f"іс бойынша {day} № {number} бөліп төлеу келісімі қолданыста: бірінші "
                    "келісім орындалмайынша немесе бұзылмайынша, сол берешекке екінші келісімге "
                    "қол қойылмайды",
                    en=f"restructuring agreement No. {number} of {other.issued_on.isoformat()} "
                    f"is in force ({status.state.value}): a second agreement on the same debt "
                    "is not signed until the first is completed or in default",
                )
            )


def list_agreements(
    session: Session, caller: Principal, calendar: WorkCalendar, today: dt.date, external_id: str
) -> AgreementsOut:
    caller.require(Permission.READ)
    case = cases.get_row(session, caller.creditor(), external_id)
    items = []
    for row, agreement in case_agreements(session, case.id):
        document = documents.find(session, row.document_id)
        number = document.number if document else ""
        items.append(_out(row, number, agreement, today, calendar))
    return AgreementsOut(case=external_id, as_of=today, agreements=items)


def _out(
    row: AgreementRow, number: str, agreement: Agreement, today: dt.date, calendar: WorkCalendar
) -> AgreementOut:
    return AgreementOut.of(
        agreement_id=row.id,
        document_id=row.document_id,
        number=number,
        issued_on=row.issued_on,
        signed_on=row.signed_on,
        terms=agreement.terms,
        status=assess(agreement, today, calendar),
    )


def record_acknowledgment(
    session: Session,
    clock: Clock,
    caller: Principal,
    external_id: str,
    acknowledgment: AcknowledgmentIn,
) -> AcknowledgmentOut:
    """A written acknowledgment of the debt (``AcknowledgmentRecorded``)."""
    caller.require(Permission.WRITE_CASES)
    if acknowledgment.date > clock.today():
        raise ValidationFailed(
            [FieldError("date", "in_future", "an acknowledgment cannot be dated ahead")]
        )
    case = cases.get_row(session, caller.creditor(), external_id)
    if acknowledgment.document_id is not None:
        documents.visible(session, caller, acknowledgment.document_id)
    now = clock.now()
    row = AcknowledgmentRow(
        id=str(uuid.uuid4()),
        creditor_id=case.creditor_id,
        case_id=case.id,
        date=acknowledgment.date,
        source=acknowledgment.source,
        notarised=acknowledgment.notarised,
        document_id=acknowledgment.document_id,
        note=acknowledgment.note,
        recorded_at=now,
        actor=caller.actor,
    )
    session.add(row)
    session.flush()
    event = AcknowledgmentRecorded(external_id, row.id, row.date, row.source)
    audit.record(session, event, creditor_id=case.creditor_id, actor=row.actor, at=now)
    return _acknowledgment_out(row)


def list_acknowledgments(
    session: Session, caller: Principal, external_id: str
) -> AcknowledgmentsOut:
    """Recorded acknowledgments and those contained in signed agreements, oldest first."""
    caller.require(Permission.READ)
    case = cases.get_row(session, caller.creditor(), external_id)
    items = [_acknowledgment_out(r) for r in repository.acknowledgments_of_case(session, case.id)]
    items += [
        AcknowledgmentOut(
            id=row.id,
            date=row.signed_on,
            source="agreement",
            notarised=False,
            document_id=row.document_id,
            note=None,
        )
        for row in repository.of_case(session, case.id)
        if row.signed_on is not None
    ]
    items.sort(key=lambda item: item.date)
    return AcknowledgmentsOut(case=external_id, acknowledgments=items)


def _acknowledgment_out(row: AcknowledgmentRow) -> AcknowledgmentOut:
    return AcknowledgmentOut(
        id=row.id,
        date=row.date,
        source=row.source,
        notarised=row.notarised,
        document_id=row.document_id,
        note=row.note,
    )
