"""Segments and the next lawful step, per case and as a work list; hardship flags.

Computed on demand from the stored case, its history and the creditor's policy in force today
(``service.domain.segments``). The work list evaluates every case of the creditor on each call:
fine for hundreds of cases, to be cached or precomputed before tens of thousands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.application.auth import Permission, Principal
from service.application.history import case_state
from service.application.policy import overrides_for
from service.bootstrap import Container
from service.contract import HardshipIn, parse
from service.db import repositories as repo
from service.db import rules_repository as rules_repo
from service.db.models import HardshipRow
from service.domain.money import money_str
from service.domain.rules import DocumentKind
from service.domain.segments import Classification, Segment, segment_case
from service.errors import FieldError, ValidationFailed

NO_STEP = "none"


def get_segment(c: Container, principal: Principal, external_id: str) -> dict[str, Any]:
    principal.require(Permission.READ)
    today = c.clock.today()
    with c.db.transaction(read_only=True) as session:
        creditor_id = principal.creditor()
        state = case_state(c, session, creditor_id, external_id)
        overrides = overrides_for(session, creditor_id, today)
    result = segment_case(state.history, today, c.rulebook, c.calendar, overrides)
    return {"case": external_id, "as_of": today.isoformat(), **classification_json(result)}


def list_cases(
    c: Container,
    principal: Principal,
    segment: str | None = None,
    next_step: str | None = None,
    due_by: dt.date | None = None,
) -> dict[str, Any]:
    """The creditor's cases with segment and next step, filtered: the work to do."""
    principal.require(Permission.READ)
    errors = []
    if segment is not None and segment not in {s.value for s in Segment}:
        errors.append(FieldError("segment", "unknown_value", _one_of(s.value for s in Segment)))
    steps = {k.value for k in DocumentKind} | {NO_STEP}
    if next_step is not None and next_step not in steps:
        errors.append(FieldError("next_step", "unknown_value", _one_of(sorted(steps))))
    if errors:
        raise ValidationFailed(errors)
    today = c.clock.today()
    cases = []
    with c.db.transaction(read_only=True) as session:
        creditor_id = principal.creditor()
        overrides = overrides_for(session, creditor_id, today)
        for external_id in rules_repo.case_external_ids(session, creditor_id):
            state = case_state(c, session, creditor_id, external_id)
            result = segment_case(state.history, today, c.rulebook, c.calendar, overrides)
            step = result.next_step
            if segment is not None and result.segment.value != segment:
                continue
            if next_step is not None and (step.kind.value if step.kind else NO_STEP) != next_step:
                continue
            if due_by is not None and (step.earliest is None or step.earliest > due_by):
                continue
            cases.append(
                {
                    "external_id": external_id,
                    "debtor": state.case.debtor["full_name"],
                    "outstanding": money_str(state.debt.totals.outstanding),
                    **classification_json(result),
                }
            )
    return {"as_of": today.isoformat(), "cases": cases}


def classification_json(result: Classification) -> dict[str, Any]:
    step = result.next_step
    return {
        "segment": result.segment.value,
        "reasons": [
            {"code": r.code, "message": r.message.en, "messages": r.message.as_dict()}
            for r in result.reasons
        ],
        "months_in_arrears": [str(p) for p in result.months_in_arrears],
        "episodes": result.episodes,
        "next_step": {
            "kind": step.kind.value if step.kind else None,
            "earliest": step.earliest.isoformat() if step.earliest else None,
            "blocked_by": [v.as_dict() for v in step.blocked_by],
        },
    }


def record_hardship(
    c: Container, principal: Principal, external_id: str, payload: Any
) -> dict[str, Any]:
    """Record a hardship flag, or its end (``HardshipRecorded``); the latest record counts."""
    principal.require(Permission.WRITE_CASES)
    request = parse(HardshipIn, payload)
    if request.date > c.clock.today():
        raise ValidationFailed([FieldError("date", "in_future", "cannot be dated ahead")])
    with c.db.transaction() as session:
        case = repo.get_case_row(session, principal.creditor(), external_id)
        now = c.clock.now()
        row = HardshipRow(
            creditor_id=case.creditor_id,
            case_id=case.id,
            date=request.date,
            active=request.active,
            note=request.note,
            recorded_at=now,
            actor=f"api_key:{principal.key_id}",
        )
        session.add(row)
        session.flush()
        repo.append_event(
            session,
            creditor_id=case.creditor_id,
            actor=row.actor,
            action="HardshipRecorded",
            subject=f"case:{external_id}",
            payload={"date": row.date.isoformat(), "active": row.active},
            occurred_at=now,
        )
        return {
            "case": external_id,
            "date": row.date.isoformat(),
            "active": row.active,
            "note": row.note,
            "recorded_at": row.recorded_at.isoformat(),
        }


def _one_of(values: Any) -> str:
    return "must be one of " + ", ".join(values)
