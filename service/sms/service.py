"""Sending a document's notice by SMS, and the gateway's signed delivery reports.

- The sender (``SENDERS["sms"]``) runs in the request's transaction, after the attempt was
  started: it composes the text (``message``), stores it with the number it goes to, and puts
  an ``sms.send`` item in the outbox — nothing leaves before the commit.
- The handler (``tasks.send_sms``) posts it to the gateway outside any transaction, with the
  outbox id as idempotency key, then records ``sent`` with the gateway's message id and
  completes the outbox item in one transaction.
- A report (``receive_report``) is authenticated by the gateway's secret (HMAC-SHA256 over
  timestamp and body, ``kit.signatures``), a timestamp within ±5 min of the clock, and a
  signature never accepted before (replays refused); its body is kept as the event's receipt.
  The delivery model keeps a terminal state against late or out-of-order reports.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from service.archive import Archive
from service.cases import repository as cases
from service.cases.case import DebtCase, assess
from service.channels.sms import SentSms, SmsChannel
from service.clock import Clock
from service.creditors import repository as creditors
from service.deliveries.attempts import EventResult, System
from service.deliveries.models import DeliveryRow
from service.deliveries.service import append_event
from service.documents import repository as documents
from service.documents.models import IssuedDocumentRow
from service.errors import FieldError, NotFound, TalapError, ValidationFailed
from service.kit import signatures
from service.kit.logs import log_event
from service.outbox import service as outbox
from service.sms import repository
from service.sms.message import Notice, compose
from service.sms.models import SmsMessageRow
from service.sms.phone import e164
from service.sms.reports import read_report

if TYPE_CHECKING:
    from service.bootstrap import Wiring

TOPIC = "sms.send"
MAX_REPORT_BYTES = 16 * 1024
log = logging.getLogger("talap.sms")


class BadSignature(TalapError):
    status = 401
    code = "bad_signature"


class Replayed(TalapError):
    status = 409
    code = "replayed"


def source_of(gateway: str) -> str:
    return f"sms:{gateway}"


# --- sending ---------------------------------------------------------------------------------


def send_attempt(session: Session, clock: Clock, wiring: Wiring, attempt: DeliveryRow) -> None:
    """``deliveries.senders.SENDERS["sms"]``: queue the SMS of a started attempt, in the
    request's transaction."""
    channel: SmsChannel = wiring.sms
    gateway = channel.gateway()
    if gateway is None:
        raise ValidationFailed(
            [
                FieldError(
                    "channel",
                    "no_gateway",
                    "no SMS gateway is configured (TALAP_SMS_GATEWAYS or TALAP_SMS_GATEWAY_URL): "
                    "give status and delivered_at to record an outcome instead",
                )
            ]
        )
    document = documents.find(session, attempt.document_id)
    if document is None:
        raise NotFound(f"document {attempt.document_id} not found")
    case = cases.to_case(session, repository.case_row(session, document.case_id))
    given, path = attempt.recipient, "recipient"
    if given is None:
        given, path = case.debtor.phone, "debtor.phone"
    if not given:
        raise ValidationFailed(
            [FieldError("recipient", "required", "the case has no debtor phone: give recipient")]
        )
    phone = e164(given)
    if phone is None:
        raise ValidationFailed(
            [FieldError(path, "invalid_phone", "not a phone number an SMS can go to")]
        )
    attempt.recipient = phone
    sms = compose(notice_of(session, wiring, document, case))
    now = clock.now()
    reference = outbox.enqueue(
        session,
        topic=TOPIC,
        payload={"delivery_id": attempt.id},
        creditor_id=attempt.creditor_id,
        subject=f"delivery:{attempt.id}",
        at=now,
    )
    session.add(
        SmsMessageRow(
            reference=reference,
            delivery_id=attempt.id,
            creditor_id=attempt.creditor_id,
            gateway=gateway.name,
            recipient=phone,
            text=sms.text,
            language=sms.language,
            encoding=sms.segments.encoding,
            segments=sms.segments.count,
            message_id=None,
            created_at=now,
            sent_at=None,
        )
    )
    session.flush()
    log_event(
        log,
        "sms.queued",
        delivery_id=attempt.id,
        reference=reference,
        gateway=gateway.name,
        segments=sms.segments.count,
        encoding=sms.segments.encoding,
    )


def notice_of(
    session: Session, wiring: Wiring, document: IssuedDocumentRow, case: DebtCase
) -> Notice:
    """What the SMS says: the document's columns, the creditor's name, and the overdue
    principal on the day it is sent (what the debtor has to pay now; the linked document states
    it as of its date)."""
    law = wiring.law
    today = wiring.clock.today()
    debt = assess(case, today, law.calendar, law.penalty_policy)
    creditor = creditors.get(session, document.creditor_id)
    return Notice(
        kind=document.kind,
        number=document.number,
        language=document.language,
        debtor_language=case.debtor.language,
        amount=debt.summary.totals.overdue,
        issue_date=document.issue_date,
        deadline=document.deadline,
        verify_url=wiring.links.public_verify(document.verify_token),
        creditor=creditor.name.as_dict(),
    )


def record_sent(
    session: Session, clock: Clock, archive: Archive, reference: str, sent: SentSms
) -> EventResult | None:
    """The gateway took the message: its id, the ``sent`` event (the gateway's answer as the
    receipt), and the outbox item done — together. ``None`` if it was recorded before."""
    row = repository.message(session, reference)
    if row is None:
        raise NotFound(f"no SMS {reference}")
    if not outbox.complete(session, reference, at=clock.now()):
        return None  # a second run of the item after a crash: recorded the first time
    now = clock.now()
    row.message_id = sent.message_id
    row.sent_at = now
    session.flush()
    return append_event(
        session,
        clock,
        archive,
        delivery_id=row.delivery_id,
        status="sent",
        occurred_at=now,
        source=source_of(row.gateway),
        raw=sent.response,
        details={"message_id": sent.message_id, "segments": row.segments},
        actor=System(source_of(row.gateway)).actor,
    )


def record_refused(
    session: Session, clock: Clock, archive: Archive, reference: str, reason: str
) -> EventResult | None:
    """The gateway refused the message: a ``permanent_failure`` for the attempt."""
    row = repository.message(session, reference)
    if row is None:
        return None
    return append_event(
        session,
        clock,
        archive,
        delivery_id=row.delivery_id,
        status="permanent_failure",
        occurred_at=clock.now(),
        source=source_of(row.gateway),
        details={"error": reason[:300]},
        actor=System(source_of(row.gateway)).actor,
    )


# --- delivery reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutcome:
    delivery_id: str
    status: str
    applied: bool
    duplicate: bool
    outcome: str


def authenticate(
    session: Session,
    clock: Clock,
    channel: SmsChannel,
    gateway: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
) -> None:
    """404 for a gateway not configured, 401 for a bad or stale signature, 409 for a replay."""
    secrets = channel.secrets.get(gateway)
    if not secrets:
        raise NotFound(f"no SMS gateway {gateway!r}")
    now = clock.now()
    try:
        verified = signatures.verify(secrets, body, timestamp, signature, now)
    except signatures.SignatureRefused as exc:
        log_event(log, "sms.callback_refused", gateway=gateway, reason=str(exc))
        raise BadSignature(str(exc)) from None
    repository.forget_callbacks(session, gateway, now - 2 * signatures.TOLERANCE)
    if not repository.claim_callback(session, gateway, verified.signature, verified.timestamp, now):
        log_event(log, "sms.callback_replayed", gateway=gateway)
        raise Replayed("this signed report was received before")


def receive_report(
    session: Session,
    clock: Clock,
    archive: Archive,
    channel: SmsChannel,
    gateway: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
) -> ReportOutcome:
    """``POST /v1/deliveries/callbacks/{gateway}``: one authenticated delivery report."""
    authenticate(session, clock, channel, gateway, body, timestamp, signature)
    report = read_report(body)
    row = repository.find(session, gateway, report.message_id, report.reference)
    if row is None:
        raise NotFound(f"gateway {gateway!r} reported on a message Talap did not send")
    details: dict[str, Any] = {"gateway_status": report.gateway_status}
    details["message_id"] = report.message_id or row.message_id
    if report.error:
        details["error"] = report.error
    result = append_event(
        session,
        clock,
        archive,
        delivery_id=row.delivery_id,
        status=report.status,
        occurred_at=report.at or clock.now(),
        source=source_of(gateway),
        raw=body,
        details=details,
        actor=System(source_of(gateway)).actor,
    )
    log_event(
        log,
        "sms.report",
        gateway=gateway,
        delivery_id=row.delivery_id,
        status=report.status,
        applied=result.applied,
        duplicate=result.duplicate,
    )
    return ReportOutcome(
        row.delivery_id, report.status, result.applied, result.duplicate, result.outcome
    )
