"""SMS messages sent for delivery attempts, and the gateway callbacks already accepted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class SmsMessageRow(Base):
    """One SMS of a delivery attempt: what was sent where, and the gateway's message id.

    ``reference`` is the outbox item that sends it, and the idempotency key the gateway sees;
    reports find the message by the gateway's id or by that reference (a report can overtake
    the send's answer)."""

    __tablename__ = "sms_messages"
    __table_args__ = (UniqueConstraint("gateway", "message_id"),)
    reference: Mapped[str] = mapped_column(String(36), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id"), index=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    gateway: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(32))
    """The phone number in E.164 (personal data: never logged, never audited)."""
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str] = mapped_column(String(8))
    segments: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class SmsCallbackRow(Base):
    """A callback accepted from a gateway, by its signature: the same signed request again is a
    replay and is refused. Rows older than the timestamp window may be pruned (a request that
    old is refused by its timestamp anyway)."""

    __tablename__ = "sms_callbacks"
    gateway: Mapped[str] = mapped_column(String(32), primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
