"""Builds the rules engine's view of a case (``CaseHistory``) from what is stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import repositories as repo
from service.db.models import DeliveryRow
from service.domain.debt import DebtSummary
from service.domain.rules import CaseHistory, Delivery, DeliveryStatus, DocumentKind, IssuedDocument
from service.domain.rules.history import Route


def issued_documents(session: Session, case_id: str) -> tuple[IssuedDocument, ...]:
    rows = repo.documents_of_case(session, case_id)
    if not rows:
        return ()
    deliveries = session.scalars(
        select(DeliveryRow)
        .where(DeliveryRow.document_id.in_([row.id for row in rows]))
        .order_by(DeliveryRow.recorded_at)
    ).all()
    by_document: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_document.setdefault(delivery.document_id, []).append(
            Delivery(delivery.channel, DeliveryStatus(delivery.status), delivery.delivered_at)
        )
    documents = []
    for row in rows:
        deadline = row.snapshot.get("deadline")
        route = row.request.get("route")
        documents.append(
            IssuedDocument(
                kind=DocumentKind(row.kind),
                id=row.id,
                number=row.number,
                issue_date=row.issue_date,
                payment_deadline=dt.date.fromisoformat(deadline) if deadline else None,
                deliveries=tuple(by_document.get(row.id, ())),
                route=Route(route) if route else None,
            )
        )
    return tuple(documents)


def case_history(session: Session, case_id: str, debt: DebtSummary) -> CaseHistory:
    return CaseHistory(debt=debt, documents=issued_documents(session, case_id))
