"""One transaction per request or job: services receive a ``Session``, the caller commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

READ_ONLY = "talap_read_only"


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Session]:
        """Commit when the block ends normally, roll back on any exception.

        ``read_only`` lets SQLite start a deferred transaction instead of taking the write lock.
        """
        session = self._sessions()
        if read_only:
            session.connection(execution_options={READ_ONLY: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
