"""The outgoing register's queries: a creditor's documents of a period with their case and
debtor (one join), and their deliveries (one query). Never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import CaseRow, DebtorRow
from service.deliveries.models import DeliveryRow
from service.documents.models import IssuedDocumentRow


def documents_between(
    session: Session, creditor_id: str, since: dt.date, until: dt.date
) -> list[tuple[IssuedDocumentRow, str, str]]:
    """``(document, case external id, debtor's full name)`` issued from ``since`` to
    ``until`` (inclusive)."""
    rows = session.execute(
        select(IssuedDocumentRow, CaseRow.external_id, DebtorRow.full_name)
        .join(CaseRow, CaseRow.id == IssuedDocumentRow.case_id)
        .join(DebtorRow, DebtorRow.id == CaseRow.debtor_id)
        .where(IssuedDocumentRow.creditor_id == creditor_id)
        .where(IssuedDocumentRow.issue_date >= since, IssuedDocumentRow.issue_date <= until)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def deliveries_of(session: Session, document_ids: list[str]) -> dict[str, list[DeliveryRow]]:
    found: dict[str, list[DeliveryRow]] = {d: [] for d in document_ids}
    if document_ids:
        for row in session.scalars(
            select(DeliveryRow).where(DeliveryRow.document_id.in_(document_ids))
        ):
            found[row.document_id].append(row)
    return found
