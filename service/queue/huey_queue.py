"""The job queue on huey: a SQLite file beside the database on the embedded default, the
database's own PostgreSQL (huey's ``SqlHuey`` over peewee, tables ``huey_*``) on PostgreSQL.

The jobs: ``outbox.run`` (one outbox item, kicked after its commit or scheduled for a retry),
``outbox.sweep`` (every minute, and once when a consumer starts: kick every due item whose kick was
lost — the process died between the commit and the kick, or the worker died holding a lease).
DSN (bounce) processing is an outbox topic, so it runs through ``outbox.run`` too, and so is the
campaigns' work (choosing cases, preparing drafts, issuing an approved run, chunk by chunk).
Every five minutes, and once when a consumer starts: ``archive.sweep`` (promote the archive objects
of committed records that a killed process left staged). Hourly: ``agreements.announce_defaults``
and ``campaigns.schedule`` (scheduled runs, which only prepare).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huey import Huey, MemoryHuey, SqliteHuey, crontab
from huey.consumer import Consumer as HueyConsumer

from service.kit.logs import log_event
from service.outbox import tasks as outbox
from service.queue.huey_sql import PrefixedSqlStorage

if TYPE_CHECKING:
    from service.bootstrap import Wiring

log = logging.getLogger("talap.queue")

SWEEP_GRACE = dt.timedelta(seconds=60)
"""The periodic sweep leaves items younger than this to their own kick (no doubled jobs)."""


class HueyQueue:
    def __init__(self, huey: Huey, *, name: str) -> None:
        self.huey = huey
        self.name = name
        self._wiring: Wiring | None = None

        @huey.task(name="outbox.run")  # type: ignore[untyped-decorator]
        def run_outbox_item(item_id: str) -> None:
            self._run(item_id)

        @huey.periodic_task(crontab(minute="*"), name="outbox.sweep")  # type: ignore[untyped-decorator]
        def sweep_outbox() -> None:
            self.sweep(grace=SWEEP_GRACE)

        @huey.periodic_task(crontab(minute="*/5"), name="archive.sweep")  # type: ignore[untyped-decorator]
        def sweep_archive() -> None:
            self.sweep_archive()

        @huey.periodic_task(crontab(minute="7"), name="agreements.announce_defaults")  # type: ignore[untyped-decorator]
        def announce_defaults() -> None:
            self.announce_defaults()

        @huey.periodic_task(crontab(minute="13"), name="campaigns.schedule")  # type: ignore[untyped-decorator]
        def start_scheduled_campaigns() -> None:
            self.start_scheduled_campaigns()

        self._run_job: Any = run_outbox_item

    # producing (any process) ---------------------------------------------------------------
    def kick(self, item_id: str) -> None:
        with _connection(self.huey):
            self._run_job(item_id)

    def kick_later(self, item_id: str, delay_seconds: float) -> None:
        with _connection(self.huey):
            self._run_job.schedule(args=(item_id,), delay=max(delay_seconds, 0.0))

    # consuming -------------------------------------------------------------------------------
    def start(self, wiring: Wiring, *, workers: int = 1) -> _BackgroundConsumer:
        self._bind(wiring)
        self.sweep_archive()
        self.sweep(grace=dt.timedelta(0))
        consumer = _BackgroundConsumer(self.huey, **_consumer_options(workers))
        consumer.start()
        log_event(log, "queue.started", queue=self.name, workers=workers, mode="in-process")
        return consumer

    def run(self, wiring: Wiring, *, workers: int = 1) -> None:
        self._bind(wiring)
        self.sweep_archive()
        self.sweep(grace=dt.timedelta(0))
        log_event(log, "queue.started", queue=self.name, workers=workers, mode="worker")
        HueyConsumer(self.huey, **_consumer_options(workers)).run()

    def sweep(self, *, grace: dt.timedelta) -> int:
        """Kick every due item (older than ``grace``); how many were kicked."""
        wiring = self._bound()
        due = outbox.sweep(wiring, older_than=grace)
        for item_id in due:
            self.kick(item_id)
        if due:
            log_event(log, "queue.swept", queue=self.name, kicked=len(due))
        return len(due)

    def sweep_archive(self) -> int:
        """Promote the archive objects whose records committed but whose promotion a killed
        process never did (``kit.blobs``): at a consumer's start, before the outbox items that
        read them run, and every five minutes. On S3 promotion is a copy over HTTP, so a worker
        killed while issuing often leaves some: the next worker's e-mails failed ``NotFound``
        until ``talap serve``'s quarter-hourly sweep (the campaign kill test on S3)."""
        from service.bootstrap import sweep_archive

        return sweep_archive(self._bound()).promoted

    def announce_defaults(self) -> int:
        """Hourly: announce the agreements that fell into default by the passing of time alone
        (webhook ``agreement.defaulted``, once each; idempotent, so several consumers may run
        it). How many were announced now."""
        from service.agreements.service import announce_all_defaults

        wiring = self._bound()
        with wiring.db.transaction() as session:
            announced = announce_all_defaults(session, wiring.clock, wiring.law.calendar)
        if announced:
            log_event(log, "queue.defaults_announced", queue=self.name, announced=announced)
        return announced

    def start_scheduled_campaigns(self) -> int:
        """Hourly: the campaign runs the schedules ask for today (one per campaign and month,
        whichever consumer comes first); they prepare drafts and wait for a person."""
        from service.campaigns.tasks import start_scheduled

        started = start_scheduled(self._bound())
        if started:
            log_event(log, "queue.campaigns_started", queue=self.name, runs=started)
        return started

    def prepare(self) -> None:
        """Create the queue's tables where they live in the service's database (PostgreSQL):
        once per start, with the migrations (``bootstrap.migrate_database``)."""
        create = getattr(self.huey.storage, "create_tables", None)
        if create is not None and isinstance(self.huey.storage, PrefixedSqlStorage):
            create()

    def close(self) -> None:
        _close_all(self.huey)

    def _bind(self, wiring: Wiring) -> None:
        self._wiring = wiring

    def _bound(self) -> Wiring:
        if self._wiring is None:
            raise RuntimeError("this queue consumes nothing: start() or run() binds a wiring")
        return self._wiring

    def _run(self, item_id: str) -> None:
        wiring = self._bound()
        outcome = outbox.run_item(wiring, item_id)
        if outcome is not None and outcome.retry_at is not None:
            delay = (outcome.retry_at - wiring.clock.now()).total_seconds()
            self.kick_later(item_id, delay)


def _consumer_options(workers: int) -> dict[str, Any]:
    # Poll at most every 2 s when idle (huey backs off from 0.1 s); threads share the wiring.
    return {
        "workers": workers,
        "worker_type": "thread",
        "periodic": True,
        "initial_delay": 0.1,
        "max_delay": 2.0,
    }


class _BackgroundConsumer(HueyConsumer):  # type: ignore[misc]
    """huey's consumer without its signal handlers: it runs beside uvicorn, which owns them."""

    def _set_signal_handlers(self) -> None:
        return None

    def stop(self, graceful: bool = True) -> None:
        super().stop(graceful=graceful)
        _close_all(self.huey)


def _connection(huey: Huey) -> contextlib.AbstractContextManager[Any]:
    """A producer's connection to a SQL queue, given back at once: a request thread that kicks
    must not keep a pooled connection for ever."""
    database = getattr(huey.storage, "database", None)
    return database.connection_context() if database is not None else contextlib.nullcontext()


def _close_all(huey: Huey) -> None:
    """Close every connection the queue opened, the worker threads' too (PostgreSQL's pool)."""
    database = getattr(huey.storage, "database", None)
    if database is not None:
        database.close_all()


def sqlite_huey(path: Path, *, name: str = "talap") -> Huey:
    return SqliteHuey(name=name, filename=str(path), results=False, utc=True)


def memory_huey(*, name: str = "talap") -> Huey:
    return MemoryHuey(name=name, results=False, utc=True)


def postgres_huey(url: str, *, schema: str | None, name: str = "talap") -> Huey:
    """huey's ``SqlHuey`` on the service's PostgreSQL (psycopg 3 through peewee); its tables are
    named ``huey_kv``, ``huey_schedule``, ``huey_task``, ``huey_counter`` and live beside ours
    (in ``schema`` when one is set), created by huey itself, outside our migrations."""
    from playhouse.pool import PooledPostgresqlDatabase
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    options: dict[str, Any] = {}
    if schema:
        options["options"] = f"-c search_path={schema}"
    database = PooledPostgresqlDatabase(libpq, max_connections=64, stale_timeout=300, **options)
    # Tables are made by ``prepare`` (with the migrations), not by every process that wires up.
    return Huey(name=name, results=False, utc=True, storage_class=PrefixedSqlStorage,
                database=database, create_tables=False)  # fmt: skip
