"""A case's retention state: its legal hold and, once past retention, its anonymisation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class CaseRetentionRow(Base):
    """One row per case that has had a hold or an anonymisation. Placing a hold and
    anonymising both lock this row first (no foreign key refers to it, so the lock is safe in
    the order of ``kit.db``): a hold placed while a run is under way either lands before the
    run looks (and stops it) or waits and finds the case anonymised."""

    __tablename__ = "case_retention"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    hold_reason: Mapped[str | None] = mapped_column(Text)
    """Set while a legal hold is on the case."""
    hold_placed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    hold_placed_by: Mapped[str | None] = mapped_column(String(64))
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    anonymised_policy: Mapped[str | None] = mapped_column(String(64))
    retention_ended_on: Mapped[dt.date | None] = mapped_column(Date)
