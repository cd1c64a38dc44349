"""The timeline's queries: a case's own rows, each table read once. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEventRow
from service.cases.models import ChargeRow, HardshipRow, PaymentRow


def charges(session: Session, case_id: str) -> list[ChargeRow]:
    return list(session.scalars(select(ChargeRow).where(ChargeRow.case_id == case_id)))


def payments(session: Session, case_id: str) -> list[PaymentRow]:
    return list(session.scalars(select(PaymentRow).where(PaymentRow.case_id == case_id)))


def hardships(session: Session, case_id: str) -> list[HardshipRow]:
    return list(session.scalars(select(HardshipRow).where(HardshipRow.case_id == case_id)))


def audit_events(
    session: Session,
    creditor_id: str,
    subjects: Iterable[str],
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> list[AuditEventRow]:
    """The events about these subjects in the window (by the ``creditor_id, subject`` index),
    in chain order: never the creditor's whole chain."""
    query = (
        select(AuditEventRow)
        .where(AuditEventRow.creditor_id == creditor_id)
        .where(AuditEventRow.subject.in_(list(subjects)))
    )
    if since is not None:
        query = query.where(AuditEventRow.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEventRow.occurred_at < until)
    return list(session.scalars(query.order_by(AuditEventRow.id)))
