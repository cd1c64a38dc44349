"""A batch chunk as a job: any ``talap worker`` (or ``talap batch`` itself) takes it through the
outbox's claim, so two workers never run the same chunk; a worker killed midway lets it go when
its lease ends, and the next one replays the items already issued through their idempotency
keys (``batch:<id>:<line>``) and issues the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING

from service.batches import repository
from service.batches import service as batches
from service.creditors.auth import Principal, Role
from service.documents.bulk import BulkItem, ItemOutcome, issue_many
from service.documents.schemas import IssueIn
from service.kit.logs import log_event
from service.outbox import service as outbox
from service.outbox.handlers import OutboxItem, PermanentFailure, TemporaryFailure, handler

if TYPE_CHECKING:
    from service.bootstrap import Wiring

log = logging.getLogger("talap.batches")

Listener = Callable[[ItemOutcome], None]
LISTENER: ContextVar[Listener | None] = ContextVar("talap_batch_listener", default=None)
"""Told of each outcome as it comes (the progress bar of ``talap batch``, which runs chunks in
its own thread); workers leave it unset."""


def _heartbeat(wiring: Wiring, item: OutboxItem, lease: dt.timedelta) -> Listener:
    """Told of each outcome once its group committed (no transaction open here): renews the
    chunk's lease when a third of it has passed, so a slow chunk is never taken over while its
    worker lives, and passes the outcome on to ``LISTENER``."""
    listener = LISTENER.get()
    renewed = wiring.clock.now()

    def heard(outcome: ItemOutcome) -> None:
        nonlocal renewed
        now = wiring.clock.now()
        if now - renewed >= lease / 3:
            with wiring.db.transaction() as session:
                outbox.hold(session, item.id, attempts=item.attempts, until=now + lease)
            renewed = now
        if listener is not None:
            listener(outcome)

    return heard


@handler(batches.CHUNK_TOPIC, lease=lambda settings: settings.batch_lease_seconds)
def run_chunk(wiring: Wiring, item: OutboxItem) -> None:
    batch_id = str(item.payload["batch_id"])
    first, last = int(item.payload["first"]), int(item.payload["last"])
    lease = dt.timedelta(seconds=wiring.settings.batch_lease_seconds)
    with wiring.db.transaction() as session:
        # a heartbeat-length lease instead of the outbox's long one: a dead worker's chunk is
        # retaken within one lease
        if not outbox.hold(
            session, item.id, attempts=item.attempts, until=wiring.clock.now() + lease
        ):
            raise TemporaryFailure("the chunk's lease was taken over")
        batch = repository.by_id(session, batch_id)
        if batch is None:
            raise PermanentFailure(f"batch {batch_id} does not exist")
        caller = Principal(
            key_id=batch.key_id, role=Role(batch.role), creditor_id=batch.creditor_id
        )
        work = [
            BulkItem(row.case_external_id, IssueIn.model_validate(row.request), row.idempotency_key)
            for row in repository.pending_between(session, batch_id, first, last)
        ]
        if batch.status == "queued":
            repository.set_status(session, batch_id, "running")
    outcomes = issue_many(
        wiring.db,
        wiring.issuing(),
        caller,
        work,
        progress=_heartbeat(wiring, item, lease),
        render_batch=wiring.settings.render_batch,
    )
    busy = [o for o in outcomes if any(e.get("code") == "busy" for e in o.errors)]
    with wiring.db.transaction() as session:
        now = wiring.clock.now()
        batch = repository.lock(session, batch_id)
        assert batch is not None
        for outcome in outcomes:
            if outcome in busy:
                continue  # the database was locked, not the item's fault: the chunk runs again
            repository.record(
                session,
                batch_id,
                outcome.idempotency_key,
                status=outcome.status,
                document_id=outcome.document_id,
                number=outcome.number,
                errors=outcome.errors,
                violations=outcome.violations,
                at=now,
            )
        batches.finish_if_done(session, wiring.clock, batch)
        if not busy:
            outbox.complete(session, item.id, at=now)  # with the outcomes: exactly once
    log_event(
        log,
        "batch.chunk_done",
        batch_id=batch_id,
        first=first,
        last=last,
        items=len(outcomes),
        issued=sum(1 for o in outcomes if o.status == "issued"),
        busy=len(busy),
    )
    if busy:
        raise TemporaryFailure(f"{len(busy)} item(s) found the database busy")
