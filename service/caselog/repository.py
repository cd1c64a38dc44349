"""The case log's queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.caselog.models import CaseLogEntryRow


def add(session: Session, row: CaseLogEntryRow) -> None:
    session.add(row)
    session.flush()


def of_case(session: Session, case_id: str, kinds: tuple[str, ...] = ()) -> list[CaseLogEntryRow]:
    """The case's entries in the order they were recorded (optionally only some kinds)."""
    query = select(CaseLogEntryRow).where(CaseLogEntryRow.case_id == case_id)
    if kinds:
        query = query.where(CaseLogEntryRow.kind.in_(kinds))
    return list(session.scalars(query.order_by(CaseLogEntryRow.id)))
