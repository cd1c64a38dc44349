"""A case's segment and next lawful step, and the creditor's work list."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from service.kit.deps import Caller, DbSession, WiringDep
from service.kit.fields import QueryDay
from service.kit.http_errors import errors
from service.segments import service
from service.segments.schemas import SegmentOut, WorkListOut
from service.segments.segments import Segment

router = APIRouter(prefix="/v1", tags=["segments"])

StepName = Literal["reminder", "warning", "restructuring", "pretrial", "none"]
"""A kind of the ladder (``rules.history.DocumentKind``) or none; a test keeps them equal."""


@router.get("/cases", response_model=WorkListOut, responses=errors(401, 403, 422))
def list_cases(
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    segment: Segment | None = None,
    next_step: StepName | None = None,
    due_by: QueryDay | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = service.DEFAULT_PAGE,
    after: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> WorkListOut:
    """The creditor's cases with segment and next step, filtered: the work to do, a page at a
    time. A page evaluates ``limit`` cases in id order after ``after`` and lists those that pass
    the filters (so it may hold fewer, or none); follow ``next`` until it is null."""
    today = wiring.clock.today()
    return service.list_cases(
        session,
        caller,
        wiring.law,
        today,
        segment,
        next_step,
        due_by,
        limit=limit,
        after=after,
    )


@router.get(
    "/cases/{external_id}/segment", response_model=SegmentOut, responses=errors(401, 403, 404)
)
def get_segment(
    external_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> SegmentOut:
    return service.get_segment(session, caller, wiring.law, wiring.clock.today(), external_id)
