"""The README's path as a new user walks it: CLI creates a creditor and a key, `talap serve`
runs as a real process, the contract payloads go in as they are, the PDF comes out signed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.bootstrap import build_archive
from service.kit.engine import make_engine
from service.settings import Settings
from tests.api import FIXTURES
from tests.pdftext import contains
from tests.s3 import environment as s3_environment

TALAP = [sys.executable, "-m", "service.cli"]


@pytest.fixture
def env(
    tmp_path: Path, database_settings: dict[str, Any], archive_settings: dict[str, Any]
) -> dict[str, str]:
    """A ``talap`` process's environment: the test's database and archive (the data directory's,
    or the test's bucket on the session's moto server with ``TALAP_TEST_ARCHIVE=s3``)."""
    environment = {**os.environ, "TALAP_DATA_DIR": str(tmp_path / "data")}
    environment["TALAP_DATABASE_URL"] = database_settings["database_url"]
    if "database_schema" in database_settings:
        environment["TALAP_DATABASE_SCHEMA"] = database_settings["database_schema"]
    environment.update(s3_environment(archive_settings))
    return environment


def talap(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TALAP, *args], env=env, capture_output=True, text=True, timeout=120)


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(params=[1])
def server(env: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            *TALAP,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(request.param),
        ],
        env={**env, "TALAP_PUBLIC_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"talap serve did not start: {process.stderr.read() if process.stderr else ''}"
                )
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_new_user_issues_downloads_and_verifies_a_reminder(
    env: dict[str, str], server: str, settings: Settings, tmp_path: Path
) -> None:
    creditor_id = last_line(talap(env, "creditors", "add", str(FIXTURES / "creditor.json")))
    key = last_line(talap(env, "keys", "create", "--creditor", creditor_id, "--role", "system"))
    assert key.startswith("tlp_")
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=server, headers=headers, timeout=60) as http:
        case = http.put(
            "/v1/cases/KKT3-21-045",
            content=(FIXTURES / "case.json").read_bytes(),
            headers={"Content-Type": "application/json"},
        )
        assert case.status_code == 201, case.text
        overdue = case.json()["debt"]["totals"]["overdue"]
        issued = http.post(
            "/v1/cases/KKT3-21-045/documents",
            content=(FIXTURES / "issue-reminder.json").read_bytes(),
            headers={"Content-Type": "application/json"},
        )
        assert issued.status_code == 201, issued.text
        document = issued.json()
        assert re.fullmatch(r"\d{4}-00001", document["number"])
        pdf = http.get(document["pdf_url"])
        assert pdf.status_code == 200
        assert hashlib.sha256(pdf.content).hexdigest() == document["sha256"]
        integer, fraction = overdue.split(".")
        grouped = f"{int(integer):,}".replace(",", " ") + "," + fraction
        assert contains(pdf.content, "Жақсыбеков Нұрлан Әбілқайырұлы", grouped, document["number"])
        verdict = http.get(f"/v1/documents/{document['id']}/verify").json()
        assert verdict["valid"] is True, verdict

    ok = talap(env, "verify", document["id"])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("VALID")

    held = tmp_path / "copy.pdf"  # the archived copy, as an operator would take it out
    held.write_bytes(build_archive(settings).get(document["sha256"]))
    assert talap(env, "verify", str(held)).returncode == 0
    data = bytearray(held.read_bytes())
    data[len(data) // 3] ^= 0x20
    held.write_bytes(bytes(data))
    tampered = talap(env, "verify", str(held))
    assert tampered.returncode == 1
    assert tampered.stdout.startswith("INVALID")


def test_cli_errors_are_precise(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": {"kk": "x", "ru": "y"}, "form": "osi", "bin": "123"}')
    result = talap(env, "creditors", "add", str(bad))
    assert result.returncode == 2
    assert "bin: bin_checksum" in result.stderr
    assert "accounts: required" in result.stderr
    result = talap(env, "keys", "create", "--role", "system")
    assert result.returncode == 2
    assert "creditor" in result.stderr


@pytest.mark.parametrize("server", [2], indirect=True)
def test_two_worker_processes_share_numbering(
    env: dict[str, str], server: str, tmp_path: Path
) -> None:
    """Concurrent clients, each on its own connection, reach both workers; the numbers they
    get are still one gapless sequence."""
    creditor_id = last_line(talap(env, "creditors", "add", str(FIXTURES / "creditor.json")))
    key = last_line(talap(env, "keys", "create", "--creditor", creditor_id, "--role", "system"))
    headers = {"Authorization": f"Bearer {key}"}
    put = httpx.put(
        f"{server}/v1/cases/KKT3-21-045",
        content=(FIXTURES / "case.json").read_bytes(),
        headers={**headers, "Content-Type": "application/json"},
        timeout=60,
    )
    assert put.status_code == 201, put.text

    def issue(_: int) -> str:
        with httpx.Client(base_url=server, headers=headers, timeout=60) as http:
            body = {"kind": "reminder", "language": "ru"}
            number: str = http.post("/v1/cases/KKT3-21-045/documents", json=body).json()["number"]
            return number

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = sorted(pool.map(issue, range(16)))
    assert [n[-5:] for n in numbers] == [f"{i:05d}" for i in range(1, 17)]
    lines = [
        json.loads(line)
        for line in (tmp_path / "serve.log").read_text().splitlines()
        if line.startswith("{")
    ]
    workers = {line["pid"] for line in lines if line.get("event") == "document.issued"}
    assert len(workers) == 2, "both worker processes issued documents"


def test_migrate_builds_an_empty_data_directory_and_is_idempotent(env: dict[str, str]) -> None:
    first = talap(env, "migrate")
    assert first.returncode == 0, first.stderr
    assert "latest schema" in first.stderr
    again = talap(env, "migrate")
    assert again.returncode == 0, again.stderr
    listed = talap(env, "creditors", "add", str(FIXTURES / "creditor.json"))
    assert listed.returncode == 0, listed.stderr


def test_processes_starting_together_migrate_one_after_another(env: dict[str, str]) -> None:
    """Two ``talap worker`` started at once on PostgreSQL once raced on huey's ``CREATE TABLE``
    (CI, 254dc9e); every command migrates first, so three at once on an empty database must all
    succeed and leave each bundled template version once."""
    starting = [
        subprocess.Popen([*TALAP, "migrate"], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in starting:
        _out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    engine = make_engine(env["TALAP_DATABASE_URL"], schema=env.get("TALAP_DATABASE_SCHEMA"))
    try:
        with engine.connect() as connection:
            versions = connection.exec_driver_sql("SELECT count(*) FROM template_versions").scalar()
            templates = connection.exec_driver_sql("SELECT count(*) FROM templates").scalar()
    finally:
        engine.dispose()
    assert versions == templates > 10  # one shipped version per template, none twice


def test_a_bad_configuration_is_refused_with_the_variable_to_fix(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = {**env, "TALAP_ENVIRONMENT": "production"}
    result = talap(bad, "migrate")
    assert result.returncode == 2
    assert "TALAP_SIGNING_KEY" in result.stderr and "Traceback" not in result.stderr
