"""Issued documents' queries: numbering, Idempotency-Key claims, reading records. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.creditors.auth import Principal
from service.documents.models import (
    DocumentCounterRow,
    IdempotencyKeyRow,
    IssuedDocumentRow,
    VoidedNumberRow,
)
from service.errors import NotFound
from service.kit.db import insert_or_ignore


def allocate_number(session: Session, creditor_id: str, year: int, register: str) -> int:
    """Next gapless number for the creditor, register and year.

    The UPDATE takes the counter's row lock (PostgreSQL) or is already under the write lock
    (SQLite) until the transaction ends, so concurrent issuers queue; a rolled-back issue gives
    its number back.
    """
    insert_or_ignore(
        session,
        DocumentCounterRow,
        creditor_id=creditor_id,
        register=register,
        year=year,
        last_number=0,
    )
    number = session.execute(
        update(DocumentCounterRow)
        .where(
            DocumentCounterRow.creditor_id == creditor_id,
            DocumentCounterRow.register == register,
            DocumentCounterRow.year == year,
        )
        .values(last_number=DocumentCounterRow.last_number + 1)
        .returning(DocumentCounterRow.last_number)
    ).scalar_one()
    return int(number)


def claim_key(
    session: Session, creditor_id: str, key: str, request_hash: str, now: dt.datetime
) -> IdempotencyKeyRow:
    """This request's claim on ``key``, or the claim of the request that issued under it.

    A concurrent claim of the same key makes this insert wait until that transaction ends.
    """
    insert_or_ignore(
        session,
        IdempotencyKeyRow,
        creditor_id=creditor_id,
        key=key,
        request_hash=request_hash,
        document_id=None,
        created_at=now,
    )
    return session.scalars(
        select(IdempotencyKeyRow).where(
            IdempotencyKeyRow.creditor_id == creditor_id, IdempotencyKeyRow.key == key
        )
    ).one()


def find(session: Session, document_id: str) -> IssuedDocumentRow | None:
    return session.get(IssuedDocumentRow, document_id)


def of_case(session: Session, case_id: str) -> list[IssuedDocumentRow]:
    return list(
        session.scalars(
            select(IssuedDocumentRow)
            .where(IssuedDocumentRow.case_id == case_id)
            .order_by(IssuedDocumentRow.created_at, IssuedDocumentRow.sequence)
        )
    )


def by_verify_token(session: Session, token: str) -> IssuedDocumentRow | None:
    """The document whose public verification URL carries ``token`` (unique)."""
    return session.scalars(
        select(IssuedDocumentRow).where(IssuedDocumentRow.verify_token == token)
    ).one_or_none()


def with_sha256(session: Session, sha256: str) -> list[IssuedDocumentRow]:
    return list(
        session.scalars(select(IssuedDocumentRow).where(IssuedDocumentRow.sha256 == sha256))
    )


def recorded(session: Session, names: Iterable[str]) -> set[str]:
    """Which of the SHA-256 ``names`` an issued document holds."""
    wanted = list(names)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(IssuedDocumentRow.sha256).where(IssuedDocumentRow.sha256.in_(wanted))
        )
    )


def visible(session: Session, caller: Principal, document_id: str) -> IssuedDocumentRow:
    """The document, if the caller may see it; another creditor's answers exactly like a
    missing one (404, same message)."""
    row = find(session, document_id)
    if row is None or not caller.may_see(row.creditor_id):
        raise NotFound(f"document {document_id} not found")
    return row


def void(session: Session, row: VoidedNumberRow) -> None:
    """Record ``row``'s number as voided (in the transaction that allocated it)."""
    session.add(row)
    session.flush()


@dataclass(frozen=True)
class Accounting:
    """How a register's numbers are accounted for, up to its counter."""

    last: int
    issued: list[int]
    voided: list[int]

    @property
    def missing(self) -> list[int]:
        """Numbers up to the counter that are neither a document nor voided (a gap)."""
        return sorted(set(range(1, self.last + 1)) - set(self.issued) - set(self.voided))

    @property
    def doubled(self) -> list[int]:
        """Numbers held twice: two documents, or a document and a voided number."""
        seen = self.issued + self.voided
        return sorted({n for n in seen if seen.count(n) > 1})


def accounting(session: Session, creditor_id: str, register: str, year: int) -> Accounting:
    counter = session.get(DocumentCounterRow, (creditor_id, register, year))
    issued = session.scalars(
        select(IssuedDocumentRow.sequence).where(
            IssuedDocumentRow.creditor_id == creditor_id,
            IssuedDocumentRow.register == register,
            IssuedDocumentRow.year == year,
        )
    )
    voided = session.scalars(
        select(VoidedNumberRow.sequence).where(
            VoidedNumberRow.creditor_id == creditor_id,
            VoidedNumberRow.register == register,
            VoidedNumberRow.year == year,
        )
    )
    return Accounting(counter.last_number if counter else 0, list(issued), list(voided))
