"""A case's segment and next step, and the work list, as the API returns them."""

from __future__ import annotations

import datetime as dt

from service.kit.fields import Out
from service.kit.http_errors import ViolationOut
from service.segments.segments import Classification


class ReasonOut(Out):
    code: str
    message: str
    messages: dict[str, str]


class NextStepOut(Out):
    kind: str | None
    earliest: dt.date | None
    blocked_by: list[ViolationOut]


class ClassificationOut(Out):
    segment: str
    reasons: list[ReasonOut]
    months_in_arrears: list[str]
    episodes: int
    next_step: NextStepOut

    @staticmethod
    def fields(result: Classification) -> dict[str, object]:
        step = result.next_step
        return {
            "segment": result.segment.value,
            "reasons": [
                ReasonOut(code=r.code, message=r.message.en, messages=r.message.as_dict())
                for r in result.reasons
            ],
            "months_in_arrears": [str(p) for p in result.months_in_arrears],
            "episodes": result.episodes,
            "next_step": NextStepOut(
                kind=str(step.kind) if step.kind else None,
                earliest=step.earliest,
                blocked_by=[ViolationOut.model_validate(v.as_dict()) for v in step.blocked_by],
            ),
        }


class SegmentOut(ClassificationOut):
    case: str
    as_of: dt.date


class WorkItemOut(ClassificationOut):
    external_id: str
    debtor: str
    outstanding: str


class WorkListOut(Out):
    """One page of the work list. A page examines at most ``limit`` cases (in id order) and
    lists those that pass the filters, so a filtered page may hold fewer than ``limit`` — even
    none — while ``next`` still leads on; the list is complete when ``next`` is null."""

    as_of: dt.date
    cases: list[WorkItemOut]
    examined: int
    """How many cases this page evaluated (the filters are applied to these)."""
    next: str | None
    """The next page (same filters, ``after`` the last case examined), or null at the end."""
