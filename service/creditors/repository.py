"""Creditors' and API keys' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.creditors.creditor import Creditor
from service.creditors.models import ApiKeyRow, CreditorRow
from service.errors import NotFound


def get_row(session: Session, creditor_id: str) -> CreditorRow:
    row = session.get(CreditorRow, creditor_id)
    if row is None:
        raise NotFound(f"creditor {creditor_id} not found")
    return row


def get(session: Session, creditor_id: str) -> Creditor:
    row = get_row(session, creditor_id)
    return Creditor.from_profile(row.id, row.profile)


def find_by_bin(session: Session, bin_: str) -> CreditorRow | None:
    return session.scalars(select(CreditorRow).where(CreditorRow.bin == bin_)).first()


def find_key_by_hash(session: Session, key_hash: str) -> ApiKeyRow | None:
    return session.scalars(
        select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash, ApiKeyRow.revoked_at.is_(None))
    ).first()
