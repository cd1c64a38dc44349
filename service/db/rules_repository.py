"""Queries for the rules' records: policy overrides, agreements, acknowledgments, hardship.

Same contract as ``repositories``: functions take a ``Session`` and never commit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import (
    AcknowledgmentRow,
    AgreementRow,
    CaseRow,
    DeliveryRow,
    HardshipRow,
    PaymentRow,
    PolicyOverrideRow,
)


def override_rows(session: Session, creditor_id: str) -> list[PolicyOverrideRow]:
    """Every override the creditor ever recorded, in the order it takes effect."""
    return list(
        session.scalars(
            select(PolicyOverrideRow)
            .where(PolicyOverrideRow.creditor_id == creditor_id)
            .order_by(PolicyOverrideRow.effective_from, PolicyOverrideRow.id)
        ).all()
    )


def overrides_in_force(
    session: Session, creditor_id: str, on_date: dt.date
) -> dict[str, PolicyOverrideRow]:
    """Per rule, the latest override with ``effective_from`` not after ``on_date``."""
    in_force: dict[str, PolicyOverrideRow] = {}
    for row in override_rows(session, creditor_id):
        if row.effective_from <= on_date:
            in_force[row.rule_id] = row  # rows come oldest first: the last one wins
    return in_force


def deliveries_of(session: Session, document_ids: list[str]) -> list[DeliveryRow]:
    if not document_ids:
        return []
    return list(
        session.scalars(
            select(DeliveryRow)
            .where(DeliveryRow.document_id.in_(document_ids))
            .order_by(DeliveryRow.recorded_at)
        ).all()
    )


def agreements_of_case(session: Session, case_id: str) -> list[AgreementRow]:
    return list(
        session.scalars(
            select(AgreementRow)
            .where(AgreementRow.case_id == case_id)
            .order_by(AgreementRow.issued_on, AgreementRow.created_at)
        ).all()
    )


def agreement_for_document(session: Session, document_id: str) -> AgreementRow | None:
    return session.scalars(
        select(AgreementRow).where(AgreementRow.document_id == document_id)
    ).first()


def payments_of_case(session: Session, case_id: str) -> list[PaymentRow]:
    return list(
        session.scalars(
            select(PaymentRow).where(PaymentRow.case_id == case_id).order_by(PaymentRow.date)
        ).all()
    )


def acknowledgments_of_case(session: Session, case_id: str) -> list[AcknowledgmentRow]:
    return list(
        session.scalars(
            select(AcknowledgmentRow)
            .where(AcknowledgmentRow.case_id == case_id)
            .order_by(AcknowledgmentRow.date, AcknowledgmentRow.recorded_at)
        ).all()
    )


def latest_hardship(session: Session, case_id: str) -> HardshipRow | None:
    return session.scalars(
        select(HardshipRow)
        .where(HardshipRow.case_id == case_id)
        .order_by(HardshipRow.date.desc(), HardshipRow.id.desc())
    ).first()


def case_external_ids(session: Session, creditor_id: str) -> list[str]:
    return list(
        session.scalars(
            select(CaseRow.external_id)
            .where(CaseRow.creditor_id == creditor_id)
            .order_by(CaseRow.external_id)
        ).all()
    )
