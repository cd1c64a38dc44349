"""The outgoing register's queries: a creditor's documents of a period with their case and
debtor (one join), and their deliveries (one query). Never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from service.cases.models import CaseRow, DebtorRow
from service.deliveries.models import DeliveryRow
from service.documents.models import IssuedDocumentRow, VoidedNumberRow


def _issued_between(creditor_id: str, since: dt.date, until: dt.date) -> ColumnElement[bool]:
    return and_(
        IssuedDocumentRow.creditor_id == creditor_id,
        IssuedDocumentRow.issue_date >= since,
        IssuedDocumentRow.issue_date <= until,
    )


def documents_between(
    session: Session, creditor_id: str, since: dt.date, until: dt.date
) -> list[tuple[IssuedDocumentRow, str, str]]:
    """``(document, case external id, debtor's full name)`` issued from ``since`` to
    ``until`` (inclusive)."""
    rows = session.execute(
        select(IssuedDocumentRow, CaseRow.external_id, DebtorRow.full_name)
        .join(CaseRow, CaseRow.id == IssuedDocumentRow.case_id)
        .join(DebtorRow, DebtorRow.id == CaseRow.debtor_id)
        .where(_issued_between(creditor_id, since, until))
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def deliveries_between(
    session: Session, creditor_id: str, since: dt.date, until: dt.date
) -> dict[str, list[DeliveryRow]]:
    """The delivery attempts of those documents, by document id: one query with the period as
    a subquery (a list of ids as parameters would outgrow SQLite's and PostgreSQL's limits on
    bound parameters for a large creditor's five years)."""
    documents = select(IssuedDocumentRow.id).where(_issued_between(creditor_id, since, until))
    found: dict[str, list[DeliveryRow]] = {}
    for row in session.scalars(select(DeliveryRow).where(DeliveryRow.document_id.in_(documents))):
        found.setdefault(row.document_id, []).append(row)
    return found


def voided_between(
    session: Session, creditor_id: str, since: dt.date, until: dt.date
) -> list[tuple[VoidedNumberRow, str | None]]:
    """``(voided number, case external id or None)`` of documents that would have been dated
    from ``since`` to ``until`` (inclusive)."""
    rows = session.execute(
        select(VoidedNumberRow, CaseRow.external_id)
        .outerjoin(CaseRow, CaseRow.id == VoidedNumberRow.case_id)
        .where(
            VoidedNumberRow.creditor_id == creditor_id,
            VoidedNumberRow.issue_date >= since,
            VoidedNumberRow.issue_date <= until,
        )
    ).all()
    return [(row[0], row[1]) for row in rows]
