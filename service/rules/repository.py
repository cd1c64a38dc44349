"""Policy overrides' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.rules.models import PolicyOverrideRow


def override_rows(session: Session, creditor_id: str) -> list[PolicyOverrideRow]:
    """Every override the creditor ever recorded, in the order it takes effect."""
    return list(
        session.scalars(
            select(PolicyOverrideRow)
            .where(PolicyOverrideRow.creditor_id == creditor_id)
            .order_by(PolicyOverrideRow.effective_from, PolicyOverrideRow.id)
        ).all()
    )


def overrides_in_force(
    session: Session, creditor_id: str, on_date: dt.date
) -> dict[str, PolicyOverrideRow]:
    """Per rule, the latest override with ``effective_from`` not after ``on_date``."""
    return in_force_among(override_rows(session, creditor_id), on_date)


def in_force_among(rows: list[PolicyOverrideRow], on_date: dt.date) -> dict[str, PolicyOverrideRow]:
    """The same, among ``rows`` as ``override_rows`` returns them (oldest first)."""
    in_force: dict[str, PolicyOverrideRow] = {}
    for row in rows:
        if row.effective_from <= on_date:
            in_force[row.rule_id] = row  # rows come oldest first: the last one wins
    return in_force
