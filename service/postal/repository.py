"""Post lists' queries, and the attempts a tracking number names. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import CaseRow, DebtorRow
from service.deliveries.models import DeliveryRow
from service.postal.models import PostListLineRow, PostListRow


def add(session: Session, row: PostListRow, lines: list[PostListLineRow]) -> None:
    session.add(row)
    session.flush()
    session.add_all(lines)
    session.flush()


def find(session: Session, list_id: str) -> PostListRow | None:
    return session.get(PostListRow, list_id)


def lines_of(session: Session, list_id: str) -> list[PostListLineRow]:
    return list(
        session.scalars(
            select(PostListLineRow)
            .where(PostListLineRow.list_id == list_id)
            .order_by(PostListLineRow.position)
        )
    )


def attempts_tracked(session: Session, creditor_id: str, numbers: list[str]) -> list[DeliveryRow]:
    """The creditor's delivery attempts carrying any of these tracking numbers."""
    if not numbers:
        return []
    return list(
        session.scalars(
            select(DeliveryRow)
            .where(DeliveryRow.creditor_id == creditor_id)
            .where(DeliveryRow.tracking_number.in_(numbers))
            .order_by(DeliveryRow.recorded_at, DeliveryRow.id)
        )
    )


def debtor_of_case(session: Session, case_id: str) -> DebtorRow:
    """The debtor of a case (the addressee of its letters)."""
    return session.scalars(
        select(DebtorRow)
        .join(CaseRow, CaseRow.debtor_id == DebtorRow.id)
        .where(CaseRow.id == case_id)
    ).one()
