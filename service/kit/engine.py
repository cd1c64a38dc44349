"""Engine creation and migrations, the same for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from service.errors import Busy
from service.kit.db import READ_ONLY

MIGRATIONS = Path(__file__).parent / "migrations"
_HOLDS_WRITER = "talap_holds_writer_lock"


_SQLITE_KEPT_CONNECTIONS = 4
"""SQLite connections an engine keeps open between transactions (more are opened when needed)."""

WRITER_WAIT = 30.0
"""Seconds a writer waits for the database before the request is answered ``503 busy``."""


def make_engine(url: str, *, schema: str | None = None) -> Engine:
    """An engine for ``url``. ``schema`` (PostgreSQL only) isolates e.g. a test run."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["options"] = f"-c search_path={schema}"
    engine = create_engine(
        url, connect_args=connect_args, pool_pre_ping=True, pool_size=10, hide_parameters=True
    )

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A read-only request that tried to write would fail here, not change data.
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")

    return engine


def _sqlite_engine(url: str) -> Engine:
    # Each transaction has a connection of its own; writers take the lock up front (BEGIN
    # IMMEDIATE) so two issuing transactions queue instead of deadlocking on a lock upgrade.
    # Connections are kept for the next transaction: opening one (the PRAGMAs, reading the
    # schema) cost about 1 ms, and closing the last one checkpoints the WAL into the database
    # with fsyncs — about 5 ms per request when each transaction opened and closed its own.
    # ``max_overflow=-1``: as many at once as there are transactions (as before), only a few kept.
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 60},
        poolclass=QueuePool,
        pool_size=_SQLITE_KEPT_CONNECTIONS,
        max_overflow=-1,
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        # FULL: a commit is on disk (the WAL synced) before the client is answered, so an issued
        # number survives a power loss. NORMAL syncs only at checkpoints, which closing each
        # transaction's connection used to force; with connections kept, it no longer does.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    # Writers queue first on a lock of this engine (a waiting thread wakes as soon as it is
    # released), then on a file lock beside the database, which the processes of `talap serve
    # --workers` share and the kernel drops if a process dies. SQLite's own busy handler sleeps
    # with growing back-off, so under load some waiters starved for seconds.
    database = engine.url.database
    lock_path = f"{database}.writer-lock" if database and database != ":memory:" else None
    in_process = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY, False):
            # A read-only request that tried to write would fail here, not change data.
            connection.exec_driver_sql("PRAGMA query_only=ON")
            connection.exec_driver_sql("BEGIN")
            return
        connection.exec_driver_sql("PRAGMA query_only=OFF")
        if lock_path is not None:
            connection.info[_HOLDS_WRITER] = _take_writer_lock(in_process, lock_path)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection.info)
            raise

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        # The connection goes back once its transaction has committed or rolled back (the
        # ``commit`` event would fire before SQLite's COMMIT), or if it was closed mid-way.
        _release(record.info)

    return engine


def _take_writer_lock(in_process: threading.Lock, lock_path: str) -> _WriterLock:
    """The writers' locks, waited for at most ``WRITER_WAIT`` seconds in all (then ``Busy``):
    a stuck writer must not hold every other request for ever."""
    deadline = time.monotonic() + WRITER_WAIT
    if not in_process.acquire(timeout=WRITER_WAIT):
        raise Busy("the database is busy with other writers: try again")
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    pause = 0.001
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return _WriterLock(in_process, handle)
        except BlockingIOError:  # another process writes: poll, the only portable timed wait
            if time.monotonic() > deadline:
                os.close(handle)
                in_process.release()
                raise Busy("the database is busy with other writers: try again") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.02)


@dataclass(frozen=True)
class _WriterLock:
    in_process: threading.Lock
    handle: int

    def release(self) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        os.close(self.handle)
        self.in_process.release()


def _release(info: dict[str, Any]) -> None:
    held: _WriterLock | None = info.pop(_HOLDS_WRITER, None)
    if held is not None:
        held.release()


MIGRATION_LOCK_KEY = 0x74616C6170  # "talap": one key for every Talap schema in a database
"""PostgreSQL advisory lock taken while a process migrates and loads what ships with it."""


@contextlib.contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold while bringing the database up to date, so that processes starting together (two
    ``talap worker`` at once, seen in CI) migrate one after another instead of racing on the same
    ``CREATE TABLE`` or the same bundled template rows. On PostgreSQL a session advisory lock on
    a connection of its own (released if the process dies); SQLite's writers already queue on
    the file lock beside the database (``_take_writer_lock``)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    # AUTOCOMMIT: a session lock needs no transaction, and an idle open one would hold back
    # vacuum for as long as the migration runs.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")
        try:
            yield
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``, the latest schema by default (idempotent; safe on an
    empty database)."""
    _run(engine, lambda connection: command.upgrade(alembic_config(connection), revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (each migration says what it keeps)."""
    _run(engine, lambda connection: command.downgrade(alembic_config(connection), revision))


def _run(engine: Engine, step: Callable[[Connection], None]) -> None:
    """One migration step in one transaction.

    SQLite changes a table's constraints by rebuilding it, and dropping the old table would trip
    the foreign keys of the rows that refer to it. So, as SQLite documents: keys off outside the
    transaction, migrate, check every key before committing, keys on again.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                step(connection)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def alembic_config(connection: Any) -> Config:
    """Alembic's configuration for our migrations, run on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config
