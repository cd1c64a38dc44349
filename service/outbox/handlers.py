"""Handlers by topic, and how a handler says it failed (pure: no framework).

A handler runs one outbox item: ``handler(wiring, item)``. It opens its own transaction(s) through
``wiring.db`` and must be idempotent by ``item.id``: after a crash the queue may run an item again.
It returns normally when the work is done (the runner then marks the item ``done``, unless the
handler already did so in its own transaction with ``outbox.service.complete``), raises
``TemporaryFailure`` to be tried again later (exponential back-off, then ``dead`` after the last
attempt), or ``PermanentFailure`` to give up at once (``dead``, the reason kept). Any other
exception counts as a temporary failure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.bootstrap import Wiring
    from service.settings import Settings


class TemporaryFailure(Exception):
    """Try again later (the server is down, a 4xx SMTP answer, a timeout)."""


class PermanentFailure(Exception):
    """Never try again (no such mailbox, a refused recipient, bad data): the item is dead."""


@dataclass(frozen=True)
class OutboxItem:
    id: str
    topic: str
    payload: dict[str, Any]
    creditor_id: str
    subject: str
    attempts: int
    """Including the attempt now running (1 on the first run)."""
    created_at: dt.datetime


Handler = Callable[["Wiring", OutboxItem], None]

Lease = Callable[["Settings"], float]
"""Seconds an attempt of a topic holds its item, from the settings."""

HANDLERS: dict[str, Handler] = {}
LEASES: dict[str, Lease] = {}


def handler(topic: str, *, lease: Lease | None = None) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``topic`` (one per topic). ``lease``:
    the topic's own lease, taken with the claim itself (a handler that renews a short lease as
    it goes must not start on the outbox's long one: a worker killed right after claiming would
    hold the item for the long lease)."""

    def register(function: Handler) -> Handler:
        existing = HANDLERS.get(topic)
        if existing is not None and existing is not function:
            raise ValueError(f"topic {topic!r} already has a handler: {existing.__qualname__}")
        HANDLERS[topic] = function
        if lease is not None:
            LEASES[topic] = lease
        return function

    return register


def lease_for(topic: str, settings: Settings) -> float | None:
    """The topic's own lease in seconds, or ``None`` for the outbox's default."""
    lease = LEASES.get(topic)
    return lease(settings) if lease is not None else None


def handler_for(topic: str) -> Handler | None:
    return HANDLERS.get(topic)
