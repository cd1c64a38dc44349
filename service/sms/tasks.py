"""The outbox handler that sends an SMS (topic ``sms.send``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.channels.sms import GatewayRefused, GatewayUnavailable, OutgoingSms
from service.outbox.handlers import OutboxItem, PermanentFailure, TemporaryFailure, handler
from service.sms import repository, service

if TYPE_CHECKING:
    from service.bootstrap import Wiring


@handler(service.TOPIC)
def send_sms(wiring: Wiring, item: OutboxItem) -> None:
    """Post the stored message to its gateway (no transaction is open meanwhile: the gateway
    may call back before it answers), then record ``sent`` and finish the item together.

    Idempotent by ``item.id``: it is the gateway's idempotency key, so a second run after a
    crash gets the same message id back, and the record is written once."""
    with wiring.db.transaction(read_only=True) as session:
        row = repository.message(session, item.id)
        if row is None:
            raise PermanentFailure(f"no SMS stored for outbox item {item.id}")
        if row.message_id is not None:
            return  # sent and recorded by an earlier run
        gateway_name, to, text = row.gateway, row.recipient, row.text
    gateway = wiring.sms.gateway(gateway_name)
    if gateway is None:
        raise TemporaryFailure(f"SMS gateway {gateway_name!r} is not configured in this process")
    message = OutgoingSms(
        to=to,
        text=text,
        reference=item.id,
        callback_url=wiring.links.sms_callback(gateway_name),
    )
    try:
        sent = gateway.send(message)
    except GatewayUnavailable as exc:
        raise TemporaryFailure(str(exc)) from None
    except GatewayRefused as exc:
        with wiring.db.transaction() as session:
            service.record_refused(session, wiring.clock, wiring.archive, item.id, str(exc))
        raise PermanentFailure(str(exc)) from None
    with wiring.db.transaction() as session:
        service.record_sent(session, wiring.clock, wiring.archive, item.id, sent)
