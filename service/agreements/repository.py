"""Agreements' and acknowledgments' queries, and the stored form of a schedule. Never commits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.agreements.models import AcknowledgmentRow, AgreementRow
from service.agreements.restructuring import (
    Agreement,
    AgreementPayment,
    AgreementTerms,
    Instalment,
    Schedule,
)
from service.cases.debt import Account, Charge
from service.cases.models import CaseRow
from service.kernel.money import money_str


def of_case(session: Session, case_id: str) -> list[AgreementRow]:
    return list(
        session.scalars(
            select(AgreementRow)
            .where(AgreementRow.case_id == case_id)
            .order_by(AgreementRow.issued_on, AgreementRow.created_at)
        ).all()
    )


def cases_in_force(session: Session) -> list[tuple[str, str]]:
    """``(case id, external id)`` of every case with an active signed agreement (the periodic
    default scan, ``service.announce_all_defaults``)."""
    rows = session.execute(
        select(CaseRow.id, CaseRow.external_id)
        .join(AgreementRow, AgreementRow.case_id == CaseRow.id)
        .where(AgreementRow.state == "active", AgreementRow.signed_on.is_not(None))
        .distinct()
        .order_by(CaseRow.id)
    )
    return [(row.id, row.external_id) for row in rows]


def lock_of_case(session: Session, case_id: str) -> list[AgreementRow]:
    """Every agreement of the case, locked until the transaction ends, always in id order: two
    signings on one case queue here (step 3 of the lock order, ``service.kit.db``), and the later
    one reads the state the earlier one committed (reliability review D4)."""
    return list(
        session.scalars(
            select(AgreementRow)
            .where(AgreementRow.case_id == case_id)
            .order_by(AgreementRow.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
    )


def for_document(
    session: Session, document_id: str, *, for_update: bool = False
) -> AgreementRow | None:
    """The agreement a document contains; ``for_update`` locks its row until the transaction
    ends (no other table refers to it: step 3 of the lock order, ``service.kit.db``)."""
    query = select(AgreementRow).where(AgreementRow.document_id == document_id)
    return session.scalars(query.with_for_update() if for_update else query).first()


def acknowledgments_of_case(session: Session, case_id: str) -> list[AcknowledgmentRow]:
    return list(
        session.scalars(
            select(AcknowledgmentRow)
            .where(AcknowledgmentRow.case_id == case_id)
            .order_by(AcknowledgmentRow.date, AcknowledgmentRow.recorded_at)
        ).all()
    )


def schedule_wire(schedule: Schedule) -> dict[str, Any]:
    """A schedule as stored with its agreement (money as decimal strings)."""
    return {
        "instalments": [i.wire() for i in schedule.instalments],
        "principal": {a.value: money_str(v) for a, v in schedule.principal.items()},
        "penalty": money_str(schedule.penalty),
        "penalty_waived": money_str(schedule.penalty_waived),
        "penalty_account": schedule.penalty_account.value,
    }


def to_agreement(
    row: AgreementRow,
    payments: tuple[AgreementPayment, ...],
    charges: tuple[Charge, ...] = (),
) -> Agreement:
    stored = row.schedule
    schedule = Schedule(
        instalments=tuple(
            Instalment(
                number=int(i["number"]),
                due_date=dt.date.fromisoformat(i["due"]),
                current=Decimal(i["current"]),
                savings=Decimal(i["savings"]),
                penalty=Decimal(i["penalty"]),
            )
            for i in stored["instalments"]
        ),
        principal={Account(k): Decimal(v) for k, v in stored["principal"].items()},
        penalty=Decimal(stored["penalty"]),
        penalty_waived=Decimal(stored["penalty_waived"]),
        penalty_account=Account(stored["penalty_account"]),
    )
    return Agreement(
        id=row.id,
        schedule=schedule,
        terms=terms_of(row),
        issued_on=row.issued_on,
        signed_on=row.signed_on,
        payments=payments,
        document_id=row.document_id,
        charges=charges,
        superseded=row.state == "superseded",
    )


def terms_of(row: AgreementRow) -> AgreementTerms:
    return AgreementTerms(
        grace_days=int(row.terms["grace_days"]),
        default_after_days=int(row.terms["default_after_days"]),
    )
