"""What a document needs before it may be rendered: required fields and the rules it must pass.

Sequencing (law vs policy, delivery-based waiting periods) is the rules engine's
(``service.domain.rules``); this module holds the field checks every kind shares.
"""

from __future__ import annotations

from typing import Any

from service.db.repositories import StoredCase
from service.domain.debt import Contribution
from service.errors import FieldError

SAVINGS_ACCOUNT_CONTRIBUTIONS = {Contribution.ACCUMULATIVE}


def required_field_errors(
    kind: str, case: StoredCase, creditor: dict[str, Any]
) -> list[FieldError]:
    """Fields every notice needs (research "What the service must encode", item 10)."""
    errors: list[FieldError] = []
    charged = {c.contribution for c in case.charges}
    with_basis = {Contribution(b["contribution"]) for b in case.basis}
    for contribution in sorted(charged - with_basis):
        errors.append(
            FieldError(
                "basis",
                "protocol_missing",
                f"no meeting protocol is given for {contribution.value} contributions: the "
                "protocol approving each contribution is the legal basis of the charge "
                "(housing law art. 42 p. 5)",
            )
        )
    if charged & SAVINGS_ACCOUNT_CONTRIBUTIONS and not creditor["accounts"].get("savings"):
        errors.append(
            FieldError(
                "creditor.accounts.savings",
                "required",
                "accumulative contributions are paid to the savings account (housing law "
                "art. 34-1 p. 3–4): the creditor has none on record",
            )
        )
    if not case.charges:
        errors.append(FieldError("charges", "required", "the case has no charges"))
    return errors
