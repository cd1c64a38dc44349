"""Issued documents' queries: numbering, Idempotency-Key claims, reading records. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.creditors.auth import Principal
from service.documents.models import DocumentCounterRow, IdempotencyKeyRow, IssuedDocumentRow
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
