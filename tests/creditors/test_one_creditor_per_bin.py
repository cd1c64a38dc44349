"""One creditor per БИН (review D8): a second registration of a БИН — by the API or by ``talap
creditors add`` — is a ``409`` naming the creditor that holds it, and nothing is stored; the
unique index holds it in the database too, and the migration that makes it refuses to run over
a database that already has two creditors with one БИН, naming them."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, MetaData, func, select
from sqlalchemy.exc import IntegrityError

from service.bootstrap import Wiring
from service.creditors.models import CreditorRow
from service.kit.engine import make_engine, migrate
from tests.conftest import POSTGRES_URL, load_fixture
from tests.postgres import throwaway_schema

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _creditors(wiring: Wiring) -> int:
    with wiring.db.transaction(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(CreditorRow)) or 0


def test_a_second_registration_of_a_bin_is_a_409_with_the_existing_id(
    client: TestClient, admin_key: str, wiring: Wiring
) -> None:
    admin = {"Authorization": f"Bearer {admin_key}"}
    creditor = load_fixture("creditor.json")
    first = client.post("/v1/creditors", json=creditor, headers=admin)
    assert first.status_code == 201, first.text
    renamed = {**creditor, "name": {"kk": "Басқа атау", "ru": "Другое название"}}
    second = client.post("/v1/creditors", json=renamed, headers=admin)
    assert second.status_code == 409, second.text
    error = second.json()["error"]
    assert error["code"] == "creditor_exists"
    assert error["existing_id"] == first.json()["id"]
    assert creditor["bin"] in error["message"]
    assert _creditors(wiring) == 1
    other = client.post("/v1/creditors", json={**creditor, "bin": "200540012348"}, headers=admin)
    assert other.status_code == 201, "another БИН is still welcome"


def test_the_409_is_in_the_openapi_document(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/creditors"]["post"]
    assert "409" in operation["responses"]


def test_talap_creditors_add_twice_names_the_existing_creditor(
    tmp_path: Path, settings: Any, database_settings: dict[str, Any], wiring: Wiring
) -> None:
    env = {**os.environ, "TALAP_DATA_DIR": str(settings.data_dir)}
    env["TALAP_DATABASE_URL"] = database_settings["database_url"]
    if "database_schema" in database_settings:
        env["TALAP_DATABASE_SCHEMA"] = database_settings["database_schema"]
    file = tmp_path / "creditor.json"
    file.write_text(json.dumps(load_fixture("creditor.json")), encoding="utf-8")
    command = [sys.executable, "-m", "service.cli", "creditors", "add", str(file)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    existing = first.stdout.strip()
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2
    assert again.stdout == ""
    assert existing in again.stderr and "registered already" in again.stderr
    assert _creditors(wiring) == 1


@pytest.fixture
def old_database(tmp_path: Path) -> Any:
    if not POSTGRES_URL:
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    with throwaway_schema(POSTGRES_URL, "b") as schema:
        engine = make_engine(POSTGRES_URL, schema=schema)
        try:
            yield engine
        finally:
            engine.dispose()


def _add(engine: Engine, creditor_id: str, bin_: str) -> None:
    meta = MetaData()
    meta.reflect(engine)
    row = {"id": creditor_id, "bin": bin_, "form": "osi", "profile": {}, "created_at": NOW}
    with engine.begin() as conn:
        conn.execute(meta.tables["creditors"].insert().values(**row))


def test_the_migration_names_creditors_that_share_a_bin_and_then_holds_the_rule(
    old_database: Engine,
) -> None:
    migrate(old_database, "0021")
    _add(old_database, "c-1", "190340018228")
    _add(old_database, "c-2", "190340018228")
    _add(old_database, "c-3", "200540012348")
    with pytest.raises(RuntimeError) as refused:
        migrate(old_database)
    message = str(refused.value)
    assert "БИН 190340018228: creditor c-1" in message and "creditor c-2" in message
    assert "c-3" not in message
    meta = MetaData()
    meta.reflect(old_database)
    with old_database.begin() as conn:  # the operator keeps one of the two
        creditors = meta.tables["creditors"]
        conn.execute(creditors.delete().where(creditors.c.id == "c-2"))
    migrate(old_database)
    with pytest.raises(IntegrityError):
        _add(old_database, "c-4", "190340018228")
