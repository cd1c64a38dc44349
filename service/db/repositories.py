"""All queries live here. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.db.models import (
    ApiKeyRow,
    AuditEventRow,
    CaseRow,
    ChargeRow,
    CreditorRow,
    DebtorRow,
    DocumentCounterRow,
    IssuedDocumentRow,
    PaymentRow,
)
from service.domain.debt import Charge, Contribution, Payment, Period
from service.errors import NotFound

TIYN_PER_TENGE = 100
GENESIS = "0" * 64


def to_tiyn_int(amount: Decimal) -> int:
    return int(amount * TIYN_PER_TENGE)


def from_tiyn_int(value: int) -> Decimal:
    return (Decimal(value) / TIYN_PER_TENGE).quantize(Decimal("0.01"))


# --- creditors and keys -------------------------------------------------------------------


def get_creditor(session: Session, creditor_id: str) -> CreditorRow:
    row = session.get(CreditorRow, creditor_id)
    if row is None:
        raise NotFound(f"creditor {creditor_id} not found")
    return row


def find_key_by_hash(session: Session, key_hash: str) -> ApiKeyRow | None:
    return session.scalars(
        select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash, ApiKeyRow.revoked_at.is_(None))
    ).first()


# --- cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredCase:
    id: str
    creditor_id: str
    external_id: str
    debtor: dict[str, Any]
    unit: dict[str, Any]
    basis: list[dict[str, Any]]
    charges: list[Charge]
    payments: list[Payment]


def find_case_row(session: Session, creditor_id: str, external_id: str) -> CaseRow | None:
    return session.scalars(
        select(CaseRow).where(
            CaseRow.creditor_id == creditor_id, CaseRow.external_id == external_id
        )
    ).first()


def get_case_row(session: Session, creditor_id: str, external_id: str) -> CaseRow:
    """The creditor's case; another creditor's case is as absent as a missing one."""
    case = find_case_row(session, creditor_id, external_id)
    if case is None:
        raise NotFound(f"case {external_id} not found")
    return case


def load_case(session: Session, creditor_id: str, external_id: str) -> StoredCase:
    case = get_case_row(session, creditor_id, external_id)
    debtor = session.get(DebtorRow, case.debtor_id)
    assert debtor is not None  # FK guarantees it
    charges = session.scalars(
        select(ChargeRow).where(ChargeRow.case_id == case.id).order_by(ChargeRow.id)
    ).all()
    payments = session.scalars(
        select(PaymentRow).where(PaymentRow.case_id == case.id).order_by(PaymentRow.id)
    ).all()
    return StoredCase(
        id=case.id,
        creditor_id=case.creditor_id,
        external_id=case.external_id,
        debtor={
            "full_name": debtor.full_name,
            "iin": debtor.iin,
            "language": debtor.language,
            **debtor.contacts,
        },
        unit=case.unit,
        basis=case.basis,
        charges=[
            Charge(
                period=Period.parse(c.period),
                contribution=Contribution(c.contribution),
                amount=from_tiyn_int(c.amount_tiyn),
                due_date=c.due_date,
            )
            for c in charges
        ],
        payments=[
            Payment(date=p.date, amount=from_tiyn_int(p.amount_tiyn), reference=p.reference)
            for p in payments
        ],
    )


def replace_case_ledger(
    session: Session, case_id: str, charges: list[Charge], payments: list[Payment]
) -> None:
    """PUT semantics: the client's ledger replaces the stored one."""
    session.execute(delete(ChargeRow).where(ChargeRow.case_id == case_id))
    session.execute(delete(PaymentRow).where(PaymentRow.case_id == case_id))
    session.add_all(
        ChargeRow(
            case_id=case_id,
            period=str(c.period),
            contribution=c.contribution.value,
            amount_tiyn=to_tiyn_int(c.amount),
            due_date=c.due_date,
        )
        for c in charges
    )
    session.add_all(
        PaymentRow(
            case_id=case_id, date=p.date, amount_tiyn=to_tiyn_int(p.amount), reference=p.reference
        )
        for p in payments
    )


# --- outgoing numbers -----------------------------------------------------------------------


def allocate_number(session: Session, creditor_id: str, year: int) -> int:
    """Next gapless number for the creditor and year.

    The UPDATE takes a row lock (PostgreSQL) or is already under the write lock (SQLite,
    BEGIN IMMEDIATE) until the transaction ends, so concurrent issuers queue; a rolled-back
    issue gives its number back.
    """
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert_fn(DocumentCounterRow)
        .values(creditor_id=creditor_id, year=year, last_number=0)
        .on_conflict_do_nothing()
    )
    number = session.execute(
        update(DocumentCounterRow)
        .where(DocumentCounterRow.creditor_id == creditor_id, DocumentCounterRow.year == year)
        .values(last_number=DocumentCounterRow.last_number + 1)
        .returning(DocumentCounterRow.last_number)
    ).scalar_one()
    return int(number)


# --- issued documents -----------------------------------------------------------------------


def find_document(session: Session, document_id: str) -> IssuedDocumentRow | None:
    return session.get(IssuedDocumentRow, document_id)


def find_by_idempotency_key(
    session: Session, creditor_id: str, key: str
) -> IssuedDocumentRow | None:
    return session.scalars(
        select(IssuedDocumentRow).where(
            IssuedDocumentRow.creditor_id == creditor_id, IssuedDocumentRow.idempotency_key == key
        )
    ).first()


def case_external_id(session: Session, case_id: str) -> str:
    case = session.get(CaseRow, case_id)
    return case.external_id if case else ""


def find_documents_by_sha256(session: Session, sha256: str) -> list[IssuedDocumentRow]:
    return list(
        session.scalars(select(IssuedDocumentRow).where(IssuedDocumentRow.sha256 == sha256))
    )


def documents_of_case(session: Session, case_id: str) -> list[IssuedDocumentRow]:
    return list(
        session.scalars(
            select(IssuedDocumentRow)
            .where(IssuedDocumentRow.case_id == case_id)
            .order_by(IssuedDocumentRow.created_at, IssuedDocumentRow.sequence)
        )
    )


# --- audit chain ----------------------------------------------------------------------------


def event_hash(prev_hash: str, event: dict[str, Any]) -> str:
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def append_event(
    session: Session,
    *,
    creditor_id: str | None,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any],
    occurred_at: dt.datetime,
) -> AuditEventRow:
    """Append to the creditor's hash chain (the creditor row lock orders concurrent writers)."""
    if creditor_id is not None:
        session.execute(
            select(CreditorRow.id).where(CreditorRow.id == creditor_id).with_for_update()
        )
    last = session.scalars(
        select(AuditEventRow)
        .where(_same_chain(creditor_id))
        .order_by(AuditEventRow.id.desc())
        .limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS
    body = _event_body(creditor_id, actor, action, subject, payload, occurred_at)
    row = AuditEventRow(
        creditor_id=creditor_id,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject=subject,
        payload=payload,
        prev_hash=prev_hash,
        hash=event_hash(prev_hash, body),
    )
    session.add(row)
    session.flush()
    return row


def _same_chain(creditor_id: str | None) -> Any:
    if creditor_id is None:
        return AuditEventRow.creditor_id.is_(None)
    return AuditEventRow.creditor_id == creditor_id


def _event_body(
    creditor_id: str | None,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any],
    occurred_at: dt.datetime,
) -> dict[str, Any]:
    stamp = occurred_at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    return {
        "creditor_id": creditor_id,
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": payload,
        "occurred_at": stamp,
    }


def events_for(session: Session, creditor_id: str | None) -> list[AuditEventRow]:
    return list(
        session.scalars(
            select(AuditEventRow).where(_same_chain(creditor_id)).order_by(AuditEventRow.id)
        )
    )


def chain_problems(events: list[AuditEventRow]) -> list[str]:
    """Re-hash a creditor's chain (``events_for``); each broken link is reported."""
    problems = []
    prev = GENESIS
    for row in events:
        occurred = row.occurred_at
        if occurred.tzinfo is None:  # SQLite returns naive UTC
            occurred = occurred.replace(tzinfo=dt.UTC)
        body = _event_body(
            row.creditor_id, row.actor, row.action, row.subject, row.payload, occurred
        )
        if row.prev_hash != prev:
            problems.append(f"audit event {row.id} does not follow the previous event")
        if event_hash(row.prev_hash, body) != row.hash:
            problems.append(f"audit event {row.id} was altered after it was written")
        prev = row.hash
    return problems
