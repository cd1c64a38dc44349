"""The evidence domain's own queries (the rest it reads through the owning domains)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import CaseRow


def creditors_with_case(session: Session, external_id: str) -> list[str]:
    """The creditors that have a case with this external id (the CLI names no creditor)."""
    return list(
        session.scalars(
            select(CaseRow.creditor_id).where(CaseRow.external_id == external_id).distinct()
        )
    )
