"""The audit log's queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from service.audit.chain import GENESIS, ChainEntry, event_body, event_hash
from service.audit.models import AuditChainHeadRow, AuditEventRow
from service.kit.db import insert_or_ignore

GLOBAL_CHAIN = "global"


def _chain(creditor_id: str | None) -> str:
    return creditor_id or GLOBAL_CHAIN


def append(
    session: Session,
    *,
    creditor_id: str | None,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any],
    occurred_at: dt.datetime,
) -> AuditEventRow:
    """Append to the creditor's chain under its head's row lock."""
    chain = _chain(creditor_id)
    insert_or_ignore(session, AuditChainHeadRow, chain=chain, last_event_id=0, last_hash=GENESIS)
    head = session.scalars(
        select(AuditChainHeadRow).where(AuditChainHeadRow.chain == chain).with_for_update()
    ).one()
    body = event_body(creditor_id, actor, action, subject, payload, occurred_at)
    row = AuditEventRow(
        creditor_id=creditor_id,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject=subject,
        payload=payload,
        prev_hash=head.last_hash,
        hash=event_hash(head.last_hash, body),
    )
    session.add(row)
    session.flush()
    head.last_event_id = row.id
    head.last_hash = row.hash
    return row


def _same_chain(creditor_id: str | None) -> ColumnElement[bool]:
    if creditor_id is None:
        return AuditEventRow.creditor_id.is_(None)
    return AuditEventRow.creditor_id == creditor_id


def events_for(session: Session, creditor_id: str | None) -> list[AuditEventRow]:
    return list(
        session.scalars(
            select(AuditEventRow).where(_same_chain(creditor_id)).order_by(AuditEventRow.id)
        )
    )


def events_about(
    session: Session, creditor_id: str, subjects: Iterable[str]
) -> list[AuditEventRow]:
    return list(
        session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.creditor_id == creditor_id)
            .where(AuditEventRow.subject.in_(list(subjects)))
            .order_by(AuditEventRow.id)
        )
    )


def head_hash(session: Session, creditor_id: str | None) -> str | None:
    head = session.get(AuditChainHeadRow, _chain(creditor_id))
    return head.last_hash if head else None


def entries(rows: Iterable[AuditEventRow]) -> list[ChainEntry]:
    return [
        ChainEntry(
            id=r.id,
            creditor_id=r.creditor_id,
            occurred_at=r.occurred_at,
            actor=r.actor,
            action=r.action,
            subject=r.subject,
            payload=r.payload,
            prev_hash=r.prev_hash,
            hash=r.hash,
        )
        for r in rows
    ]
