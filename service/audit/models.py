"""The audit log's tables: the events, and each chain's head (its lock and its last hash)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class AuditEventRow(Base):
    """Append-only, hash-chained per creditor: each event's hash covers the previous one."""

    __tablename__ = "audit_events"
    __table_args__ = (
        # A case's history reads its own events (by subject), never the creditor's whole chain.
        Index("ix_audit_events_creditor_subject", "creditor_id", "subject"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    creditor_id: Mapped[str | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHeadRow(Base):
    """The last event of one chain. Appending locks this row (last in every writer's lock
    order), so a creditor's events are chained one at a time; no foreign key refers to it, so
    that lock never meets the key-share locks inserts take on creditor rows."""

    __tablename__ = "audit_chain_heads"
    chain: Mapped[str] = mapped_column(String(36), primary_key=True)
    """The creditor id, or ``GLOBAL_CHAIN`` for events of no creditor (admin keys)."""
    last_event_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpointRow(Base):
    """A signed checkpoint of one log's Merkle tree (``audit.proofs.Checkpoint``): its size, its
    root, when, the signature over the checkpoint text and the signer's certificate. Written
    periodically and on demand, never changed; one per log and size."""

    __tablename__ = "audit_checkpoints"
    __table_args__ = (UniqueConstraint("chain", "tree_size"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain: Mapped[str] = mapped_column(String(36))
    """The creditor id, or ``GLOBAL_CHAIN`` (as ``audit_chain_heads.chain``; no foreign key, so
    the log of events of no creditor has checkpoints too)."""
    tree_size: Mapped[int] = mapped_column(Integer)
    root_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    signer_certificate: Mapped[bytes] = mapped_column(LargeBinary)
    last_event_id: Mapped[int | None] = mapped_column(Integer, default=None)
    """The last event the tree covers, and its hash: the chain up to it re-hashed cleanly when
    the checkpoint was signed, so a document's verification starts there (None: older rows)."""
    last_hash: Mapped[str | None] = mapped_column(String(64), default=None)
