"""A batch and its items: stored together in one transaction, so nothing accepted is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class BatchRow(Base):
    """One batch: who asked (the key, whose role the workers act with), where the items came
    from (``api`` or ``file`` with its SHA-256, by which a rerun of the same file finds it)."""

    __tablename__ = "batches"
    __table_args__ = (
        Index("ix_batches_creditor_id_source_sha256", "creditor_id", "source_sha256"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str | None] = mapped_column(String(300))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[int] = mapped_column(Integer)
    chunk_size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class BatchItemRow(Base):
    """One notice to issue: its line (in the request, or the file's first row of the case), the
    request, and its outcome once known. ``idempotency_key`` is ``batch:<id>:<line>``: issuing
    it again (a chunk retaken after a crash) returns the document issued the first time."""

    __tablename__ = "batch_items"
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_external_id: Mapped[str] = mapped_column(String(100))
    request: Mapped[dict[str, Any]] = mapped_column()
    idempotency_key: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16))
    """``pending``, then ``issued``, ``refused`` or ``error``."""
    document_id: Mapped[str | None] = mapped_column(String(36))
    number: Mapped[str | None] = mapped_column(String(40))
    errors: Mapped[list[Any] | None] = mapped_column()
    violations: Mapped[list[Any] | None] = mapped_column()
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
