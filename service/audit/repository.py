"""The audit log's queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from service.audit.chain import GENESIS, ChainEntry, event_body, event_hash
from service.audit.models import AuditChainHeadRow, AuditCheckpointRow, AuditEventRow
from service.audit.proofs import GLOBAL_LOG
from service.kit.db import insert_or_ignore

GLOBAL_CHAIN = GLOBAL_LOG


def chain_key(creditor_id: str | None) -> str:
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
    chain = chain_key(creditor_id)
    head = _locked_head(session, chain)
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


def _locked_head(session: Session, chain: str) -> AuditChainHeadRow:
    """The chain's head row, locked ``FOR UPDATE``; made (at genesis) for a chain's first event.
    The lock is tried first: an insert that ignores the existing head cost a statement (and a
    flush) on every event but a chain's first."""
    locked = select(AuditChainHeadRow).where(AuditChainHeadRow.chain == chain).with_for_update()
    head = session.scalars(locked).one_or_none()
    if head is not None:
        return head
    insert_or_ignore(session, AuditChainHeadRow, chain=chain, last_event_id=0, last_hash=GENESIS)
    return session.scalars(locked).one()


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
    head = session.get(AuditChainHeadRow, chain_key(creditor_id))
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


def head(session: Session, creditor_id: str | None) -> AuditChainHeadRow | None:
    return session.get(AuditChainHeadRow, chain_key(creditor_id))


def chains(session: Session) -> list[str]:
    """Every log that has events: creditor ids, and ``GLOBAL_CHAIN`` if admin keys wrote any."""
    return list(session.scalars(select(AuditChainHeadRow.chain).order_by(AuditChainHeadRow.chain)))


def events_through(
    session: Session, creditor_id: str | None, last_event_id: int
) -> list[AuditEventRow]:
    """The log's events up to and including ``last_event_id``, in order: a prefix of the chain
    (appends are serialised by the head's lock, so ids grow along each chain)."""
    return list(
        session.scalars(
            select(AuditEventRow)
            .where(_same_chain(creditor_id))
            .where(AuditEventRow.id <= last_event_id)
            .order_by(AuditEventRow.id)
        )
    )


def first_events(session: Session, creditor_id: str | None, count: int) -> list[AuditEventRow]:
    """The log's first ``count`` events, in order (the leaves of a tree of that size)."""
    return list(
        session.scalars(
            select(AuditEventRow)
            .where(_same_chain(creditor_id))
            .order_by(AuditEventRow.id)
            .limit(count)
        )
    )


def event_in(session: Session, creditor_id: str | None, event_id: int) -> AuditEventRow | None:
    row = session.get(AuditEventRow, event_id)
    if row is None or row.creditor_id != creditor_id:
        return None
    return row


def checkpoints(session: Session, chain: str) -> list[AuditCheckpointRow]:
    return list(
        session.scalars(
            select(AuditCheckpointRow)
            .where(AuditCheckpointRow.chain == chain)
            .order_by(AuditCheckpointRow.tree_size, AuditCheckpointRow.id)
        )
    )


def latest_checkpoint(session: Session, chain: str) -> AuditCheckpointRow | None:
    return session.scalars(
        select(AuditCheckpointRow)
        .where(AuditCheckpointRow.chain == chain)
        .order_by(AuditCheckpointRow.tree_size.desc(), AuditCheckpointRow.id.desc())
        .limit(1)
    ).first()


def add_checkpoint(
    session: Session,
    *,
    chain: str,
    tree_size: int,
    root_hash: str,
    created_at: dt.datetime,
    signature: bytes,
    signer_certificate: bytes,
    last_event_id: int | None = None,
    last_hash: str | None = None,
) -> AuditCheckpointRow:
    """Insert the checkpoint unless one of this log and size exists (a racing round); either
    way, the checkpoint of that size."""
    insert_or_ignore(
        session,
        AuditCheckpointRow,
        chain=chain,
        tree_size=tree_size,
        root_hash=root_hash,
        created_at=created_at,
        signature=signature,
        signer_certificate=signer_certificate,
        last_event_id=last_event_id,
        last_hash=last_hash,
    )
    return session.scalars(
        select(AuditCheckpointRow)
        .where(AuditCheckpointRow.chain == chain)
        .where(AuditCheckpointRow.tree_size == tree_size)
    ).one()


def latest_verified_point(session: Session, chain: str) -> tuple[int, str] | None:
    """The last event (id, hash) of the newest checkpoint that recorded it."""
    found = session.execute(
        select(AuditCheckpointRow.last_event_id, AuditCheckpointRow.last_hash)
        .where(AuditCheckpointRow.chain == chain)
        .where(AuditCheckpointRow.last_event_id.is_not(None))
        .order_by(AuditCheckpointRow.tree_size.desc(), AuditCheckpointRow.id.desc())
        .limit(1)
    ).first()
    if found is None or found[0] is None or found[1] is None:
        return None
    return found[0], found[1]


def events_from(session: Session, creditor_id: str | None, first_id: int) -> list[AuditEventRow]:
    """The log's events from ``first_id`` on, in order (a suffix of the chain)."""
    return list(
        session.scalars(
            select(AuditEventRow)
            .where(_same_chain(creditor_id))
            .where(AuditEventRow.id >= first_id)
            .order_by(AuditEventRow.id)
        )
    )


def event_after(session: Session, creditor_id: str | None, event_id: int) -> AuditEventRow | None:
    """The event that follows ``event_id`` in its log, if any."""
    return session.scalars(
        select(AuditEventRow)
        .where(_same_chain(creditor_id))
        .where(AuditEventRow.id > event_id)
        .order_by(AuditEventRow.id)
        .limit(1)
    ).first()


def append_many(
    session: Session,
    *,
    creditor_id: str | None,
    actor: str,
    events: Sequence[tuple[str, str, dict[str, Any]]],
    occurred_at: dt.datetime,
) -> None:
    """Append ``(action, subject, payload)`` events in order under one hold of the head's lock,
    inserted together (a bulk import): the rows' ids ascend in the order given (SQLite's rowid;
    on PostgreSQL SQLAlchemy's ordered ``INSERT … SELECT … ORDER BY … RETURNING``)."""
    if not events:
        return
    chain = chain_key(creditor_id)
    head = _locked_head(session, chain)
    last = head.last_hash
    rows = []
    for action, subject, payload in events:
        body = event_body(creditor_id, actor, action, subject, payload, occurred_at)
        row = AuditEventRow(
            creditor_id=creditor_id,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            subject=subject,
            payload=payload,
            prev_hash=last,
            hash=event_hash(last, body),
        )
        rows.append(row)
        last = row.hash
    session.add_all(rows)
    session.flush()
    head.last_event_id = max(row.id for row in rows)
    head.last_hash = last
