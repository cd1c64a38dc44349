"""The job queue on huey, with a real consumer in background threads: on the embedded default a
SQLite file in the data directory, on PostgreSQL huey's SqlHuey in the service's own database."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import inspect

from service.bootstrap import Wiring, build_wiring
from service.clock import SystemClock
from service.kit.db import Database
from service.law.context import LawContext
from service.outbox import repository
from service.outbox.handlers import OutboxItem, TemporaryFailure, handler
from service.outbox.models import OutboxRow
from service.outbox.service import enqueue
from service.queue.huey_queue import HueyQueue
from service.rendering.typst import TypstRenderer
from service.settings import Settings
from service.signing import Pkcs12Signer
from tests.api import Tenant, make_tenant
from tests.conftest import POSTGRES_URL

RAN: dict[str, list[str]] = {}
DONE = threading.Condition()


@handler("queue-test.ok")
def _ok(wiring: Wiring, item: OutboxItem) -> None:
    with DONE:
        RAN.setdefault(item.id, []).append(threading.current_thread().name)
        DONE.notify_all()


@handler("queue-test.flaky")
def _flaky(wiring: Wiring, item: OutboxItem) -> None:
    with DONE:
        RAN.setdefault(item.id, []).append(threading.current_thread().name)
        DONE.notify_all()
    if item.attempts < 2:
        raise TemporaryFailure("try again")


@pytest.fixture
def live(
    settings: Settings, law: LawContext, renderer: TypstRenderer, signer: Pkcs12Signer
) -> Iterator[Wiring]:
    """A wiring on the wall clock (retries fall due), a short back-off, a fresh queue."""
    fast = settings.model_copy(update={"outbox_retry_base_seconds": 0.2})
    wiring = build_wiring(fast, clock=SystemClock(), law=law, renderer=renderer, signer=signer)
    wiring.queue.prepare()
    assert isinstance(wiring.queue, HueyQueue)
    wiring.queue.huey.flush()  # PostgreSQL: the schema's queue outlives a test's truncation
    RAN.clear()
    yield wiring
    wiring.close()


def _add(db: Database, wiring: Wiring, tenant: Tenant, topic: str) -> str:
    with db.transaction() as session:
        return enqueue(
            session,
            topic=topic,
            payload={},
            creditor_id=tenant.creditor_id,
            subject="test:q",
            at=wiring.clock.now(),
        )


def _wait_for(wiring: Wiring, item_id: str, state: str) -> OutboxRow:
    """Wait (at most a minute, for a loaded machine) until the item reaches ``state``."""
    deadline = 600
    for _ in range(deadline):
        with wiring.db.transaction(read_only=True) as session:
            row = repository.get(session, item_id)
            assert row is not None
            if row.state == state:
                return row
        with DONE:
            DONE.wait(0.1)
    raise AssertionError(f"{item_id} stayed {row.state}: {row.last_error}")


def test_the_consumer_runs_a_kicked_item_once(live: Wiring) -> None:
    tenant = make_tenant(live)
    consumer = live.queue.start(live, workers=2)
    try:
        item_id = _add(live.db, live, tenant, "queue-test.ok")
        row = _wait_for(live, item_id, "done")
    finally:
        consumer.stop()
    assert row.attempts == 1 and len(RAN[item_id]) == 1


def test_a_lost_kick_is_recovered_by_the_sweep(live: Wiring) -> None:
    """The process died between the commit and the kick: no job in the queue, only the row."""
    tenant = make_tenant(live)
    no_kick = Database(live.db.engine)
    item_id = _add(no_kick, live, tenant, "queue-test.ok")
    assert live.queue.huey.pending_count() == 0  # type: ignore[attr-defined]
    consumer = live.queue.start(live)  # sweeps once as it starts
    try:
        row = _wait_for(live, item_id, "done")
    finally:
        consumer.stop()
    assert row.attempts == 1


def test_a_temporary_failure_is_retried_by_a_scheduled_job(live: Wiring) -> None:
    tenant = make_tenant(live)
    consumer = live.queue.start(live)
    try:
        item_id = _add(live.db, live, tenant, "queue-test.flaky")
        row = _wait_for(live, item_id, "done")
    finally:
        consumer.stop()
    assert row.attempts == 2 and len(RAN[item_id]) == 2


def test_the_periodic_sweep_leaves_fresh_items_to_their_kick(live: Wiring) -> None:
    tenant = make_tenant(live)
    no_kick = Database(live.db.engine)
    item_id = _add(no_kick, live, tenant, "queue-test.ok")
    queue: Any = live.queue
    queue._bind(live)
    assert queue.sweep(grace=dt.timedelta(minutes=1)) == 0
    assert queue.sweep(grace=dt.timedelta(0)) == 1
    assert queue.huey.pending_count() == 1
    assert item_id


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only: TALAP_TEST_DATABASE_URL")
def test_on_postgresql_the_queue_lives_in_the_database_as_huey_tables(live: Wiring) -> None:
    assert live.queue.name == "postgresql"
    tables = set(inspect(live.db.engine).get_table_names())
    assert {"huey_task", "huey_schedule", "huey_kv", "huey_counter"} <= tables
    assert not {"task", "schedule", "kv", "counter"} & tables


def test_on_sqlite_the_queue_is_a_file_in_the_data_directory(live: Wiring) -> None:
    if POSTGRES_URL:
        pytest.skip("the SQLite default only")
    assert live.queue.name == f"sqlite:{live.settings.data_dir / 'queue.db'}"
    assert (live.settings.data_dir / "queue.db").is_file()
