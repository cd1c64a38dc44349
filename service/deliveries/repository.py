"""Deliveries' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.deliveries.models import DeliveryProofRow, DeliveryRow


def of_documents(session: Session, document_ids: Sequence[str]) -> list[DeliveryRow]:
    if not document_ids:
        return []
    return list(
        session.scalars(
            select(DeliveryRow)
            .where(DeliveryRow.document_id.in_(list(document_ids)))
            .order_by(DeliveryRow.recorded_at)
        ).all()
    )


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
    """Which of the SHA-256 ``names`` a delivery proof holds."""
    wanted = list(names)
    if not wanted:
        return set()
    return set(
        session.scalars(select(DeliveryProofRow.sha256).where(DeliveryProofRow.sha256.in_(wanted)))
    )
