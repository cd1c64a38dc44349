"""Shared fixtures.

Built once per session: the law (``legal/``), the Typst renderer (fonts, compilers), one signing
key, and a database migrated by the real migrations — a SQLite file copied for each test, or,
with ``TALAP_TEST_DATABASE_URL``, a PostgreSQL schema emptied before each test. Per test: a
wiring with a frozen clock, an API client, a creditor with its keys.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from service.bootstrap import Wiring, build_queue, build_wiring
from service.bundled import bundled_dir
from service.clock import FixedClock
from service.kit.engine import make_engine, migrate
from service.kit.registry import metadata
from service.law.context import LawContext
from service.law.loader import load_law
from service.main import create_app
from service.rendering.typst import TypstRenderer
from service.settings import Settings
from service.signing import Pkcs12Signer, ensure_development_key
from tests.api import Tenant, make_tenant
from tests.api import fixture as load_fixture
from tests.postgres import throwaway_schema

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = bundled_dir("templates")
LEGAL = bundled_dir("legal")
TODAY = dt.date(2026, 11, 24)
POSTGRES_URL = os.environ.get("TALAP_TEST_DATABASE_URL")


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_URL:
        return f"talap database: PostgreSQL ({POSTGRES_URL.split('@')[-1]})"
    return (
        "talap database: SQLite only (set TALAP_TEST_DATABASE_URL, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test, to run on PostgreSQL too)"
    )


@pytest.fixture(scope="session")
def law() -> LawContext:
    return load_law(LEGAL)


@pytest.fixture(scope="session")
def renderer() -> TypstRenderer:
    return TypstRenderer(TEMPLATES)


@pytest.fixture(scope="session")
def signer(tmp_path_factory: pytest.TempPathFactory) -> Pkcs12Signer:
    key = ensure_development_key(tmp_path_factory.mktemp("keys"))
    return Pkcs12Signer.load(key.path, key.passphrase)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A database at the latest schema, made once by the migrations."""
    if not POSTGRES_URL:
        path = tmp_path_factory.mktemp("template") / "talap.db"
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
        engine.dispose()
        with sqlite3.connect(path) as connection:  # fold the WAL in: one file to copy
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield {"path": path}
        return
    with throwaway_schema(POSTGRES_URL, "t") as schema:
        engine = make_engine(POSTGRES_URL, schema=schema)
        migrate(engine)
        engine.dispose()
        queue = build_queue(Settings(database_url=POSTGRES_URL, database_schema=schema))
        queue.prepare()  # the job queue's tables (huey's), as `talap migrate` makes them
        queue.close()
        yield {"database_url": POSTGRES_URL, "database_schema": schema}


@pytest.fixture
def database_settings(
    tmp_path: Path, template_database: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """An empty database at the latest schema for this test: a copy of the SQLite template, or
    the PostgreSQL schema with every table emptied."""
    if "path" in template_database:
        copy = tmp_path / "talap.db"
        shutil.copyfile(template_database["path"], copy)
        yield {"database_url": f"sqlite:///{copy}"}
        return
    schema = template_database["database_schema"]
    tables = ", ".join(f'"{schema}"."{t.name}"' for t in metadata.sorted_tables)
    engine = create_engine(POSTGRES_URL or "")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield {"database_url": POSTGRES_URL, "database_schema": schema}


@pytest.fixture
def settings(tmp_path: Path, database_settings: dict[str, Any]) -> Settings:
    return Settings(data_dir=tmp_path / "data", **database_settings)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def wiring(
    settings: Settings,
    clock: FixedClock,
    law: LawContext,
    renderer: TypstRenderer,
    signer: Pkcs12Signer,
) -> Iterator[Wiring]:
    built = build_wiring(settings, clock=clock, law=law, renderer=renderer, signer=signer)
    yield built
    built.close()


@pytest.fixture
def client(wiring: Wiring) -> Iterator[TestClient]:
    with TestClient(create_app(wiring)) as test_client:
        yield test_client


@pytest.fixture
def tenant(wiring: Wiring) -> Tenant:
    return make_tenant(wiring, load_fixture("creditor.json"))


@pytest.fixture
def admin_key(wiring: Wiring) -> str:
    from service.creditors.service import create_key

    with wiring.db.transaction() as session:
        return create_key(session, wiring.clock, creditor_id=None, role="admin")


@pytest.fixture
def contract_case(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    case = load_fixture("case.json")
    response = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=tenant.headers())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
