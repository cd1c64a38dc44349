"""Recording rule decisions: in the caller's transaction (an allowed issue), or apart, in a
short transaction of its own once the issuing one has rolled back (a refusal).

A refused issue answers 4xx and its transaction rolls back — the Idempotency-Key claim, the
number, everything — so the refusal cannot be written there. ``after_refusal`` registers the
write with ``kit.db.after_rollback``: it runs only once the rollback is done (and the SQLite
writer lock released), opens its own transaction, writes the decision and its audit event, and
commits. If that write fails, the refusal is still answered (the hook's failure is logged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.record_events import RuleDecisionRecorded
from service.decisions import repository
from service.decisions.decision import RuleDecision
from service.decisions.models import RuleDecisionRow
from service.kit.db import Database, after_rollback
from service.kit.logs import log_event

log = logging.getLogger("talap.decisions")

RecordApart = Callable[[RuleDecision], None]
"""Writes a decision in a transaction of its own (``recorder(db)``)."""


def record(session: Session, decision: RuleDecision) -> RuleDecisionRow:
    """Write ``decision`` and its audit event in the caller's transaction."""
    row = repository.add(session, decision)
    event = RuleDecisionRecorded(
        external_id=decision.case_external_id,
        decision_id=row.id,
        kind=decision.kind,
        outcome=decision.outcome.value,
        failed_rules=tuple(v.rule for v in decision.failed),
        passes_on=decision.passes_on,
        document_id=decision.document_id,
    )
    audit.record(
        session,
        event,
        creditor_id=decision.creditor_id,
        actor=decision.actor,
        at=decision.requested_at,
    )
    log_event(
        log,
        "rule_decision.recorded",
        decision_id=row.id,
        case=decision.case_external_id,
        kind=decision.kind,
        outcome=decision.outcome.value,
        rules=[v.rule for v in decision.failed],
    )
    return row


def recorder(db: Database) -> RecordApart:
    """A writer of decisions in their own transaction on ``db``."""

    def record_apart(decision: RuleDecision) -> None:
        with db.transaction() as session:
            record(session, decision)

    return record_apart


def after_refusal(session: Session, record_apart: RecordApart, decision: RuleDecision) -> None:
    """Write ``decision`` once ``session``'s transaction has rolled back."""
    after_rollback(session, lambda: record_apart(decision))
