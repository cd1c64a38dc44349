"""The auditor pages' own query: a creditor's cases with their debtors, for the search."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auditor.search import CaseHit
from service.cases.models import CaseRow, DebtorRow


def cases_of(session: Session, creditor_id: str) -> list[CaseHit]:
    """Every case of the creditor (external id, debtor's name, unit), by external id."""
    rows = session.execute(
        select(CaseRow.external_id, DebtorRow.full_name, CaseRow.unit)
        .join(DebtorRow, DebtorRow.id == CaseRow.debtor_id)
        .where(CaseRow.creditor_id == creditor_id)
        .order_by(CaseRow.external_id)
    ).all()
    return [
        CaseHit(
            external_id=external_id,
            debtor=full_name,
            unit_type=str((unit or {}).get("type", "")),
            unit_number=str((unit or {}).get("number", "")),
        )
        for external_id, full_name, unit in rows
    ]
