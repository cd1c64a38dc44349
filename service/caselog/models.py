"""The case log's entries: one row each, never changed (a correction is a new entry)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class CaseLogEntryRow(Base):
    """A call, visit, promise to pay, hardship note or debtor's request on a case.

    Money as integer tiyn. Which columns hold a value depends on ``kind``
    (``service.caselog.schemas.LogEntryIn``)."""

    __tablename__ = "case_log_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    """Also the log's order: entries recorded in the same instant keep the order they came in."""
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    """The business day it was recorded (Kazakhstan time): a promise's window starts here."""
    actor: Mapped[str] = mapped_column(String(64))
    """The API key that recorded it (as the audit log names it)."""
    author: Mapped[str | None] = mapped_column(String(200))
    """The person the client names as author (the caller, the visitor), if given."""
    note: Mapped[str | None] = mapped_column(Text)
    promised_date: Mapped[dt.date | None] = mapped_column(Date)
    amount_tiyn: Mapped[int | None] = mapped_column(BigInteger)
    until: Mapped[dt.date | None] = mapped_column(Date)
    request: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
