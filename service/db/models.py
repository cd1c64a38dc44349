"""SQLAlchemy tables. Money is stored as integer tiyn; JSON columns hold contract-shaped data.

Relationships are deliberately absent: queries live in ``repositories.py`` and load what they
need explicitly, so nothing lazy-loads by surprise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class CreditorRow(Base):
    __tablename__ = "creditors"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bin: Mapped[str] = mapped_column(String(12), index=True)
    form: Mapped[str] = mapped_column(String(16))
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The creditor as the client sent it (names, addresses, chairman, accounts, contacts)."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiKeyRow(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class DebtorRow(Base):
    __tablename__ = "debtors"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(300))
    iin: Mapped[str | None] = mapped_column(String(12), index=True)
    language: Mapped[str] = mapped_column(String(2))
    contacts: Mapped[dict[str, Any]] = mapped_column(JSON)
    """email, phone, postal_address as sent."""


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("creditor_id", "external_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    debtor_id: Mapped[str] = mapped_column(ForeignKey("debtors.id"))
    unit: Mapped[dict[str, Any]] = mapped_column(JSON)
    basis: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ChargeRow(Base):
    __tablename__ = "charges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    contribution: Mapped[str] = mapped_column(String(16))
    amount_tiyn: Mapped[int] = mapped_column(BigInteger)
    due_date: Mapped[dt.date | None] = mapped_column(Date)


class PaymentRow(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    amount_tiyn: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(200))


class DocumentCounterRow(Base):
    """Last outgoing number used per creditor per year; bumped inside the issuing transaction."""

    __tablename__ = "document_counters"
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class IssuedDocumentRow(Base):
    __tablename__ = "issued_documents"
    __table_args__ = (
        UniqueConstraint("creditor_id", "year", "sequence"),
        UniqueConstraint("creditor_id", "idempotency_key"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    template_version: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Everything the PDF was rendered from (the facts), for audit and re-rendering."""
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_hash: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    signer_subject: Mapped[str] = mapped_column(Text)
    signer_certificate: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The certificate (DER) that signed it: verification still trusts it after a key change."""
    development_signature: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEventRow(Base):
    """Append-only, hash-chained per creditor: each event's hash covers the previous one."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    creditor_id: Mapped[str | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class DeliveryRow(Base):
    """One delivery attempt or outcome for an issued document, with its legal date."""

    __tablename__ = "deliveries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("issued_documents.id"), index=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    delivered_at: Mapped[dt.date | None] = mapped_column(Date)
    """The legal delivery date (or the return/refusal date); waiting periods count from it."""
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeliveryProofRow(Base):
    """A proof file (receipt scan, notice, SMTP log) kept beside the signed PDF, never inside it."""

    __tablename__ = "delivery_proofs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)


class PolicyOverrideRow(Base):
    """One creditor's change to one policy rule's parameters, from a date; never edited.

    The set in force on a date is, per rule, the row with the latest ``effective_from`` not after
    that date (ties: the latest recorded). Its ``parameters`` replace the creditor's earlier
    override of that rule as a whole; ``{}`` returns the rule to the defaults in ``legal/rules/``.
    """

    __tablename__ = "policy_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))


class AgreementRow(Base):
    """A restructuring agreement issued as a document; signing makes it active.

    Performance (performing, late, defaulted, completed) is never stored: it is assessed on read
    from ``schedule``, ``terms`` and the case's payments.
    """

    __tablename__ = "agreements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("issued_documents.id"), unique=True)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Instalments and totals as written in the issued agreement (money as decimal strings)."""
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``grace_days`` and ``default_after_days`` written into the agreement."""
    state: Mapped[str] = mapped_column(String(16))
    """The recorded lifecycle step: ``issued`` or ``active`` (signed)."""
    issued_on: Mapped[dt.date] = mapped_column(Date)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    """The debtor's signing date: the written acknowledgment it contains dates from it."""
    signed_recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


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
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))


class HardshipRow(Base):
    """A hardship flag (or its end) recorded for a case's debtor; the latest one counts."""

    __tablename__ = "hardship_flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
