"""Segments and the next lawful step, per case and as a work list.

Computed on demand from the stored case, its history and the creditor's policy in force today.
The work list is paged by case id (review D16): a page evaluates at most ``limit`` cases
(``MAX_PAGE``), whatever the creditor holds, and its ``next`` link continues after the last one.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from service.cases import repository as cases
from service.cases.case import assess
from service.creditors.auth import Permission, Principal
from service.kernel.money import money_str
from service.law.context import LawContext
from service.rules import service as rules
from service.rules.engine import PolicyOverrides
from service.segments.schemas import ClassificationOut, SegmentOut, WorkItemOut, WorkListOut
from service.segments.segments import Classification, Segment, segment_case

NO_STEP = "none"
DEFAULT_PAGE = 100
MAX_PAGE = 200
"""Cases one page may evaluate: each takes a few milliseconds (its ledger, history, rules)."""


def _classify(
    session: Session,
    law: LawContext,
    today: dt.date,
    creditor_id: str,
    external_id: str,
    overrides: PolicyOverrides,
) -> tuple[Classification, str, str]:
    case = cases.load(session, creditor_id, external_id)
    debt = assess(case, today, law.calendar, law.penalty_policy)
    history = rules.case_history(session, case, debt.summary)
    result = segment_case(history, today, law.rulebook, law.calendar, overrides)
    return result, case.debtor.full_name, money_str(debt.summary.totals.outstanding)


def get_segment(
    session: Session, caller: Principal, law: LawContext, today: dt.date, external_id: str
) -> SegmentOut:
    caller.require(Permission.READ)
    creditor_id = caller.creditor()
    overrides = rules.overrides_for(session, creditor_id, today)
    result, _, _ = _classify(session, law, today, creditor_id, external_id, overrides)
    return SegmentOut(case=external_id, as_of=today, **ClassificationOut.fields(result))


def list_cases(
    session: Session,
    caller: Principal,
    law: LawContext,
    today: dt.date,
    segment: Segment | None = None,
    next_step: str | None = None,
    due_by: dt.date | None = None,
    *,
    limit: int = DEFAULT_PAGE,
    after: str | None = None,
) -> WorkListOut:
    """One page of the creditor's cases with segment and next step, filtered: the work to do.

    The page evaluates the next ``limit`` cases after ``after`` (by id) and keeps those that
    pass the filters; ``next`` is the query for the page after it, None once no case is left.
    ``next_step`` is a document kind or ``"none"`` (the endpoint checks the values)."""
    caller.require(Permission.READ)
    creditor_id = caller.creditor()
    limit = max(1, min(limit, MAX_PAGE))
    overrides = rules.overrides_for(session, creditor_id, today)  # once for every case
    page = cases.external_ids_after(session, creditor_id, after, limit + 1)
    more, page = len(page) > limit, page[:limit]
    items = []
    for external_id in page:
        result, debtor, outstanding = _classify(
            session, law, today, creditor_id, external_id, overrides
        )
        step = result.next_step
        if segment is not None and result.segment != segment:
            continue
        if next_step is not None and (str(step.kind) if step.kind else NO_STEP) != next_step:
            continue
        if due_by is not None and (step.earliest is None or step.earliest > due_by):
            continue
        items.append(
            WorkItemOut(
                external_id=external_id,
                debtor=debtor,
                outstanding=outstanding,
                **ClassificationOut.fields(result),
            )
        )
    following = None
    if more:
        query = {
            "segment": segment.value if segment is not None else None,
            "next_step": next_step,
            "due_by": due_by.isoformat() if due_by is not None else None,
            "limit": str(limit),
            "after": page[-1],
        }
        following = "/v1/cases?" + urlencode({k: v for k, v in query.items() if v is not None})
    return WorkListOut(as_of=today, cases=items, examined=len(page), next=following)
