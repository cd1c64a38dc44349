"""Debtors, cases, their ledger (charges, payments; money as integer tiyn) and hardship flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class DebtorRow(Base):
    __tablename__ = "debtors"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(500))
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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


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


class HardshipRow(Base):
    """A hardship flag (or its end) recorded for a case's debtor; the latest one counts."""

    __tablename__ = "hardship_flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
