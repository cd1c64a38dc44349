"""The voided numbers of a period as the API shows them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from service.documents.models import VoidedNumberRow


class VoidedNumberOut(BaseModel):
    number: str
    register_name: str = Field(serialization_alias="register")
    """``register`` on the wire: ``outgoing`` (letters) or ``agreement``."""
    year: int
    sequence: int
    issue_date: dt.date
    """The date the document would have carried."""
    kind: str
    case: str | None
    """The case's external id the document was for."""
    reason_code: str
    """``rendering_failed``, ``signing_failed``, ``archiving_failed`` or ``failed``."""
    reason: str
    voided_at: dt.datetime
    actor: str

    @classmethod
    def of(cls, row: VoidedNumberRow, case: str | None) -> VoidedNumberOut:
        return cls(
            number=row.number,
            register_name=row.register,
            year=row.year,
            sequence=row.sequence,
            issue_date=row.issue_date,
            kind=row.kind,
            case=case,
            reason_code=row.reason_code,
            reason=row.reason,
            voided_at=row.voided_at,
            actor=row.actor,
        )


class VoidedNumbersOut(BaseModel):
    items: list[VoidedNumberOut]
