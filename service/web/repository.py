"""Web sessions' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.creditors.models import ApiKeyRow
from service.web.models import WebSessionRow


def add(session: Session, row: WebSessionRow) -> None:
    session.add(row)
    session.flush()


def active(
    session: Session, id_hash: str, now: dt.datetime
) -> tuple[WebSessionRow, ApiKeyRow] | None:
    """The session and its key, while the session lasts and the key is not revoked."""
    found = session.execute(
        select(WebSessionRow, ApiKeyRow)
        .join(ApiKeyRow, ApiKeyRow.id == WebSessionRow.key_id)
        .where(
            WebSessionRow.id == id_hash,
            WebSessionRow.expires_at > now,
            ApiKeyRow.revoked_at.is_(None),
        )
    ).first()
    return (found[0], found[1]) if found else None


def remove(session: Session, id_hash: str) -> WebSessionRow | None:
    row = session.get(WebSessionRow, id_hash)
    if row is not None:
        session.delete(row)
        session.flush()
    return row


def remove_expired(session: Session, now: dt.datetime) -> int:
    result = session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
