"""The durable outbox: an item is written in the caller's transaction, kicked only after the
commit, run once by whichever worker claims it, retried with back-off, given up when it must."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from service.bootstrap import Wiring
from service.clock import FixedClock
from service.kit.db import Database
from service.outbox import repository
from service.outbox.backoff import gives_up, retry_delay
from service.outbox.handlers import (
    HANDLERS,
    OutboxItem,
    PermanentFailure,
    TemporaryFailure,
    handler,
)
from service.outbox.models import OutboxRow
from service.outbox.service import KICK, complete, enqueue
from service.outbox.tasks import drain, run_item, sweep
from tests.api import Tenant

CALLS: dict[str, list[int]] = {}
"""Per item id, the attempt numbers its handler saw."""


def _seen(item: OutboxItem) -> None:
    CALLS.setdefault(item.id, []).append(item.attempts)


@handler("test.ok")
def _ok(wiring: Wiring, item: OutboxItem) -> None:
    _seen(item)


@handler("test.flaky")
def _flaky(wiring: Wiring, item: OutboxItem) -> None:
    _seen(item)
    if item.attempts < item.payload["succeed_on"]:
        raise TemporaryFailure("421 try later")


@handler("test.broken")
def _broken(wiring: Wiring, item: OutboxItem) -> None:
    _seen(item)
    raise PermanentFailure("550 no such mailbox")


@handler("test.bug")
def _bug(wiring: Wiring, item: OutboxItem) -> None:
    _seen(item)
    raise KeyError("a bug")


GATE = threading.Event()


@handler("test.slow")
def _slow(wiring: Wiring, item: OutboxItem) -> None:
    _seen(item)
    GATE.wait(10)


@handler("test.self_completing")
def _self_completing(wiring: Wiring, item: OutboxItem) -> None:
    _seen(item)
    with wiring.db.transaction() as session:
        assert complete(session, item.id, at=wiring.clock.now())
        assert not complete(session, item.id, at=wiring.clock.now())


LEASES_SEEN: list[dt.datetime | None] = []


@handler("test.short_lease", lease=lambda settings: 7)
def _short_lease(wiring: Wiring, item: OutboxItem) -> None:
    with wiring.db.transaction(read_only=True) as session:
        row = repository.get(session, item.id)
        assert row is not None
        LEASES_SEEN.append(row.leased_until)


@pytest.fixture(autouse=True)
def _fresh_calls() -> Iterator[None]:
    CALLS.clear()
    GATE.clear()
    yield
    GATE.set()


def _add(wiring: Wiring, tenant: Tenant, topic: str, **payload: Any) -> str:
    with wiring.db.transaction() as session:
        return enqueue(
            session,
            topic=topic,
            payload=payload,
            creditor_id=tenant.creditor_id,
            subject="test:1",
            at=wiring.clock.now(),
        )


def _row(wiring: Wiring, item_id: str) -> OutboxRow:
    with wiring.db.transaction(read_only=True) as session:
        row = repository.get(session, item_id)
        assert row is not None
        return row


def test_enqueue_kicks_only_after_commit(wiring: Wiring, tenant: Tenant) -> None:
    kicked: list[str] = []
    db = Database(wiring.db.engine, session_info={KICK: kicked.append})
    with pytest.raises(RuntimeError), db.transaction() as session:
        enqueue(session, topic="test.ok", payload={}, creditor_id=tenant.creditor_id,
                subject="test:1", at=wiring.clock.now())  # fmt: skip
        assert kicked == []
        raise RuntimeError("the request failed")
    assert kicked == []
    with db.transaction() as session:
        item_id = enqueue(session, topic="test.ok", payload={"n": 1},
                          creditor_id=tenant.creditor_id, subject="test:1",
                          at=wiring.clock.now())  # fmt: skip
        assert kicked == []
    assert kicked == [item_id]
    with db.transaction(read_only=True) as session:
        assert [r.id for r in repository.of_subject(session, "test:1")] == [item_id]
    row = _row(wiring, item_id)
    assert (row.state, row.attempts, row.payload, row.topic) == ("pending", 0, {"n": 1}, "test.ok")


def test_a_handled_item_is_done_and_not_run_again(wiring: Wiring, tenant: Tenant) -> None:
    item_id = _add(wiring, tenant, "test.ok")
    assert sweep(wiring) == [item_id]
    outcome = run_item(wiring, item_id)
    assert outcome is not None and outcome.state == "done"
    assert run_item(wiring, item_id) is None
    assert CALLS[item_id] == [1]
    row = _row(wiring, item_id)
    assert (row.state, row.done_at, row.leased_until) == ("done", wiring.clock.now(), None)
    assert sweep(wiring) == []


def test_a_handler_may_complete_the_item_in_its_own_transaction(
    wiring: Wiring, tenant: Tenant
) -> None:
    item_id = _add(wiring, tenant, "test.self_completing")
    assert [o.state for o in drain(wiring)] == ["done"]
    assert _row(wiring, item_id).state == "done"


def test_a_temporary_failure_is_retried_with_backoff(
    wiring: Wiring, tenant: Tenant, clock: FixedClock
) -> None:
    item_id = _add(wiring, tenant, "test.flaky", succeed_on=3)
    first = run_item(wiring, item_id)
    assert first is not None and first.state == "pending"
    assert first.retry_at == clock.now() + dt.timedelta(seconds=30)
    row = _row(wiring, item_id)
    assert row.attempts == 1 and row.last_error == "TemporaryFailure: 421 try later"
    assert row.next_attempt_at == first.retry_at
    assert run_item(wiring, item_id) is None, "not due yet"
    assert sweep(wiring) == []
    clock.move_to(clock.today() + dt.timedelta(days=1))
    second = run_item(wiring, item_id)
    assert second is not None and second.retry_at == clock.now() + dt.timedelta(seconds=60)
    clock.move_to(clock.today() + dt.timedelta(days=1))
    assert [o.state for o in drain(wiring)] == ["done"]
    assert CALLS[item_id] == [1, 2, 3]
    assert _row(wiring, item_id).last_error is None


def test_an_unexpected_error_counts_as_temporary(wiring: Wiring, tenant: Tenant) -> None:
    item_id = _add(wiring, tenant, "test.bug")
    outcome = run_item(wiring, item_id)
    assert outcome is not None and outcome.state == "pending"
    assert _row(wiring, item_id).last_error == "KeyError: 'a bug'"


def test_after_the_last_attempt_the_item_is_dead(
    wiring: Wiring, tenant: Tenant, clock: FixedClock
) -> None:
    item_id = _add(wiring, tenant, "test.flaky", succeed_on=99)
    states = []
    for _ in range(wiring.settings.outbox_max_attempts):
        outcome = run_item(wiring, item_id)
        assert outcome is not None
        states.append(outcome.state)
        clock.move_to(clock.today() + dt.timedelta(days=1))
    assert states == ["pending"] * (wiring.settings.outbox_max_attempts - 1) + ["dead"]
    row = _row(wiring, item_id)
    assert (row.state, row.attempts) == ("dead", wiring.settings.outbox_max_attempts)
    assert row.last_error == "TemporaryFailure: 421 try later"
    assert run_item(wiring, item_id) is None and sweep(wiring) == []


def test_a_permanent_failure_is_dead_at_once(wiring: Wiring, tenant: Tenant) -> None:
    item_id = _add(wiring, tenant, "test.broken")
    outcome = run_item(wiring, item_id)
    assert outcome is not None and outcome.state == "dead"
    row = _row(wiring, item_id)
    assert (row.state, row.last_error) == ("dead", "PermanentFailure: 550 no such mailbox")


def test_an_unknown_topic_is_dead(wiring: Wiring, tenant: Tenant) -> None:
    item_id = _add(wiring, tenant, "test.nobody")
    outcome = run_item(wiring, item_id)
    assert outcome is not None and outcome.state == "dead"
    assert "no handler for topic 'test.nobody'" in (_row(wiring, item_id).last_error or "")


def test_two_workers_never_run_one_item_at_once(wiring: Wiring, tenant: Tenant) -> None:
    """Eight threads, each its own connection, race for one item: one claims it (the handler
    holds it until released), the others find it leased."""
    item_id = _add(wiring, tenant, "test.slow")
    outcomes: list[Any] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(run_item(wiring, item_id)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    # seven come back empty-handed while the eighth still runs the handler
    for _ in range(200):
        if len(outcomes) == 7:
            break
        threading.Event().wait(0.05)
    assert outcomes == [None] * 7
    assert CALLS[item_id] == [1]
    GATE.set()
    for thread in threads:
        thread.join(10)
    assert [o.state for o in outcomes if o is not None] == ["done"]


def test_an_item_whose_worker_died_is_taken_again_when_the_lease_ends(
    wiring: Wiring, tenant: Tenant, clock: FixedClock
) -> None:
    item_id = _add(wiring, tenant, "test.ok")
    lease = dt.timedelta(seconds=wiring.settings.outbox_lease_seconds)
    with wiring.db.transaction() as session:  # a worker claims it, then dies (no outcome)
        assert repository.claim(session, item_id, now=clock.now(), lease=lease) is not None
    assert run_item(wiring, item_id) is None
    assert sweep(wiring) == []
    clock.move_to(clock.today() + dt.timedelta(days=1))
    assert sweep(wiring) == [item_id]
    outcome = run_item(wiring, item_id)
    assert outcome is not None and (outcome.state, outcome.attempts) == ("done", 2)


def test_a_late_failure_of_a_superseded_attempt_is_not_recorded(
    wiring: Wiring, tenant: Tenant, clock: FixedClock
) -> None:
    item_id = _add(wiring, tenant, "test.ok")
    lease = dt.timedelta(seconds=1)
    with wiring.db.transaction() as session:
        assert repository.claim(session, item_id, now=clock.now(), lease=lease) is not None
    clock.move_to(clock.today() + dt.timedelta(days=1))
    assert run_item(wiring, item_id) is not None  # attempt 2 took it over and finished
    with wiring.db.transaction() as session:
        assert not repository.fail(session, item_id, attempts=1, error="late", retry_at=None)
    assert _row(wiring, item_id).state == "done"


def test_backoff_doubles_up_to_the_cap() -> None:
    base, cap = dt.timedelta(seconds=30), dt.timedelta(hours=6)
    delays = [retry_delay(n, base=base, cap=cap) for n in range(1, 12)]
    assert delays[:4] == [dt.timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert delays[-1] == cap and max(delays) == cap
    assert retry_delay(10_000, base=base, cap=cap) == cap
    assert not gives_up(11, max_attempts=12) and gives_up(12, max_attempts=12)
    with pytest.raises(ValueError):
        retry_delay(0)


def test_handler_topics_are_registered_once() -> None:
    assert HANDLERS["test.ok"] is _ok
    with pytest.raises(ValueError, match="already has a handler"):
        handler("test.ok")(_flaky)


def test_a_topic_with_its_own_lease_is_claimed_with_it_not_the_long_default(
    wiring: Wiring, tenant: Tenant
) -> None:
    """A worker killed right after claiming must not hold a chunk for the outbox's long lease:
    the topic's own lease is set in the claim's transaction, before its handler runs."""
    LEASES_SEEN.clear()
    item_id = _add(wiring, tenant, "test.short_lease")
    assert wiring.settings.outbox_lease_seconds > 7
    assert run_item(wiring, item_id) is not None
    seen = LEASES_SEEN[0]
    assert seen is not None
    assert seen.replace(tzinfo=None) == (wiring.clock.now() + dt.timedelta(seconds=7)).replace(
        tzinfo=None
    )
