"""Agreements issued as documents, and acknowledgments recorded apart from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, column
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class AgreementRow(Base):
    """A restructuring agreement issued as a document; signing makes it active.

    Performance (performing, late, defaulted, completed) is never stored: it is assessed on read
    from ``schedule``, ``terms`` and the case's payments.
    """

    __tablename__ = "agreements"
    __table_args__ = (
        # One agreement in force per case (reliability review D4), held by the database too, so
        # two concurrent signings cannot both succeed (SQLite and PostgreSQL partial indexes).
        Index(
            "uq_agreements_case_id_active",
            "case_id",
            unique=True,
            sqlite_where=column("state") == "active",
            postgresql_where=column("state") == "active",
        ),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("issued_documents.id"), unique=True)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Instalments and totals as written in the issued agreement (money as decimal strings)."""
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``grace_days`` and ``default_after_days`` written into the agreement."""
    state: Mapped[str] = mapped_column(String(16))
    """The recorded lifecycle step: ``issued`` (an open offer), ``active`` (signed; at most one
    per case), ``superseded`` (an offer left unsigned when another was signed) or ``closed``
    (signed, ended in default or completion, and followed by a later signed agreement)."""
    issued_on: Mapped[dt.date] = mapped_column(Date)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    """The debtor's signing date: the written acknowledgment it contains dates from it."""
    signed_recorded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AcknowledgmentRow(Base):
    """A written acknowledgment of the debt recorded apart from an agreement (ГК art. 183)."""

    __tablename__ = "acknowledgments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))
    notarised: Mapped[bool] = mapped_column(Boolean)
    document_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
