"""Recorded rule decisions (refusals too): one row per real issuing attempt the rules judged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class RuleDecisionRow(Base):
    """What the rules decided on an issuing attempt. A refusal is written in its own short
    transaction after the issuing one rolled back; an allowed issue inside it. Never edited."""

    __tablename__ = "rule_decisions"
    __table_args__ = (Index("ix_rule_decisions_case_requested", "case_id", "requested_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(20))
    route: Mapped[str | None] = mapped_column(String(16))
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    on_date: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    """``allowed`` or ``refused``."""
    rules: Mapped[list[Any]] = mapped_column(JSON)
    """Every rule of the trace: ``{rule, kind, outcome, provisions, passes_on}``."""
    passes_on: Mapped[dt.date | None] = mapped_column(Date)
    """For a refusal only time blocks: the day it lifts."""
    document_id: Mapped[str | None] = mapped_column(String(36))
    """The document an allowed decision issued (no foreign key: a refusal has none)."""
    actor: Mapped[str] = mapped_column(String(64))
