"""Retention's queries: each case's ledger totals and last activity (a few grouped queries
for every case at once), its retention row (locked), and the rows that hold personal data.
Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.agreements.models import AcknowledgmentRow, AgreementRow
from service.caselog.models import CaseLogEntryRow
from service.cases.models import CaseRow, ChargeRow, DebtorRow, HardshipRow, PaymentRow
from service.deliveries.models import DeliveryEventRow, DeliveryRow
from service.documents.models import IssuedDocumentRow
from service.kit.db import insert_or_ignore
from service.postal.models import PostListLineRow
from service.retention.models import CaseRetentionRow
from service.sms.models import SmsMessageRow


def _by_case(session: Session, query: Any) -> dict[str, Any]:
    return {row[0]: row[1] for row in session.execute(query)}


def cases(session: Session, creditor_id: str | None = None) -> list[CaseRow]:
    query = select(CaseRow)
    if creditor_id is not None:
        query = query.where(CaseRow.creditor_id == creditor_id)
    return list(session.scalars(query.order_by(CaseRow.creditor_id, CaseRow.external_id)))


def totals(session: Session, case_id: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Charged and paid tiyn per case (every case, or one)."""
    charges = select(ChargeRow.case_id, func.sum(ChargeRow.amount_tiyn))
    payments = select(PaymentRow.case_id, func.sum(PaymentRow.amount_tiyn))
    if case_id is not None:
        charges = charges.where(ChargeRow.case_id == case_id)
        payments = payments.where(PaymentRow.case_id == case_id)
    charged = _by_case(session, charges.group_by(ChargeRow.case_id))
    paid = _by_case(session, payments.group_by(PaymentRow.case_id))
    return {k: int(v or 0) for k, v in charged.items()}, {k: int(v or 0) for k, v in paid.items()}


def activity(
    session: Session, case_id: str | None = None
) -> list[dict[str, dt.date | dt.datetime]]:
    """Per source, each case's (or one case's) latest date or moment of activity."""
    latest = [
        select(PaymentRow.case_id, func.max(PaymentRow.date)).group_by(PaymentRow.case_id),
        select(CaseLogEntryRow.case_id, func.max(CaseLogEntryRow.recorded_at)).group_by(
            CaseLogEntryRow.case_id
        ),
        select(IssuedDocumentRow.case_id, func.max(IssuedDocumentRow.issue_date)).group_by(
            IssuedDocumentRow.case_id
        ),
        select(IssuedDocumentRow.case_id, func.max(DeliveryRow.updated_at))
        .join(DeliveryRow, DeliveryRow.document_id == IssuedDocumentRow.id)
        .group_by(IssuedDocumentRow.case_id),
        select(AgreementRow.case_id, func.max(AgreementRow.signed_recorded_at)).group_by(
            AgreementRow.case_id
        ),
        select(AcknowledgmentRow.case_id, func.max(AcknowledgmentRow.recorded_at)).group_by(
            AcknowledgmentRow.case_id
        ),
        select(HardshipRow.case_id, func.max(HardshipRow.recorded_at)).group_by(
            HardshipRow.case_id
        ),
    ]
    if case_id is not None:
        latest = [q.where(q.selected_columns[0] == case_id) for q in latest]
    return [{k: v for k, v in _by_case(session, q).items() if v is not None} for q in latest]


def states(session: Session, case_id: str | None = None) -> dict[str, CaseRetentionRow]:
    query = select(CaseRetentionRow)
    if case_id is not None:
        query = query.where(CaseRetentionRow.case_id == case_id)
    return {row.case_id: row for row in session.scalars(query)}


def state_of(session: Session, case_id: str) -> CaseRetentionRow | None:
    return session.get(CaseRetentionRow, case_id)


def lock_state(session: Session, case: CaseRow) -> CaseRetentionRow:
    """The case's retention row, created if need be, locked for this transaction (holds and
    anonymisation both take it first, ``models.CaseRetentionRow``)."""
    insert_or_ignore(session, CaseRetentionRow, case_id=case.id, creditor_id=case.creditor_id)
    return session.scalars(
        select(CaseRetentionRow)
        .where(CaseRetentionRow.case_id == case.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def case_by_id(session: Session, case_id: str) -> CaseRow | None:
    return session.get(CaseRow, case_id)


def debtor_of(session: Session, case: CaseRow) -> DebtorRow | None:
    return session.get(DebtorRow, case.debtor_id)


def documents_of(session: Session, case_id: str) -> list[IssuedDocumentRow]:
    return list(
        session.scalars(select(IssuedDocumentRow).where(IssuedDocumentRow.case_id == case_id))
    )


def deliveries_of(session: Session, document_ids: Iterable[str]) -> list[DeliveryRow]:
    ids = list(document_ids)
    if not ids:
        return []
    return list(session.scalars(select(DeliveryRow).where(DeliveryRow.document_id.in_(ids))))


def agreements_of(session: Session, case_id: str) -> list[AgreementRow]:
    return list(session.scalars(select(AgreementRow).where(AgreementRow.case_id == case_id)))


def acknowledgments_of(session: Session, case_id: str) -> list[AcknowledgmentRow]:
    return list(
        session.scalars(select(AcknowledgmentRow).where(AcknowledgmentRow.case_id == case_id))
    )


def hardships_of(session: Session, case_id: str) -> list[HardshipRow]:
    return list(session.scalars(select(HardshipRow).where(HardshipRow.case_id == case_id)))


def case_log_of(session: Session, case_id: str) -> list[CaseLogEntryRow]:
    return list(session.scalars(select(CaseLogEntryRow).where(CaseLogEntryRow.case_id == case_id)))


def delivery_events_of(session: Session, delivery_ids: Iterable[str]) -> list[DeliveryEventRow]:
    ids = list(delivery_ids)
    if not ids:
        return []
    return list(
        session.scalars(select(DeliveryEventRow).where(DeliveryEventRow.delivery_id.in_(ids)))
    )


def post_lines_of(session: Session, delivery_ids: Iterable[str]) -> list[PostListLineRow]:
    """The post-list lines that sent these attempts (addressee and address as printed)."""
    ids = list(delivery_ids)
    if not ids:
        return []
    return list(
        session.scalars(select(PostListLineRow).where(PostListLineRow.delivery_id.in_(ids)))
    )


def sms_of(session: Session, delivery_ids: Iterable[str]) -> list[SmsMessageRow]:
    """The SMS messages sent for these attempts (phone number and text)."""
    ids = list(delivery_ids)
    if not ids:
        return []
    return list(session.scalars(select(SmsMessageRow).where(SmsMessageRow.delivery_id.in_(ids))))
