"""The campaign work the job queue runs (outbox topics, so ``talap worker`` processes share it),
and the hourly check of the schedules.

Each job is one chunk of a run and is safe to run twice: after a ``kill -9`` its outbox item's
lease ends, the sweep kicks it again, and it redoes only what did not commit — drafts move by
conditional updates, a document is issued at most once under ``campaign:<run>:<case>``, and a
draft's sending is queued in the transaction that marks it issued.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from service.campaigns import service
from service.campaigns.work import service as work
from service.documents.bulk import BulkItem, ItemOutcome, issue_many
from service.errors import TalapError
from service.kit.logs import log_event
from service.outbox.handlers import OutboxItem, TemporaryFailure, handler

if TYPE_CHECKING:
    from service.bootstrap import Wiring

log = logging.getLogger("talap.campaigns")


@handler(service.SELECT)
def choose_cases(wiring: Wiring, item: OutboxItem) -> None:
    run_id = item.payload["run_id"]
    with wiring.db.transaction(read_only=True) as session:
        chosen = work.choose_cases(session, wiring.clock, wiring.law, wiring.kinds, run_id)
    if chosen is not None:
        with wiring.db.transaction() as session:
            work.record_chosen(session, wiring.clock, run_id, chosen)


@handler(service.PREPARE)
def prepare_chunk(wiring: Wiring, item: OutboxItem) -> None:
    run_id, ids = item.payload["run_id"], item.payload["drafts"]
    with wiring.db.transaction(read_only=True) as session:
        verdicts = work.prepare_drafts(session, wiring.issuing(), run_id, ids)
    with wiring.db.transaction() as session:
        work.record_prepared(session, wiring.clock, verdicts)


@handler(service.ISSUE)
def issue_chunk(wiring: Wiring, item: OutboxItem) -> None:
    """Check the chunk's approved drafts again, issue the good ones, queue their sending."""
    run_id, ids = item.payload["run_id"], item.payload["drafts"]
    ports = wiring.issuing()
    with wiring.db.transaction(read_only=True) as session:
        plan = work.plan_issue(session, ports, run_id, ids)
    if plan is None:
        return
    if plan.stale:
        with wiring.db.transaction() as session:
            work.record_stale(session, wiring.clock, plan.stale)
    planned = {p.key: p for p in plan.to_issue}
    items = [BulkItem(p.external_id, p.request, p.key) for p in plan.to_issue]
    caller = service.run_principal(plan.run)
    outcomes = issue_many(
        wiring.db, ports, caller, items, render_batch=wiring.settings.render_batch
    )
    last_try = item.attempts >= wiring.settings.outbox_max_attempts
    errors = 0
    for outcome in outcomes:
        errors += _record(wiring, plan, planned[outcome.idempotency_key], outcome, last_try)
    log_event(
        log,
        "campaign.chunk_issued",
        run_id=run_id,
        drafts=len(ids),
        stale=len(plan.stale),
        errors=errors,
    )
    if errors and not last_try:  # an outage, a bug: the chunk runs again later (back-off)
        raise TemporaryFailure(f"{errors} of the chunk's drafts failed; they are tried again")


def _record(
    wiring: Wiring, plan: work.Plan, planned: work.Planned, outcome: ItemOutcome, last_try: bool
) -> int:
    """Record one outcome; 1 for an error left to the next try, else 0."""
    draft_id = planned.draft_id
    if outcome.status == "refused":
        with wiring.db.transaction() as session:
            reasons = {"errors": outcome.errors, "violations": outcome.violations}
            work.record_failed(session, wiring.clock, draft_id, "stale", reasons)
        return 0
    if outcome.status != "issued" or outcome.document_id is None:
        if not last_try:
            return 1  # the draft stays approved: the chunk's next try issues it
        with wiring.db.transaction() as session:
            reasons = {"errors": outcome.errors or [{"code": "error"}], "violations": []}
            work.record_failed(session, wiring.clock, draft_id, "failed", reasons)
        return 0
    try:
        with wiring.db.transaction() as session:
            work.record_issued(
                session, wiring, plan.run, plan.channel, draft_id, outcome.document_id,
                outcome.number,
            )  # fmt: skip
    except TalapError as exc:  # the channel refused to queue it (no SMTP configured, …)
        with wiring.db.transaction() as session:
            work.record_unsent(
                session, wiring.clock, draft_id, outcome.document_id, outcome.number, str(exc)
            )
    return 0


def start_scheduled(wiring: Wiring) -> int:
    """Hourly (the job queue) and on demand: make the runs the schedules ask for today; each
    only prepares and waits for a person."""
    with wiring.db.transaction() as session:
        made = service.start_scheduled(session, wiring.clock)
    return len(made)


__all__: Sequence[str] = (
    "choose_cases",
    "issue_chunk",
    "prepare_chunk",
    "start_scheduled",
)
