"""Issued documents, the outgoing-number counters, and Idempotency-Key claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class DocumentCounterRow(Base):
    """Last number used per creditor, register and year; bumped inside the issuing transaction.

    ``register``: ``outgoing`` (letters) or ``agreement`` (``documents.numbering.Register``)."""

    __tablename__ = "document_counters"
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), primary_key=True)
    register: Mapped[str] = mapped_column(String(16), primary_key=True, server_default="outgoing")
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class IdempotencyKeyRow(Base):
    """An Idempotency-Key, claimed first thing by the request that issues under it.

    A racing request with the same key waits on the claim (before rendering anything) and then
    answers with the document the first one issued; a refused or failed issue rolls its claim back
    with everything else, so the key stays free for a corrected retry.
    """

    __tablename__ = "idempotency_keys"
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[str | None] = mapped_column(ForeignKey("issued_documents.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class IssuedDocumentRow(Base):
    __tablename__ = "issued_documents"
    __table_args__ = (
        UniqueConstraint("creditor_id", "register", "year", "sequence"),
        UniqueConstraint("creditor_id", "idempotency_key"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(10))
    register: Mapped[str] = mapped_column(String(16), server_default="outgoing")
    """The numbering register: ``outgoing`` letters or ``agreement``s (review #39)."""
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    """The deadline for voluntary payment the document set."""
    route: Mapped[str | None] = mapped_column(String(16))
    """The route a pre-court letter announced (``notary``, ``court``)."""
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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    verify_token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    """The unguessable part of the public verification URL printed in the QR code (no API key
    needed; it shows no debtor data). Random, not derived from the id or the content."""


class VoidedNumberRow(Base):
    """A number of a register that no document carries: it was allocated to a document that
    failed before it was recorded (rendering, signing, archiving), so it is voided with the
    reason instead of leaving a gap (the register stays gapless: every number up to the counter
    is an issued document or a voided number, never both, never neither)."""

    __tablename__ = "voided_numbers"
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), primary_key=True)
    register: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    """The date the document would have carried (the register lists it on that day)."""
    kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"))
    reason_code: Mapped[str] = mapped_column(String(32))
    """``rendering_failed``, ``signing_failed``, ``archiving_failed``, ``failed``."""
    reason: Mapped[str] = mapped_column(Text)
    """What went wrong, in words (no personal data: the error's message)."""
    voided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
