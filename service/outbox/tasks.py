"""Running outbox items: the jobs the queue executes (``service.queue``), each its own
transactions.

``run_item`` claims one item (a lease), runs its handler outside any transaction, then records the
outcome; ``sweep`` lists what is due (a kick lost in a crash, a retry whose time came, a lease a
dead worker left); ``drain`` runs everything due here and now (the CLI, tests).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.kit.logs import log_event
from service.outbox import repository
from service.outbox.backoff import gives_up, retry_delay
from service.outbox.handlers import (
    OutboxItem,
    PermanentFailure,
    TemporaryFailure,
    handler_for,
    lease_for,
)
from service.outbox.registry import load_handlers

if TYPE_CHECKING:
    from service.bootstrap import Wiring

log = logging.getLogger("talap.outbox")


@dataclass(frozen=True)
class RunOutcome:
    item_id: str
    state: str
    """``done``, ``dead``, or ``pending`` (to be tried again at ``retry_at``)."""
    attempts: int
    retry_at: dt.datetime | None = None


def run_item(wiring: Wiring, item_id: str) -> RunOutcome | None:
    """Run the item once if it can be claimed now; ``None`` if it cannot (done, dead, not yet
    due, or another worker holds it)."""
    load_handlers()
    settings = wiring.settings
    lease = dt.timedelta(seconds=settings.outbox_lease_seconds)
    with wiring.db.transaction() as session:
        now = wiring.clock.now()
        row = repository.claim(session, item_id, now=now, lease=lease)
        if row is None:
            return None
        own = lease_for(row.topic, settings)
        if own is not None:  # in the claim's transaction: never held longer than the topic says
            repository.hold(
                session, row.id, attempts=row.attempts, until=now + dt.timedelta(seconds=own)
            )
        item = OutboxItem(
            id=row.id,
            topic=row.topic,
            payload=dict(row.payload),
            creditor_id=row.creditor_id,
            subject=row.subject,
            attempts=row.attempts,
            created_at=row.created_at,
        )
    run = handler_for(item.topic)
    try:
        if run is None:
            raise PermanentFailure(f"no handler for topic {item.topic!r}")
        run(wiring, item)
    except PermanentFailure as exc:
        return _failed(wiring, item, exc, retry=False)
    except TemporaryFailure as exc:
        return _failed(wiring, item, exc, retry=True)
    except Exception as exc:  # a bug or an unexpected outage: logged, tried again later
        log.exception(
            "outbox handler raised",
            extra={"event": "outbox.error", "item_id": item.id, "topic": item.topic},
        )
        return _failed(wiring, item, exc, retry=True)
    with wiring.db.transaction() as session:
        repository.complete(session, item.id, at=wiring.clock.now())
    log_event(log, "outbox.done", item_id=item.id, topic=item.topic, attempts=item.attempts)
    return RunOutcome(item.id, repository.DONE, item.attempts)


def _failed(wiring: Wiring, item: OutboxItem, exc: Exception, *, retry: bool) -> RunOutcome:
    settings = wiring.settings
    now = wiring.clock.now()
    dead = not retry or gives_up(item.attempts, max_attempts=settings.outbox_max_attempts)
    retry_at = None
    if not dead:
        retry_at = now + retry_delay(
            item.attempts,
            base=dt.timedelta(seconds=settings.outbox_retry_base_seconds),
            cap=dt.timedelta(seconds=settings.outbox_retry_cap_seconds),
        )
    error = f"{type(exc).__name__}: {exc}"
    with wiring.db.transaction() as session:
        recorded = repository.fail(
            session, item.id, attempts=item.attempts, error=error, retry_at=retry_at
        )
    state = repository.DEAD if dead else repository.PENDING
    log_event(
        log,
        "outbox.dead" if dead else "outbox.retry",
        item_id=item.id,
        topic=item.topic,
        attempts=item.attempts,
        error_type=type(exc).__name__,
        retry_at=retry_at.isoformat() if retry_at else None,
        recorded=recorded,
    )
    return RunOutcome(item.id, state, item.attempts, retry_at)


def sweep(
    wiring: Wiring, *, older_than: dt.timedelta = dt.timedelta(0), limit: int = 500
) -> list[str]:
    """The ids of pending items due since ``older_than`` ago and not held by a live lease."""
    now = wiring.clock.now()
    with wiring.db.transaction(read_only=True) as session:
        return repository.due(session, now=now, due_by=now - older_than, limit=limit)


def drain(wiring: Wiring, *, rounds: int = 10) -> list[RunOutcome]:
    """Run every due item here, in this thread, until none is due (at most ``rounds`` passes)."""
    outcomes: list[RunOutcome] = []
    for _ in range(rounds):
        ran = [o for o in (run_item(wiring, i) for i in sweep(wiring)) if o is not None]
        if not ran:
            break
        outcomes.extend(ran)
    return outcomes
