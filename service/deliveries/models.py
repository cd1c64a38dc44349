"""Delivery attempts, the provider events of each, and the proof files kept with them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class DeliveryRow(Base):
    """One delivery attempt of an issued document: one channel, one recipient.

    ``state``, ``outcome`` and ``legal_date`` are a cache of what its events say
    (``service.deliveries.outcome``), rewritten whenever an event is appended.
    """

    __tablename__ = "deliveries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("issued_documents.id"), index=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str | None] = mapped_column(String(500))
    """Address, phone number or postal address the attempt went to (personal data: never
    logged, never in the audit payload)."""
    tracking_number: Mapped[str | None] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(32))
    """The event status in force (``queued`` until an event says otherwise)."""
    state_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    outcome: Mapped[str] = mapped_column(String(16))
    """The legal outcome: delivered, refused, returned, not_delivered, unknown."""
    legal_date: Mapped[dt.date | None] = mapped_column(Date)
    """Delivered: the day of receipt; refused/returned: the day refused or back."""
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(100))
    """Who started the attempt (an API key, or ``system:…``)."""
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class DeliveryEventRow(Base):
    """One event a provider (or the client) reported for an attempt; every one is kept, also
    those that arrive after a terminal state and change nothing."""

    __tablename__ = "delivery_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    """Recording order."""
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    """When the provider says it happened."""
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(String(64))
    """``client``, ``smtp``, ``dsn``, ``sms:<gateway>``, ``post``, ``migration`` …"""
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    receipt_sha256: Mapped[str | None] = mapped_column(String(64))
    """The raw receipt (DSN, callback body, scanned notice) archived write-once under it."""
    receipt_size: Mapped[int | None] = mapped_column(BigInteger)


class DeliveryProofRow(Base):
    """A proof file (receipt scan, signed acknowledgment, photo) kept beside the signed PDF,
    never inside it."""

    __tablename__ = "delivery_proofs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_events.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    """As found in the bytes (``service.deliveries.proofs``), not as the client said."""
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
