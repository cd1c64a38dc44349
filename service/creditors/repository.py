"""Creditors' and API keys' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
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


def add_unless_bin_taken(session: Session, row: CreditorRow) -> CreditorRow | None:
    """Insert ``row``; or, when its БИН is registered already, the creditor holding it.

    The look-up answers the usual case; the unique index answers the race of two registrations
    at once (the insert waits for the other transaction, then fails; a savepoint keeps this one).
    """
    existing = find_by_bin(session, row.bin)
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = find_by_bin(session, row.bin)
        if existing is None:
            raise
        return existing
    return None


def find_key_by_hash(session: Session, key_hash: str) -> ApiKeyRow | None:
    return session.scalars(
        select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash, ApiKeyRow.revoked_at.is_(None))
    ).first()


def keys(session: Session, creditor_id: str | None, *, unbound_only: bool) -> list[ApiKeyRow]:
    """Every key (revoked ones too), oldest first: one creditor's, the unbound ones, or all."""
    query = select(ApiKeyRow).order_by(ApiKeyRow.created_at, ApiKeyRow.id)
    if creditor_id is not None:
        query = query.where(ApiKeyRow.creditor_id == creditor_id)
    elif unbound_only:
        query = query.where(ApiKeyRow.creditor_id.is_(None))
    return list(session.scalars(query))


def keys_named(session: Session, ref: str) -> list[ApiKeyRow]:
    """The keys whose id or shown prefix is ``ref``; locked, so two revocations queue."""
    query = (
        select(ApiKeyRow).where(or_(ApiKeyRow.id == ref, ApiKeyRow.prefix == ref)).with_for_update()
    )
    return list(session.scalars(query))
