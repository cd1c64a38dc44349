"""Adding work to the outbox in the caller's transaction, and finishing it from a handler."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from service.kit.db import after_commit
from service.outbox import repository
from service.outbox.models import OutboxRow

KICK = "talap_outbox_kick"
"""``session.info`` key of the function that tells the job queue an item is waiting
(``Database(session_info={KICK: queue.kick})``, set by the wiring). Without it the item still
runs: the queue's periodic sweep finds every due item."""

Kick = Callable[[str], None]


def enqueue(
    session: Session,
    *,
    topic: str,
    payload: dict[str, Any],
    creditor_id: str,
    subject: str,
    at: dt.datetime,
) -> str:
    """Add a pending item in the caller's transaction; once it commits, kick the queue.

    Returns the item's id. Nothing runs if the transaction rolls back; if the process dies
    between the commit and the kick, the sweep runs the item.
    """
    row = OutboxRow(
        id=str(uuid.uuid4()),
        creditor_id=creditor_id,
        topic=topic,
        subject=subject,
        payload=payload,
        state=repository.PENDING,
        attempts=0,
        next_attempt_at=at,
        leased_until=None,
        last_error=None,
        created_at=at,
        done_at=None,
    )
    repository.add(session, row)
    kick: Kick | None = session.info.get(KICK)
    if kick is not None:
        item_id = row.id
        after_commit(session, lambda: kick(item_id))
    return row.id


def complete(session: Session, item_id: str, *, at: dt.datetime) -> bool:
    """Mark the item done in the caller's transaction: a handler calls this in the same
    transaction that records what it did, so the record and the item's end commit together
    (exactly once). Whether this call finished it (``False``: it was done already)."""
    return repository.complete(session, item_id, at=at)


def hold(session: Session, item_id: str, *, attempts: int, until: dt.datetime) -> bool:
    """Renew (or shorten) the running attempt's lease to ``until``; ``False`` when another
    worker took the item meanwhile (this attempt's lease had ended)."""
    return repository.hold(session, item_id, attempts=attempts, until=until)
