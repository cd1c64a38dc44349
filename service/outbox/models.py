"""The outbox table: one row per piece of follow-up work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class OutboxRow(Base):
    """Work to do after a commit. ``pending`` until a handler finished it (``done``) or gave up
    (``dead``); ``leased_until`` marks the item a worker is running now (claimed), so two workers
    never run it at once, and a worker that died lets it go when the lease ends."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    topic: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    """What the work is about (``delivery:<id>``), for finding it again; never personal data."""
    payload: Mapped[dict[str, Any]] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    leased_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
