"""A creditor's overrides of the default notice ladder (policy rules only, never law)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.domain.rules import PolicyOverrides


def overrides_for(session: Session, creditor_id: str) -> PolicyOverrides:
    """The creditor's current overrides; none are stored yet, so the defaults apply."""
    return {}
