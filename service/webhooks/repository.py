"""Webhook queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.webhooks.models import WebhookAnnouncementRow, WebhookAttemptRow, WebhookEndpointRow


def endpoint(session: Session, creditor_id: str, name: str) -> WebhookEndpointRow | None:
    return session.scalars(
        select(WebhookEndpointRow).where(
            WebhookEndpointRow.creditor_id == creditor_id, WebhookEndpointRow.name == name
        )
    ).first()


def endpoint_by_id(session: Session, endpoint_id: str) -> WebhookEndpointRow | None:
    return session.get(WebhookEndpointRow, endpoint_id)


def live_endpoints(session: Session, creditor_id: str) -> list[WebhookEndpointRow]:
    return list(
        session.scalars(
            select(WebhookEndpointRow)
            .where(
                WebhookEndpointRow.creditor_id == creditor_id,
                WebhookEndpointRow.deleted_at.is_(None),
            )
            .order_by(WebhookEndpointRow.name)
        )
    )


def attempts(session: Session, endpoint_id: str, limit: int) -> list[WebhookAttemptRow]:
    return list(
        session.scalars(
            select(WebhookAttemptRow)
            .where(WebhookAttemptRow.endpoint_id == endpoint_id)
            .order_by(WebhookAttemptRow.id.desc())
            .limit(limit)
        )
    )


def attempts_of_item(session: Session, outbox_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(WebhookAttemptRow)
            .where(WebhookAttemptRow.outbox_id == outbox_id)
        )
        or 0
    )


def announce(
    session: Session,
    creditor_id: str,
    event_type: str,
    subject: str,
    event_id: str,
    at: dt.datetime,
) -> bool:
    """Claim the announcement of ``event_type`` for ``subject``; ``False`` if it was made."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(
        insert(WebhookAnnouncementRow)
        .values(
            creditor_id=creditor_id,
            event_type=event_type,
            subject=subject,
            event_id=event_id,
            at=at,
        )
        .on_conflict_do_nothing()
        .returning(WebhookAnnouncementRow.event_id)
    )
    return result.first() is not None
