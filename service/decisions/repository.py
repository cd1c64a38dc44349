"""Rule decisions' queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.decisions.decision import RuleDecision
from service.decisions.models import RuleDecisionRow


def add(session: Session, decision: RuleDecision) -> RuleDecisionRow:
    row = RuleDecisionRow(
        creditor_id=decision.creditor_id,
        case_id=decision.case_id,
        kind=decision.kind,
        language=decision.language,
        route=decision.route,
        requested_at=decision.requested_at,
        on_date=decision.on_date,
        outcome=decision.outcome.value,
        rules=[v.wire() for v in decision.verdicts],
        passes_on=decision.passes_on,
        document_id=decision.document_id,
        actor=decision.actor,
    )
    session.add(row)
    session.flush()
    return row


def of_case(
    session: Session,
    case_id: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[RuleDecisionRow]:
    query = select(RuleDecisionRow).where(RuleDecisionRow.case_id == case_id)
    if since is not None:
        query = query.where(RuleDecisionRow.requested_at >= since)
    if until is not None:
        query = query.where(RuleDecisionRow.requested_at < until)
    return list(session.scalars(query.order_by(RuleDecisionRow.requested_at, RuleDecisionRow.id)))
