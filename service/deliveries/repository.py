"""Deliveries' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.deliveries.models import DeliveryEventRow, DeliveryProofRow, DeliveryRow


def of_documents(session: Session, document_ids: Sequence[str]) -> list[DeliveryRow]:
    """The documents' attempts in the order they were recorded (attempts started in the same
    instant: by their first event, which is numbered in recording order)."""
    if not document_ids:
        return []
    first = (
        select(DeliveryEventRow.delivery_id, func.min(DeliveryEventRow.id).label("first"))
        .group_by(DeliveryEventRow.delivery_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(DeliveryRow)
            .outerjoin(first, first.c.delivery_id == DeliveryRow.id)
            .where(DeliveryRow.document_id.in_(list(document_ids)))
            .order_by(DeliveryRow.recorded_at, first.c.first.asc().nulls_last(), DeliveryRow.id)
        ).all()
    )


def find(session: Session, delivery_id: str) -> DeliveryRow | None:
    return session.get(DeliveryRow, delivery_id)


def for_update(session: Session, delivery_id: str) -> DeliveryRow | None:
    """The attempt, locked (PostgreSQL): two events for one attempt are folded one after the
    other, so neither overwrites the other's state (lock order: a row the use case updates)."""
    return session.scalars(
        select(DeliveryRow).where(DeliveryRow.id == delivery_id).with_for_update()
    ).one_or_none()


def by_tracking_number(session: Session, creditor_id: str, number: str) -> list[DeliveryRow]:
    return list(
        session.scalars(
            select(DeliveryRow)
            .where(DeliveryRow.creditor_id == creditor_id, DeliveryRow.tracking_number == number)
            .order_by(DeliveryRow.recorded_at, DeliveryRow.id)
        )
    )


def events_of(session: Session, delivery_ids: Sequence[str]) -> dict[str, list[DeliveryEventRow]]:
    """Each attempt's events in recording order, in one query."""
    found: dict[str, list[DeliveryEventRow]] = {d: [] for d in delivery_ids}
    if delivery_ids:
        rows = session.scalars(
            select(DeliveryEventRow)
            .where(DeliveryEventRow.delivery_id.in_(list(delivery_ids)))
            .order_by(DeliveryEventRow.id)
        )
        for row in rows:
            found[row.delivery_id].append(row)
    return found


def same_event(
    session: Session,
    delivery_id: str,
    status: str,
    occurred_at: dt.datetime,
    source: str,
    receipt_sha256: str | None,
) -> DeliveryEventRow | None:
    """An event already recorded with exactly these facts (a provider repeating itself)."""
    candidates = session.scalars(
        select(DeliveryEventRow).where(
            DeliveryEventRow.delivery_id == delivery_id,
            DeliveryEventRow.status == status,
            DeliveryEventRow.source == source,
        )
    )
    for row in candidates:
        if row.occurred_at == occurred_at and row.receipt_sha256 == receipt_sha256:
            return row
    return None


def proofs_of(session: Session, delivery_ids: Sequence[str]) -> dict[str, list[DeliveryProofRow]]:
    """Each delivery's proofs, in one query."""
    found: dict[str, list[DeliveryProofRow]] = {d: [] for d in delivery_ids}
    if delivery_ids:
        rows = session.scalars(
            select(DeliveryProofRow)
            .where(DeliveryProofRow.delivery_id.in_(list(delivery_ids)))
            .order_by(DeliveryProofRow.id)
        )
        for row in rows:
            found[row.delivery_id].append(row)
    return found


def recorded(session: Session, names: Iterable[str]) -> set[str]:
    """Which of the SHA-256 ``names`` a delivery proof or an event's raw receipt holds."""
    wanted = list(names)
    if not wanted:
        return set()
    proofs = session.scalars(
        select(DeliveryProofRow.sha256).where(DeliveryProofRow.sha256.in_(wanted))
    )
    receipts = session.scalars(
        select(DeliveryEventRow.receipt_sha256).where(DeliveryEventRow.receipt_sha256.in_(wanted))
    )
    return {*proofs, *(r for r in receipts if r is not None)}
