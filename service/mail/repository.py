"""E-mail delivery's queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from service.cases.models import CaseRow, DebtorRow


def debtor_contacts(session: Session, case_id: str) -> dict[str, Any]:
    """The contacts of the case's debtor as sent (``email``, ``phone``, ``postal_address``)."""
    case = session.get(CaseRow, case_id)
    debtor = session.get(DebtorRow, case.debtor_id) if case is not None else None
    return dict(debtor.contacts or {}) if debtor is not None else {}
