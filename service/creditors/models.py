"""Creditors and their API keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class CreditorRow(Base):
    __tablename__ = "creditors"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bin: Mapped[str] = mapped_column(String(12), index=True, unique=True)
    """One creditor per БИН (its documents are numbered per creditor)."""
    form: Mapped[str] = mapped_column(String(32))
    """osi, ksk or management_company (18 characters: 16 refused it on PostgreSQL)."""
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The creditor as the client sent it (names, addresses, chairman, accounts, contacts)."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ApiKeyRow(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
