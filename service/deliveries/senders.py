"""Who sends an attempt for each channel: ``POST /v1/documents/{id}/deliveries`` without a
``status`` asks the channel's sender to send it.

A sender is called inside the request's transaction, after the attempt was started (state
``queued``); it enqueues the work in the durable outbox (``service.outbox``) and returns — the
sending itself happens after the commit. A channel with no sender here cannot be sent by Talap:
the request is refused (422) naming the channel, and the client records the outcome instead
(``status`` and ``delivered_at``).

Each channel's lane adds its entry (``"email"``, ``"sms"`` …).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.bootstrap import Wiring
    from service.clock import Clock
    from service.deliveries.models import DeliveryRow

Sender = Callable[[Any, "Clock", "Wiring", "DeliveryRow"], None]
"""``(session, clock, wiring, attempt)``: enqueue the attempt's sending (the session is the
request's SQLAlchemy ``Session``)."""


def _sms(session: Any, clock: Clock, wiring: Wiring, attempt: DeliveryRow) -> None:
    from service.sms.service import send_attempt  # the SMS domain reads deliveries: lazily

    send_attempt(session, clock, wiring, attempt)


def _email(session: Any, clock: Clock, wiring: Wiring, attempt: DeliveryRow) -> None:
    from service.mail.service import send_attempt  # the e-mail domain reads deliveries: lazily

    send_attempt(session, clock, wiring, attempt)


SENDERS: dict[str, Sender] = {"email": _email, "sms": _sms}
