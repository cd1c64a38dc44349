"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when TALAP_TEST_DATABASE_URL is
set), a container with a frozen clock, and API clients bound to real keys."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from service.bootstrap import Container, build_container
from service.clock import FixedClock
from service.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 24)
POSTGRES_URL = os.environ.get("TALAP_TEST_DATABASE_URL")


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_URL:
        return f"talap database: PostgreSQL ({POSTGRES_URL.split('@')[-1]})"
    return (
        "talap database: SQLite only (set TALAP_TEST_DATABASE_URL, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test, to run on PostgreSQL too)"
    )


@pytest.fixture
def database_settings(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A fresh, empty database per test: a SQLite file, or a new PostgreSQL schema."""
    if not POSTGRES_URL:
        yield {"database_url": f"sqlite:///{tmp_path / 'talap.db'}"}
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {"database_url": POSTGRES_URL, "database_schema": schema}
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_settings: dict[str, Any]) -> Settings:
    return Settings(data_dir=tmp_path / "data", **database_settings)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def container(settings: Settings, clock: FixedClock) -> Iterator[Container]:
    c = build_container(settings, clock)
    yield c
    c.db.engine.dispose()
