"""The database: table base, and one transaction per request or job (the only ``commit``).

Services receive a ``Session`` and never commit; the edge (an HTTP request, a CLI command, a job)
opens ``Database.transaction()``. Work that must happen only once the data is durable — promoting
staged archive objects, sending, webhooks — is registered with ``after_commit`` and runs after the
commit; ``after_rollback`` undoes what a failed transaction left outside the database.

Lock order (PostgreSQL; SQLite writers are serialised by a file lock, ``kit.engine``). Every
writer takes row locks in this order and never the other way round, so writers queue instead of
deadlocking:

1. the Idempotency-Key claim (issuing only) — a racing duplicate waits here, before rendering;
2. the creditor's document counter (issuing only);
3. rows the use case updates (a case, an agreement);
4. the creditor's audit chain head, last, when the audit event is appended.

Rows that other tables reference by foreign key (creditors, cases, documents) are never locked
``FOR UPDATE``: an insert that references them takes ``FOR KEY SHARE``, which only a ``FOR
UPDATE`` of the referenced row would block (that pairing deadlocked before, reliability review D1).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Dialect, Engine, MetaData
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

READ_ONLY = "talap_read_only"
_AFTER_COMMIT = "talap_after_commit"
_AFTER_ROLLBACK = "talap_after_rollback"

log = logging.getLogger("talap.db")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment, stored and read back as an aware UTC datetime on every database (SQLite keeps
    no zone: without this a stored moment came back naive and lost its ``Z`` on the wire)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime: moments are stored in UTC, aware")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Every domain's tables. Money is integer tiyn; JSON columns hold contract-shaped data.

    Relationships are deliberately absent: each domain's ``repository.py`` loads what it needs
    explicitly, so nothing lazy-loads by surprise.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def after_commit(session: Session, action: Callable[[], object]) -> None:
    """Run ``action`` once the transaction has committed (never if it rolls back)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def after_rollback(session: Session, action: Callable[[], object]) -> None:
    """Run ``action`` if the transaction rolls back (e.g. discard a staged archive object)."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(action)


class Database:
    def __init__(self, engine: Engine, *, session_info: dict[str, Any] | None = None) -> None:
        """``session_info`` is copied into every session's ``info`` (e.g. the outbox's kick)."""
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, info=session_info)

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Session]:
        """Commit when the block ends normally, roll back on any exception, then run the hooks.

        ``read_only`` lets SQLite start a deferred transaction instead of taking the write lock.
        """
        session = self._sessions()
        if read_only:
            session.connection(execution_options={READ_ONLY: True})
        try:
            try:
                yield session
            except BaseException:
                session.rollback()
                _run(session.info.pop(_AFTER_ROLLBACK, []), "after rollback")
                raise
            try:
                session.commit()
            except BaseException:
                # The outcome is unknown (the database may have committed before the error):
                # nothing is undone; what was staged waits for the sweep, which promotes what a
                # record holds and discards the rest.
                session.rollback()
                raise
            _run(session.info.pop(_AFTER_COMMIT, []), "after commit")
        finally:
            session.info.clear()
            session.close()


def _run(actions: list[Callable[[], object]], stage: str) -> None:
    # The transaction's outcome is settled: a failing follow-up is logged, never turned into a
    # failure of the request (the sweep at startup finishes what it left, ``archive.sweep``).
    for action in actions:
        try:
            action()
        except Exception:
            log.exception("a follow-up %s failed", stage)


def insert_or_ignore(session: Session, model: type[Base], **values: Any) -> None:
    """``INSERT … ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike (a racing insert of
    the same key waits for the other transaction, then does nothing)."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())
