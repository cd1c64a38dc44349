"""A case's legal hold as the API takes and returns it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from service.kit.fields import In, Out
from service.retention.service import MAX_REASON, HoldState


class LegalHoldIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON)]
    """Why the case must be kept whole (a claim in court, a regulator's request…)."""


class LegalHoldOut(Out):
    case: str
    on_hold: bool
    reason: str | None
    placed_at: dt.datetime | None
    placed_by: str | None
    anonymised_at: dt.datetime | None
    """When retention anonymised the case's personal data (``null``: not anonymised)."""

    @classmethod
    def of(cls, state: HoldState) -> LegalHoldOut:
        return cls(
            case=state.case,
            on_hold=state.on_hold,
            reason=state.reason,
            placed_at=state.placed_at,
            placed_by=state.placed_by,
            anonymised_at=state.anonymised_at,
        )
