"""Appending events, and reading a creditor's chain back for verification."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from service.audit import repository
from service.audit.chain import ChainEntry, chain_problems
from service.audit.events import AuditEvent


def record(
    session: Session,
    event: AuditEvent,
    *,
    creditor_id: str | None,
    actor: str,
    at: dt.datetime,
) -> None:
    """Append ``event`` to the creditor's chain in the caller's transaction (its last lock)."""
    repository.append(
        session,
        creditor_id=creditor_id,
        actor=actor,
        action=event.action,
        subject=event.subject,
        payload=event.payload(),
        occurred_at=at,
    )


def chain_of(session: Session, creditor_id: str | None) -> tuple[list[ChainEntry], list[str]]:
    """The creditor's whole chain, and every problem re-hashing it finds."""
    entries = repository.entries(repository.events_for(session, creditor_id))
    return entries, chain_problems(entries, repository.head_hash(session, creditor_id))
