"""A creditor's policy overrides, with their history (never edited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


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
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
