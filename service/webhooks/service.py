"""Registering webhook endpoints, announcing events to them, and the log of every attempt.

``emit`` runs inside the transaction that made the event happen (issuing a document, appending
a delivery event, assessing an agreement): it puts one ``webhook.deliver`` item per subscribed
endpoint in the outbox, with the body fixed then, so every retry posts the same bytes and the
event leaves only if that transaction commits. The handler (``tasks.deliver``) signs each try
afresh (a new timestamp), logs it, and lets the outbox retry with backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from typing import Any

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.delivery_events import WebhookEndpointDeleted, WebhookEndpointSaved
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.errors import NotFound
from service.kit.logs import log_event
from service.outbox import service as outbox
from service.webhooks import events, repository
from service.webhooks.models import WebhookAttemptRow, WebhookEndpointRow
from service.webhooks.schemas import WebhookAttemptOut, WebhookAttemptsOut, WebhookIn, WebhookOut

TOPIC = "webhook.deliver"
SECRET_PREFIX = "whsec_"
log = logging.getLogger("talap.webhooks")


def _out(row: WebhookEndpointRow, secret: str | None = None) -> WebhookOut:
    return WebhookOut(
        name=row.name,
        url=row.url,
        events=list(row.events),
        created_at=row.created_at,
        updated_at=row.updated_at,
        secret=secret,
    )


def put_endpoint(
    session: Session, clock: Clock, caller: Principal, name: str, webhook: WebhookIn
) -> tuple[WebhookOut, bool]:
    """Create or replace the endpoint ``name``; the secret is in the answer only when it was
    made or given now. Returns whether it was created."""
    caller.require(Permission.MANAGE_POLICY)
    creditor_id = caller.creditor()
    now = clock.now()
    row = repository.endpoint(session, creditor_id, name)
    chosen = list(dict.fromkeys(webhook.events))
    created = row is None or row.deleted_at is not None
    shown = webhook.secret
    if shown is None and created:
        shown = SECRET_PREFIX + secrets.token_urlsafe(32)
    if row is None:
        row = WebhookEndpointRow(
            id=str(uuid.uuid4()),
            creditor_id=creditor_id,
            name=name,
            url=webhook.url,
            events=chosen,
            secret=shown or "",
            created_at=now,
            updated_at=now,
            deleted_at=None,
        )
        session.add(row)
    else:
        row.url = webhook.url
        row.events = chosen
        row.updated_at = now
        row.deleted_at = None
        if shown is not None:
            row.secret = shown
    session.flush()
    event = WebhookEndpointSaved(row.id, name, webhook.url, tuple(chosen), shown is not None)
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=now)
    return _out(row, shown), created


def list_endpoints(session: Session, caller: Principal) -> list[WebhookOut]:
    caller.require(Permission.READ)
    return [_out(row) for row in repository.live_endpoints(session, caller.creditor())]


def _live(session: Session, caller: Principal, name: str) -> WebhookEndpointRow:
    row = repository.endpoint(session, caller.creditor(), name)
    if row is None or row.deleted_at is not None:
        raise NotFound(f"no webhook endpoint {name!r}")
    return row


def delete_endpoint(session: Session, clock: Clock, caller: Principal, name: str) -> None:
    """Nothing more is sent to it (items already queued are dropped when they run); its
    attempts stay listed."""
    caller.require(Permission.MANAGE_POLICY)
    row = _live(session, caller, name)
    now = clock.now()
    row.deleted_at = now
    audit.record(
        session,
        WebhookEndpointDeleted(row.id, name),
        creditor_id=row.creditor_id,
        actor=caller.actor,
        at=now,
    )


def list_attempts(
    session: Session, caller: Principal, name: str, limit: int = 100
) -> WebhookAttemptsOut:
    caller.require(Permission.READ)
    row = repository.endpoint(session, caller.creditor(), name)
    if row is None:
        raise NotFound(f"no webhook endpoint {name!r}")
    return WebhookAttemptsOut(
        name=name,
        attempts=[
            WebhookAttemptOut(
                attempt=a.attempt,
                event_id=a.event_id,
                event_type=a.event_type,
                at=a.at,
                outcome=a.outcome,
                status_code=a.status_code,
                duration_ms=a.duration_ms,
                error=a.error,
            )
            for a in repository.attempts(session, row.id, limit)
        ],
    )


def emit(
    session: Session,
    clock: Clock,
    *,
    creditor_id: str,
    event_type: str,
    data: dict[str, Any],
    event_id: str | None = None,
) -> str:
    """Announce ``event_type`` to the creditor's endpoints that subscribed to it, in the
    caller's transaction. Returns the event id."""
    assert event_type in events.EVENT_TYPES, event_type
    event_id = event_id or str(uuid.uuid4())
    now = clock.now()
    targets = [e for e in repository.live_endpoints(session, creditor_id) if event_type in e.events]
    if not targets:
        return event_id
    body = events.body(event_id, event_type, creditor_id, now, data).decode("utf-8")
    for endpoint in targets:
        outbox.enqueue(
            session,
            topic=TOPIC,
            payload={
                "endpoint_id": endpoint.id,
                "event_id": event_id,
                "event_type": event_type,
                "body": body,
            },
            creditor_id=creditor_id,
            subject=f"webhook:{endpoint.id}",
            at=now,
        )
    log_event(log, "webhook.emitted", event_id=event_id, type=event_type, endpoints=len(targets))
    return event_id


def emit_once(
    session: Session,
    clock: Clock,
    *,
    creditor_id: str,
    event_type: str,
    subject: str,
    data: dict[str, Any],
) -> bool:
    """``emit`` the first time ``event_type`` is seen for ``subject`` (a state assessed on read,
    such as an agreement's default); ``False`` if it was announced before."""
    event_id = str(uuid.uuid4())
    if not repository.announce(session, creditor_id, event_type, subject, event_id, clock.now()):
        return False
    emit(
        session, clock, creditor_id=creditor_id, event_type=event_type, data=data, event_id=event_id
    )
    return True


def log_attempt(
    session: Session,
    *,
    outbox_id: str,
    endpoint_id: str,
    event_id: str,
    event_type: str,
    at: dt.datetime,
    status_code: int | None,
    duration_ms: int,
    outcome: str,
    error: str | None,
) -> int:
    """Log one try; returns its number (1 for the first try of this item)."""
    number = repository.attempts_of_item(session, outbox_id) + 1
    session.add(
        WebhookAttemptRow(
            endpoint_id=endpoint_id,
            outbox_id=outbox_id,
            event_id=event_id,
            event_type=event_type,
            attempt=number,
            at=at,
            status_code=status_code,
            duration_ms=duration_ms,
            outcome=outcome,
            error=error[:500] if error else None,
        )
    )
    session.flush()
    return number


def endpoint_of(session: Session, endpoint_id: str) -> WebhookEndpointRow | None:
    return repository.endpoint_by_id(session, endpoint_id)


def announce_outcome(
    session: Session,
    clock: Clock,
    *,
    creditor_id: str,
    document_id: str,
    delivery_id: str,
    channel: str,
    status: str,
    outcome: str,
    legal_date: dt.date | None,
    previous_outcome: str,
    previous_legal_date: dt.date | None,
) -> str:
    """``delivery.outcome_changed``: called by the delivery model when an appended event
    changed an attempt's legal outcome or its date (in that transaction)."""
    return emit(
        session,
        clock,
        creditor_id=creditor_id,
        event_type=events.DELIVERY_OUTCOME_CHANGED,
        data={
            "document_id": document_id,
            "delivery_id": delivery_id,
            "channel": channel,
            "status": status,
            "outcome": outcome,
            "legal_date": legal_date.isoformat() if legal_date else None,
            "previous_outcome": previous_outcome,
            "previous_legal_date": previous_legal_date.isoformat() if previous_legal_date else None,
        },
    )
