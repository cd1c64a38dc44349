"""Batches' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from service.batches.models import BatchItemRow, BatchRow
from service.errors import NotFound
from service.outbox.models import OutboxRow

PENDING = "pending"


def add(session: Session, batch: BatchRow, items: Sequence[BatchItemRow]) -> None:
    session.add(batch)
    session.flush()
    session.add_all(items)
    session.flush()


def get(session: Session, creditor_id: str, batch_id: str) -> BatchRow:
    """The creditor's batch; another creditor's is as absent as a missing one."""
    batch = session.get(BatchRow, batch_id)
    if batch is None or batch.creditor_id != creditor_id:
        raise NotFound(f"batch {batch_id} not found")
    return batch


def by_id(session: Session, batch_id: str) -> BatchRow | None:
    return session.get(BatchRow, batch_id)


def of_file(session: Session, creditor_id: str, sha256: str) -> BatchRow | None:
    """The creditor's batch made from the file with this SHA-256 (a rerun finds it)."""
    return session.scalars(
        select(BatchRow)
        .where(BatchRow.creditor_id == creditor_id, BatchRow.source_sha256 == sha256)
        .order_by(BatchRow.created_at)
    ).first()


def items(session: Session, batch_id: str, *, status: str | None = None) -> list[BatchItemRow]:
    query = select(BatchItemRow).where(BatchItemRow.batch_id == batch_id)
    if status is not None:
        query = query.where(BatchItemRow.status == status)
    return list(session.scalars(query.order_by(BatchItemRow.line)))


def pending_between(session: Session, batch_id: str, first: int, last: int) -> list[BatchItemRow]:
    return list(
        session.scalars(
            select(BatchItemRow)
            .where(
                BatchItemRow.batch_id == batch_id,
                BatchItemRow.line >= first,
                BatchItemRow.line <= last,
                BatchItemRow.status == PENDING,
            )
            .order_by(BatchItemRow.line)
        )
    )


def counts(session: Session, batch_id: str) -> dict[str, int]:
    """Items by status."""
    rows: Any = session.execute(
        select(BatchItemRow.status, func.count())
        .where(BatchItemRow.batch_id == batch_id)
        .group_by(BatchItemRow.status)
    )
    return {str(status): int(count) for status, count in rows}


def record(
    session: Session,
    batch_id: str,
    idempotency_key: str,
    *,
    status: str,
    document_id: str | None,
    number: str | None,
    errors: list[Any],
    violations: list[Any],
    at: dt.datetime,
) -> bool:
    """The item's outcome, once: only a pending item takes it (a chunk run twice after a crash
    finds it recorded). Whether this call recorded it."""
    result: Any = session.execute(
        update(BatchItemRow)
        .where(
            BatchItemRow.batch_id == batch_id,
            BatchItemRow.idempotency_key == idempotency_key,
            BatchItemRow.status == PENDING,
        )
        .values(
            status=status,
            document_id=document_id,
            number=number,
            errors=errors or None,
            violations=violations or None,
            done_at=at,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)


def set_status(
    session: Session, batch_id: str, status: str, *, finished_at: dt.datetime | None = None
) -> None:
    session.execute(
        update(BatchRow)
        .where(BatchRow.id == batch_id)
        .values(status=status, finished_at=finished_at)
        .execution_options(synchronize_session=False)
    )


def chunk_states(session: Session, batch_id: str) -> list[str]:
    """The outbox states of the batch's chunks (``pending``, ``done``, ``dead``)."""
    return list(
        session.scalars(
            select(OutboxRow.state).where(OutboxRow.subject.startswith(f"batch:{batch_id}:"))
        )
    )


def chunk_ids(session: Session, batch_id: str) -> list[str]:
    return list(
        session.scalars(
            select(OutboxRow.id)
            .where(OutboxRow.subject.startswith(f"batch:{batch_id}:"))
            .order_by(OutboxRow.created_at, OutboxRow.subject)
        )
    )


def lock(session: Session, batch_id: str) -> BatchRow | None:
    """The batch, locked until the transaction ends: the workers recording the last chunks
    take turns, so one of them sees no item pending and finishes the batch."""
    return session.get(BatchRow, batch_id, with_for_update=True, populate_existing=True)


def creditor_named(session: Session, name: str | None) -> str | None:
    """The creditor with this id or БИН; without a name, the only creditor (``None`` when there
    is none or several)."""
    from service.creditors.models import CreditorRow

    if name:
        found = session.scalars(
            select(CreditorRow.id).where((CreditorRow.id == name) | (CreditorRow.bin == name))
        ).first()
        return found
    ids = list(session.scalars(select(CreditorRow.id).limit(2)))
    return ids[0] if len(ids) == 1 else None
