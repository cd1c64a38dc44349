"""Shared fixtures.

Built once per session: the law (``legal/``), the Typst renderer (fonts, compilers), one signing
key, and a database migrated by the real migrations — a SQLite file copied for each test, or,
with ``TALAP_TEST_DATABASE_URL``, a PostgreSQL schema emptied before each test. The archive is a
directory in the test's data folder, or, with ``TALAP_TEST_ARCHIVE=s3``, a new bucket (with object
lock) on the moto S3 server this session starts on loopback. Per test: a wiring with a frozen
clock, an API client, a creditor with its keys.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from service.bootstrap import Wiring, build_engines, build_queue, build_wiring
from service.bundled import bundled_dir
from service.clock import FixedClock
from service.kit.engine import make_engine, migrate
from service.kit.registry import metadata
from service.law.context import LawContext
from service.law.loader import load_law
from service.main import create_app
from service.rendering.engines import EngineRegistry
from service.rendering.typst import TypstRenderer
from service.settings import Settings
from service.signing import Pkcs12Signer, ensure_development_key
from tests.api import Tenant, make_tenant
from tests.api import fixture as load_fixture
from tests.postgres import throwaway_schema
from tests.s3 import archive_settings as s3_archive_settings
from tests.s3 import moto_server

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = bundled_dir("templates")
LEGAL = bundled_dir("legal")
TODAY = dt.date(2026, 11, 24)
POSTGRES_URL = os.environ.get("TALAP_TEST_DATABASE_URL")
TEST_ARCHIVE = os.environ.get("TALAP_TEST_ARCHIVE", "local")
if TEST_ARCHIVE not in ("local", "s3"):
    raise pytest.UsageError(f"TALAP_TEST_ARCHIVE is local or s3, not {TEST_ARCHIVE!r}")


VARIES_WITH = {
    # what a test must reach for its outcome to depend on the backend: the fixture that opens the
    # test database or the archive, or a module that reads the setting itself
    "database": ("template_database", "POSTGRES_URL"),
    "archive": ("archive_settings", "TEST_ARCHIVE"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--only-varying-with",
        choices=sorted(VARIES_WITH),
        help="run only the tests whose outcome can depend on that backend (for a second run "
        "on PostgreSQL or S3): those using the fixture that opens the test database "
        "(template_database) or the archive (archive_settings), or whose module reads "
        "TALAP_TEST_DATABASE_URL or TALAP_TEST_ARCHIVE itself; the others would repeat the "
        "first run exactly, and are deselected",
    )


LONGEST_FIRST = (
    # a minute or more each (real workers killed, the fuzz gate, the campaign's whole run, the
    # benchmark scripts): started first, so that with -n the others fill the time beside them
    # rather than one of these running alone at the end
    "tests/e2e/test_campaign_kill.py",
    "tests/hardening/test_fuzz.py",
    "tests/e2e/test_email_exactly_once.py",
    "tests/campaigns/test_runs.py",
    "tests/bench/test_scripts.py",
    "tests/e2e/",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        starts = [i for i, p in enumerate(LONGEST_FIRST) if item.nodeid.startswith(p)]
        return starts[0] if starts else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order
    backend = config.getoption("--only-varying-with")
    if not backend:
        return
    fixture, setting = VARIES_WITH[backend]
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (kept if _varies(item, fixture, setting) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        by_folder: dict[str, int] = {}
        for item in dropped:
            folder = item.nodeid.split("::")[0].rsplit("/", 1)[0]
            by_folder[folder] = by_folder.get(folder, 0) + 1
        config.stash[_DESELECTED] = by_folder
        if hasattr(config, "workeroutput"):  # an xdist worker: the controller reports it
            config.workeroutput["talap_deselected"] = by_folder


_DESELECTED = pytest.StashKey[dict[str, int]]()


def _varies(item: pytest.Item, fixture: str, setting: str) -> bool:
    """Whether ``item`` uses ``fixture``, or it or one of its fixtures is defined in a module
    that reads ``setting`` (this file's fixtures aside: they are told apart by name)."""
    if fixture in getattr(item, "fixturenames", ()) or item.get_closest_marker("postgres"):
        return True
    modules = {getattr(getattr(item, "module", None), "__name__", "")}
    info = getattr(item, "_fixtureinfo", None)
    for definitions in getattr(info, "name2fixturedefs", {}).values():
        modules.update(getattr(d.func, "__module__", "") for d in definitions)
    return any(hasattr(sys.modules.get(name), setting) for name in modules - {__name__, ""})


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist's controller: every worker collected the same tests; keep one's deselection."""
    by_folder = getattr(node, "workeroutput", {}).get("talap_deselected")
    if by_folder:
        node.config.stash[_DESELECTED] = by_folder


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    by_folder = config.stash.get(_DESELECTED, None)
    if by_folder and not hasattr(config, "workerinput"):
        backend = config.getoption("--only-varying-with")
        terminalreporter.write_line(
            f"not run again (they never reach the {backend}): "
            + ", ".join(f"{folder} {count}" for folder, count in sorted(by_folder.items()))
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    archive = (
        "talap archive: S3 (moto's server on loopback)"
        if TEST_ARCHIVE == "s3"
        else "talap archive: directory (set TALAP_TEST_ARCHIVE=s3 for S3 on a moto server)"
    )
    if POSTGRES_URL:
        return [f"talap database: PostgreSQL ({POSTGRES_URL.split('@')[-1]})", archive]
    return [
        "talap database: SQLite only (set TALAP_TEST_DATABASE_URL, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test, to run on PostgreSQL too)",
        archive,
    ]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 server, one per test session, on a free loopback port (real HTTP)."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def archive_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The archive part of this test's settings: none (the data directory's) or a new bucket."""
    if TEST_ARCHIVE != "s3":
        return {}
    return s3_archive_settings(request.getfixturevalue("moto_endpoint"))


@pytest.fixture(scope="session")
def law() -> LawContext:
    return load_law(LEGAL)


@pytest.fixture(scope="session")
def renderer() -> TypstRenderer:
    return TypstRenderer(TEMPLATES)


@pytest.fixture(scope="session")
def engines(tmp_path_factory: pytest.TempPathFactory) -> EngineRegistry:
    """One set of template engines for the session: a version's sources are materialised and
    its Typst compiler built once (the cache is keyed by the sources' SHA-256)."""
    return build_engines(Settings(data_dir=tmp_path_factory.mktemp("engines")))


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
    the PostgreSQL schema (this worker's) with every table emptied."""
    if "path" in template_database:
        copy = tmp_path / "talap.db"
        shutil.copyfile(template_database["path"], copy)
        yield {"database_url": f"sqlite:///{copy}"}
        return
    schema = template_database["database_schema"]
    engine = create_engine(POSTGRES_URL or "")
    with engine.begin() as conn:
        # DELETE, children first, not TRUNCATE: the tables hold a test's few rows, and
        # TRUNCATE of ~40 tables (new files for each) took about a second per test, DELETE ~20 ms
        for table in reversed(metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{schema}"."{table.name}"'))
        # the sequences these tables own that have moved, restarted as TRUNCATE ... RESTART
        # IDENTITY did (not the job queue's: huey's tables in the schema are not emptied)
        used = conn.execute(
            text(
                "SELECT ps.sequencename FROM pg_sequences ps "
                "JOIN pg_namespace n ON n.nspname = ps.schemaname "
                "JOIN pg_class s ON s.relname = ps.sequencename AND s.relnamespace = n.oid "
                "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
                "JOIN pg_class t ON t.oid = d.refobjid "
                "WHERE ps.schemaname = :schema AND ps.last_value IS NOT NULL "
                "AND t.relname = ANY(:tables)"
            ),
            {"schema": schema, "tables": [table.name for table in metadata.sorted_tables]},
        )
        for (sequence,) in used.all():
            conn.execute(text(f'ALTER SEQUENCE "{schema}"."{sequence}" RESTART'))
    engine.dispose()
    yield {"database_url": POSTGRES_URL, "database_schema": schema}


@pytest.fixture
def settings(
    tmp_path: Path, database_settings: dict[str, Any], archive_settings: dict[str, Any]
) -> Settings:
    return Settings(data_dir=tmp_path / "data", **database_settings, **archive_settings)


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
    engines: EngineRegistry,
) -> Iterator[Wiring]:
    built = build_wiring(
        settings, clock=clock, law=law, renderer=renderer, signer=signer, engines=engines
    )
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
