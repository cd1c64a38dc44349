"""A throw-away PostgreSQL schema, so a test run or a benchmark leaves the database as it was
found (shared by the suite and ``bench/``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def throwaway_schema(url: str, prefix: str) -> Iterator[str]:
    """A new empty schema named ``<prefix>_<random>``, dropped with all it holds on exit."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
