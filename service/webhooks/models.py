"""Webhook endpoints, the log of every delivery attempt, and events announced once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class WebhookEndpointRow(Base):
    """A creditor's endpoint, by a name it chooses. ``secret`` signs every delivery; it is kept
    as given (the HMAC needs it) and shown once. A deleted endpoint keeps its row (its attempts
    stay listed) and receives nothing; a PUT of the same name brings it back."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (UniqueConstraint("creditor_id", "name"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[Any]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class WebhookAttemptRow(Base):
    """One try to deliver one event to one endpoint, whatever came of it."""

    __tablename__ = "webhook_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    outbox_id: Mapped[str] = mapped_column(String(36), index=True)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(64))
    attempt: Mapped[int] = mapped_column(Integer)
    """1 for the first try of this event at this endpoint."""
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    """``delivered``, ``retry`` (tried again later) or ``failed`` (given up)."""
    error: Mapped[str | None] = mapped_column(Text)


class WebhookAnnouncementRow(Base):
    """An event announced once for a subject (an agreement's default): a state assessed on read
    is announced the first time it is seen, never again."""

    __tablename__ = "webhook_announcements"
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
