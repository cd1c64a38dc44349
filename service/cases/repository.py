"""Cases' queries: the case with its debtor and ledger, and hardship flags. Never commits."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from service.cases.case import Basis, DebtCase, Debtor, Unit
from service.cases.debt import Charge, Contribution, Payment
from service.cases.models import CaseRow, ChargeRow, DebtorRow, HardshipRow, PaymentRow
from service.errors import NotFound
from service.kernel.money import from_tiyn_count, tiyn_count
from service.kernel.period import Period
from service.kit.db import insert_or_ignore


def find_row(session: Session, creditor_id: str, external_id: str) -> CaseRow | None:
    return session.scalars(
        select(CaseRow).where(
            CaseRow.creditor_id == creditor_id, CaseRow.external_id == external_id
        )
    ).first()


def get_row(session: Session, creditor_id: str, external_id: str) -> CaseRow:
    """The creditor's case; another creditor's case is as absent as a missing one."""
    case = find_row(session, creditor_id, external_id)
    if case is None:
        raise NotFound(f"case {external_id} not found")
    return case


def external_id_of(session: Session, case_id: str) -> str:
    case = session.get(CaseRow, case_id)
    return case.external_id if case else ""


def claim_row(
    session: Session, creditor_id: str, external_id: str, debtor: DebtorRow, now: dt.datetime
) -> tuple[CaseRow, bool]:
    """The case row, created with ``debtor`` if it does not exist yet; and whether it was.

    Two requests creating the same case at once: the second insert waits for the first and
    then does nothing, and the second request updates the case the first one created.
    """
    session.add(debtor)
    session.flush()  # no ORM relationships: insert the debtor before the case refers to it
    case_id = str(uuid.uuid4())
    insert_or_ignore(
        session,
        CaseRow,
        id=case_id,
        creditor_id=creditor_id,
        external_id=external_id,
        debtor_id=debtor.id,
        unit={},
        basis=[],
        created_at=now,
        updated_at=now,
    )
    case = get_row(session, creditor_id, external_id)
    if case.id != case_id:
        session.delete(debtor)
        return case, False
    return case, True


def debtor_row(session: Session, case: CaseRow) -> DebtorRow:
    debtor = session.get(DebtorRow, case.debtor_id)
    assert debtor is not None  # the foreign key guarantees it
    return debtor


def load(session: Session, creditor_id: str, external_id: str) -> DebtCase:
    return to_case(session, get_row(session, creditor_id, external_id))


def to_case(session: Session, case: CaseRow) -> DebtCase:
    debtor = debtor_row(session, case)
    contacts = debtor.contacts or {}
    return DebtCase(
        id=case.id,
        creditor_id=case.creditor_id,
        external_id=case.external_id,
        debtor=Debtor(
            full_name=debtor.full_name,
            iin=debtor.iin,
            language=debtor.language,
            email=contacts.get("email"),
            phone=contacts.get("phone"),
            postal_address=Debtor.address_of(contacts.get("postal_address")),
        ),
        unit=Unit.from_wire(case.unit),
        basis=tuple(Basis.from_wire(b) for b in case.basis),
        charges=charges_of(session, case.id),
        payments=payments_of(session, case.id),
    )


def charges_of(session: Session, case_id: str) -> tuple[Charge, ...]:
    rows = session.scalars(
        select(ChargeRow).where(ChargeRow.case_id == case_id).order_by(ChargeRow.id)
    ).all()
    return tuple(
        Charge(
            period=Period.parse(c.period),
            contribution=Contribution(c.contribution),
            amount=from_tiyn_count(c.amount_tiyn),
            due_date=c.due_date,
        )
        for c in rows
    )


def payments_of(session: Session, case_id: str) -> tuple[Payment, ...]:
    rows = session.scalars(
        select(PaymentRow).where(PaymentRow.case_id == case_id).order_by(PaymentRow.id)
    ).all()
    return tuple(
        Payment(date=p.date, amount=from_tiyn_count(p.amount_tiyn), reference=p.reference)
        for p in rows
    )


def replace_ledger(
    session: Session, case_id: str, charges: Sequence[Charge], payments: Sequence[Payment]
) -> None:
    """PUT semantics: the client's ledger replaces the stored one."""
    session.execute(delete(ChargeRow).where(ChargeRow.case_id == case_id))
    session.execute(delete(PaymentRow).where(PaymentRow.case_id == case_id))
    session.add_all(
        ChargeRow(
            case_id=case_id,
            period=str(c.period),
            contribution=c.contribution.value,
            amount_tiyn=tiyn_count(c.amount),
            due_date=c.due_date,
        )
        for c in charges
    )
    session.add_all(
        PaymentRow(
            case_id=case_id, date=p.date, amount_tiyn=tiyn_count(p.amount), reference=p.reference
        )
        for p in payments
    )


def external_ids(session: Session, creditor_id: str) -> list[str]:
    return list(
        session.scalars(
            select(CaseRow.external_id)
            .where(CaseRow.creditor_id == creditor_id)
            .order_by(CaseRow.external_id)
        ).all()
    )


def external_ids_after(
    session: Session, creditor_id: str, after: str | None, limit: int
) -> list[str]:
    """Up to ``limit`` of the creditor's case ids after ``after``, in id order (keyset paging:
    the unique ``(creditor_id, external_id)`` index serves it without reading earlier cases)."""
    query = select(CaseRow.external_id).where(CaseRow.creditor_id == creditor_id)
    if after is not None:
        query = query.where(CaseRow.external_id > after)
    return list(session.scalars(query.order_by(CaseRow.external_id).limit(limit)).all())


def latest_hardship(session: Session, case_id: str) -> HardshipRow | None:
    return session.scalars(
        select(HardshipRow)
        .where(HardshipRow.case_id == case_id)
        .order_by(HardshipRow.date.desc(), HardshipRow.id.desc())
    ).first()


def rows_by_external_id(
    session: Session, creditor_id: str, external_ids: Sequence[str]
) -> dict[str, CaseRow]:
    """The creditor's cases among ``external_ids``, by external id (one query)."""
    if not external_ids:
        return {}
    found = session.scalars(
        select(CaseRow).where(
            CaseRow.creditor_id == creditor_id, CaseRow.external_id.in_(list(external_ids))
        )
    )
    return {row.external_id: row for row in found}


def debtor_rows(session: Session, debtor_ids: Sequence[str]) -> dict[str, DebtorRow]:
    if not debtor_ids:
        return {}
    found = session.scalars(select(DebtorRow).where(DebtorRow.id.in_(list(debtor_ids))))
    return {row.id: row for row in found}


def claim_rows(
    session: Session, debtors: Sequence[dict[str, Any]], cases: Sequence[dict[str, Any]]
) -> None:
    """Insert new debtors and their cases together; a case another writer created meanwhile is
    left as it is (``ON CONFLICT DO NOTHING``): the caller finds which rows are its own."""
    from sqlalchemy.dialects import postgresql, sqlite

    if not cases:
        return
    session.execute(insert(DebtorRow), list(debtors))
    dialect = session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CaseRow)
    session.execute(statement.on_conflict_do_nothing(), list(cases))


def forget_debtors(session: Session, debtor_ids: Sequence[str]) -> None:
    """Debtors inserted for cases another writer created first: nobody refers to them."""
    if debtor_ids:
        session.execute(delete(DebtorRow).where(DebtorRow.id.in_(list(debtor_ids))))


def replace_ledgers(
    session: Session,
    case_ids: Sequence[str],
    charges: Sequence[dict[str, Any]],
    payments: Sequence[dict[str, Any]],
) -> None:
    """``replace_ledger`` for many cases at once: two deletes and two multi-row inserts."""
    if not case_ids:
        return
    session.execute(delete(ChargeRow).where(ChargeRow.case_id.in_(list(case_ids))))
    session.execute(delete(PaymentRow).where(PaymentRow.case_id.in_(list(case_ids))))
    if charges:
        session.execute(insert(ChargeRow), list(charges))
    if payments:
        session.execute(insert(PaymentRow), list(payments))
