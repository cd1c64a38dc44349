"""Sending a document by e-mail, and reading the bounces that come back.

- The sender (``SENDERS["email"]``) runs in the request's transaction after the attempt was
  started: it settles the recipient (given, or the debtor's e-mail from the case), makes the
  Message-ID and the return path, and puts an ``email.send`` item in the outbox — nothing leaves
  before the commit.
- The handler (``tasks.send_email``) builds the message from the archive (the PDF re-hashed
  against its record first), sends it outside any transaction, then records ``sent`` (the
  message as sent is its receipt) and finishes the outbox item in one transaction: exactly one
  ``sent``. If the process dies after the server took the message and before that commit, the
  item runs again and sends the same message — same Message-ID, same bytes — so the recipient's
  side can tell it is one message.
- A bounce (``ingest_bounce``) is read as a DSN; its return path names the attempt; it becomes
  one event with the raw report as its receipt (``dsn.Notice.event_status``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from service.channels.email import Accepted, SendFailed, domain_of, is_address
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal
from service.deliveries import repository as deliveries
from service.deliveries.attempts import EventResult, System
from service.deliveries.models import DeliveryRow
from service.deliveries.service import append_event
from service.documents import repository as documents
from service.errors import FieldError, NotFound, TooLarge, ValidationFailed
from service.kit.logs import log_event
from service.mail import repository
from service.mail.dsn import NotADsn, Notice, read_dsn
from service.mail.message import Letter, message_id, return_path
from service.outbox import repository as outbox_rows
from service.outbox import service as outbox
from service.outbox.handlers import OutboxItem, PermanentFailure

if TYPE_CHECKING:
    from service.bootstrap import Wiring

TOPIC = "email.send"
SMTP, DSN = "smtp", "dsn"
MAX_BOUNCE = 10 * 1024 * 1024
log = logging.getLogger("talap.mail")


# --- queueing (the request) ------------------------------------------------------------------


def send_attempt(session: Session, clock: Clock, wiring: Wiring, attempt: DeliveryRow) -> None:
    """``deliveries.senders.SENDERS["email"]``: queue the e-mail of a started attempt."""
    mailer = wiring.mailer
    if mailer is None:
        raise ValidationFailed(
            [
                FieldError(
                    "channel",
                    "no_smtp",
                    "e-mail sending is not configured (TALAP_SMTP_HOST, TALAP_SMTP_FROM): give "
                    "status and delivered_at to record an outcome instead",
                )
            ]
        )
    document = documents.find(session, attempt.document_id)
    if document is None:
        raise NotFound(f"document {attempt.document_id} not found")
    given, path = attempt.recipient, "recipient"
    if not given:
        given = repository.debtor_contacts(session, document.case_id).get("email")
        path = "debtor.email"
    if not given:
        raise ValidationFailed(
            [FieldError("recipient", "required", "the case has no debtor e-mail: give recipient")]
        )
    if not is_address(given):
        raise ValidationFailed([FieldError(path, "invalid_email", "not an e-mail address")])
    domain = wiring.settings.smtp_return_domain or domain_of(mailer.sender)
    facts = {
        "delivery_id": attempt.id,
        "message_id": message_id(attempt.id, domain),
        "return_path": return_path(attempt.id, domain),
        "date": clock.now().isoformat(),
    }
    attempt.recipient = given.strip()
    attempt.details = {**attempt.details, **facts}
    reference = outbox.enqueue(
        session,
        topic=TOPIC,
        payload=facts,
        creditor_id=attempt.creditor_id,
        subject=f"delivery:{attempt.id}",
        at=clock.now(),
    )
    log_event(log, "email.queued", delivery_id=attempt.id, outbox_id=reference)


# --- sending (the outbox handler's transactions) ----------------------------------------------


@dataclass(frozen=True)
class Prepared:
    letter: Letter
    return_path: str


def prepare(session: Session, wiring: Wiring, item: OutboxItem, sender: str) -> Prepared:
    """The letter of an ``email.send`` item, from the records and the archive (read only)."""
    payload = item.payload
    attempt = deliveries.find(session, payload["delivery_id"])
    if attempt is None or not attempt.recipient:
        raise PermanentFailure(f"no e-mail attempt {payload['delivery_id']}")
    document = documents.find(session, attempt.document_id)
    if document is None:
        raise PermanentFailure(f"no document {attempt.document_id}")
    pdf = wiring.archive.get(document.sha256)
    if hashlib.sha256(pdf).hexdigest() != document.sha256:
        log_event(log, "email.pdf_mismatch", delivery_id=attempt.id, document_id=document.id)
        raise PermanentFailure("the archived PDF does not hash to its record: not sent")
    creditor = creditors.get(session, document.creditor_id)
    letter = Letter(
        attempt_id=attempt.id,
        message_id=payload["message_id"],
        date=dt.datetime.fromisoformat(payload["date"]),
        sender=sender,
        recipient=attempt.recipient,
        kind=document.kind,
        number=document.number,
        issue_date=document.issue_date,
        creditor_kk=creditor.name.kk,
        creditor_ru=creditor.name.ru,
        verify_url=wiring.links.public_verify(document.verify_token),
        pdf=pdf,
    )
    return Prepared(letter, payload["return_path"])


def record_sent(
    session: Session, wiring: Wiring, item: OutboxItem, accepted: Accepted
) -> EventResult | None:
    """``sent``, with the message as sent for its receipt, and the item done — together; nothing
    if another run already finished the item."""
    now = wiring.clock.now()
    if not outbox.complete(session, item.id, at=now):
        return None
    result = append_event(
        session,
        wiring.clock,
        wiring.archive,
        delivery_id=item.payload["delivery_id"],
        status="sent",
        occurred_at=now,
        source=SMTP,
        raw=accepted.data,
        details={
            "message_id": item.payload["message_id"],
            "smtp_reply": f"{accepted.code} {accepted.reply}"[:500],
            "dsn_requested": accepted.dsn_requested,
        },
        actor=System("email").actor,
    )
    log_event(log, "email.sent", delivery_id=item.payload["delivery_id"], outbox_id=item.id)
    return result


def record_refused(
    session: Session, wiring: Wiring, item: OutboxItem, failure: SendFailed
) -> EventResult | None:
    """The server answered the message with an error: a ``temporary_failure`` (4xx) or
    ``permanent_failure`` (5xx) event, unless the item is no longer this run's to record."""
    row = outbox_rows.get(session, item.id)
    if row is None or row.state != outbox_rows.PENDING or row.attempts != item.attempts:
        return None
    status = "temporary_failure" if failure.temporary else "permanent_failure"
    return append_event(
        session,
        wiring.clock,
        wiring.archive,
        delivery_id=item.payload["delivery_id"],
        status=status,
        occurred_at=wiring.clock.now(),
        source=SMTP,
        details={"smtp_reply": str(failure)[:500], "attempt": item.attempts},
        actor=System("email").actor,
    )


# --- bounces ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounce:
    delivery_id: str
    notice: Notice
    status: str | None
    """The event recorded, or ``None`` for a report that says nothing final (relayed)."""
    occurred_at: dt.datetime
    result: EventResult | None


class UnknownReturnPath(NotFound):
    code = "unknown_return_path"


def ingest_bounce(
    session: Session,
    wiring: Wiring,
    raw: bytes,
    *,
    caller: Principal | None = None,
    envelope_recipients: tuple[str, ...] = (),
) -> Bounce:
    """Record what a DSN says about one of our attempts (in the caller's transaction).

    ``caller``: an API key (``POST /v1/deliveries/bounces``), which sees only its creditor's
    attempts; ``None``: the inbound SMTP listener, acting as the system.
    """
    if caller is not None:
        caller.require(Permission.ISSUE)
    if len(raw) > MAX_BOUNCE:
        raise TooLarge(MAX_BOUNCE)
    try:
        notice = read_dsn(raw)
    except NotADsn as exc:
        raise ValidationFailed([FieldError("body", "not_a_dsn", str(exc))]) from None
    attempt_id = notice.attempt_id(envelope_recipients)
    attempt = deliveries.find(session, attempt_id) if attempt_id else None
    if (
        attempt is None
        or attempt.channel != "email"
        or (caller is not None and not caller.may_see(attempt.creditor_id))
    ):
        raise UnknownReturnPath("the report names no e-mail attempt of this service")
    status = notice.event_status()
    occurred_at = notice.moment(wiring.clock.now())
    result = None
    if status is not None:
        result = append_event(
            session,
            wiring.clock,
            wiring.archive,
            delivery_id=attempt.id,
            status=status,
            occurred_at=occurred_at,
            source=DSN,
            raw=raw,
            details={
                "action": notice.action,
                "status": notice.status,
                "diagnostic": (notice.diagnostic or "")[:500] or None,
                "reporting_mta": notice.reporting_mta,
            },
            actor=caller.actor if caller is not None else System("bounces").actor,
        )
    log_event(
        log,
        "email.bounce",
        delivery_id=attempt.id,
        action=notice.action,
        dsn_status=notice.status,
        recorded=status,
    )
    return Bounce(attempt.id, notice, status, occurred_at, result)
