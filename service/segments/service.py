"""Segments and the next lawful step, per case and as a work list.

Computed on demand from the stored case, its history and the creditor's policy in force today.
The work list evaluates every case of the creditor on each call: fine for hundreds of cases, to
be cached or precomputed before tens of thousands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from service.cases import repository as cases
from service.cases.case import assess
from service.creditors.auth import Permission, Principal
from service.errors import FieldError, ValidationFailed
from service.kernel.money import money_str
from service.law.context import LawContext
from service.rules import service as rules
from service.rules.history import DocumentKind
from service.segments.schemas import ClassificationOut, SegmentOut, WorkItemOut, WorkListOut
from service.segments.segments import Classification, Segment, segment_case

NO_STEP = "none"


def _classify(
    session: Session, law: LawContext, today: dt.date, creditor_id: str, external_id: str
) -> tuple[Classification, str, str]:
    case = cases.load(session, creditor_id, external_id)
    debt = assess(case, today, law.calendar, law.penalty_policy)
    history = rules.case_history(session, case, debt.summary)
    overrides = rules.overrides_for(session, creditor_id, today)
    result = segment_case(history, today, law.rulebook, law.calendar, overrides)
    return result, case.debtor.full_name, money_str(debt.summary.totals.outstanding)


def get_segment(
    session: Session, caller: Principal, law: LawContext, today: dt.date, external_id: str
) -> SegmentOut:
    caller.require(Permission.READ)
    result, _, _ = _classify(session, law, today, caller.creditor(), external_id)
    return SegmentOut(case=external_id, as_of=today, **ClassificationOut.fields(result))


def list_cases(
    session: Session,
    caller: Principal,
    law: LawContext,
    today: dt.date,
    segment: str | None = None,
    next_step: str | None = None,
    due_by: dt.date | None = None,
) -> WorkListOut:
    """The creditor's cases with segment and next step, filtered: the work to do."""
    caller.require(Permission.READ)
    errors = []
    if segment is not None and segment not in {s.value for s in Segment}:
        errors.append(FieldError("segment", "unknown_value", _one_of(s.value for s in Segment)))
    steps = {k.value for k in DocumentKind} | {NO_STEP}
    if next_step is not None and next_step not in steps:
        errors.append(FieldError("next_step", "unknown_value", _one_of(sorted(steps))))
    if errors:
        raise ValidationFailed(errors)
    creditor_id = caller.creditor()
    items = []
    for external_id in cases.external_ids(session, creditor_id):
        result, debtor, outstanding = _classify(session, law, today, creditor_id, external_id)
        step = result.next_step
        if segment is not None and result.segment.value != segment:
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
    return WorkListOut(as_of=today, cases=items)


def _one_of(values: Iterable[str]) -> str:
    return "must be one of " + ", ".join(values)
