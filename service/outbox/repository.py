"""The outbox's queries. Functions take a ``Session`` and never commit.

Claiming is one conditional ``UPDATE`` (state pending, due, no live lease): on SQLite the writer
lock serialises it, on PostgreSQL a second claimer waits for the first one's row lock and then
finds the lease taken (READ COMMITTED re-reads the row), so only one worker gets an item.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.outbox.models import OutboxRow

PENDING, DONE, DEAD = "pending", "done", "dead"


def add(session: Session, row: OutboxRow) -> None:
    session.add(row)
    session.flush()


def get(session: Session, item_id: str) -> OutboxRow | None:
    return session.get(OutboxRow, item_id)


def claim(
    session: Session, item_id: str, *, now: dt.datetime, lease: dt.timedelta
) -> OutboxRow | None:
    """Take the item for one attempt if it is pending, due and not leased; ``None`` otherwise."""
    result: Any = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.id == item_id,
            OutboxRow.state == PENDING,
            OutboxRow.next_attempt_at <= now,
            or_(OutboxRow.leased_until.is_(None), OutboxRow.leased_until <= now),
        )
        .values(leased_until=now + lease, attempts=OutboxRow.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    row = session.get(OutboxRow, item_id, populate_existing=True)
    return row


def complete(session: Session, item_id: str, *, at: dt.datetime) -> bool:
    """Mark the item done (if still pending); whether this call did."""
    result: Any = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == item_id, OutboxRow.state == PENDING)
        .values(state=DONE, done_at=at, leased_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)


def fail(
    session: Session,
    item_id: str,
    *,
    attempts: int,
    error: str,
    retry_at: dt.datetime | None,
) -> bool:
    """Record a failed attempt: pending again from ``retry_at``, or dead when it is ``None``.
    Only the attempt that holds the item (``attempts`` unchanged since its claim) records it."""
    values: dict[str, Any] = {"leased_until": None, "last_error": error[:2000]}
    if retry_at is None:
        values["state"] = DEAD
    else:
        values["next_attempt_at"] = retry_at
    result: Any = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.id == item_id,
            OutboxRow.state == PENDING,
            OutboxRow.attempts == attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)


def due(session: Session, *, now: dt.datetime, due_by: dt.datetime, limit: int) -> list[str]:
    """Pending items due by ``due_by`` and not leased (or the lease ended), oldest first."""
    return list(
        session.scalars(
            select(OutboxRow.id)
            .where(
                OutboxRow.state == PENDING,
                OutboxRow.next_attempt_at <= due_by,
                or_(OutboxRow.leased_until.is_(None), OutboxRow.leased_until <= now),
            )
            .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
            .limit(limit)
        )
    )


def of_subject(session: Session, subject: str) -> list[OutboxRow]:
    return list(
        session.scalars(
            select(OutboxRow).where(OutboxRow.subject == subject).order_by(OutboxRow.created_at)
        )
    )


def hold(session: Session, item_id: str, *, attempts: int, until: dt.datetime) -> bool:
    """Set the lease of the item the caller's attempt holds (``attempts`` unchanged since its
    claim) to end at ``until``: a long job shortens it to a heartbeat, so a worker that dies
    lets its item go soon. Whether the attempt still held it."""
    result: Any = session.execute(
        update(OutboxRow)
        .where(
            OutboxRow.id == item_id,
            OutboxRow.state == PENDING,
            OutboxRow.attempts == attempts,
        )
        .values(leased_until=until)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)
