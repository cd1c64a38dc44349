"""The outbox handler that sends a document by e-mail (topic ``email.send``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from service.channels.email import SendFailed
from service.errors import NotFound, TooLarge, ValidationFailed
from service.mail import service
from service.mail.message import compose
from service.outbox.handlers import OutboxItem, PermanentFailure, TemporaryFailure, handler

if TYPE_CHECKING:
    from service.bootstrap import Wiring

log = logging.getLogger("talap.mail")


@handler(service.TOPIC)
def send_email(wiring: Wiring, item: OutboxItem) -> None:
    """Build the message, send it with no transaction open, then record ``sent`` and finish the
    item in one transaction (``service`` module docstring: exactly once, same Message-ID on a
    re-run)."""
    mailer = wiring.mailer
    if mailer is None:
        raise TemporaryFailure("SMTP is not configured in this process (TALAP_SMTP_HOST)")
    with wiring.db.transaction(read_only=True) as session:
        prepared = service.prepare(session, wiring, item, mailer.sender)
    message = compose(prepared.letter)
    try:
        accepted = mailer.send(
            message,
            envelope_from=prepared.return_path,
            recipient=prepared.letter.recipient,
            envelope_id=prepared.letter.attempt_id,
        )
    except SendFailed as exc:
        if exc.code is not None:  # the server answered for the message, not a network error
            with wiring.db.transaction() as session:
                service.record_refused(session, wiring, item, exc)
        if exc.temporary:
            raise TemporaryFailure(str(exc)) from None
        raise PermanentFailure(str(exc)) from None
    with wiring.db.transaction() as session:
        service.record_sent(session, wiring, item, accepted)


def receive_bounce(wiring: Wiring, raw: bytes, recipients: list[str]) -> tuple[int, str]:
    """One message to a return path (``talap bounces``), recorded in its own transaction; the
    SMTP answer says what became of it (``channels.bounces``)."""
    try:
        with wiring.db.transaction() as session:
            bounce = service.ingest_bounce(
                session, wiring, raw, envelope_recipients=tuple(recipients)
            )
    except TooLarge:
        return 552, "5.3.4 message too big"
    except ValidationFailed:
        return 550, "5.6.0 not a delivery status notification"
    except NotFound:
        return 550, "5.1.1 no e-mail of this service has that return path"
    except Exception:  # the database is down, …: the reporting MTA keeps it and tries again
        log.exception("bounce not recorded", extra={"event": "email.bounce_failed"})
        return 451, "4.3.0 not recorded, try again later"
    return 250, f"2.0.0 recorded ({bounce.status or 'nothing final'})"
