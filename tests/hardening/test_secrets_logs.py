"""Issue 13 item 10, the logs: a real ``talap serve`` signing with a passphrase-protected key
runs a full flow — a case with the contract's personal data, a signed document, its delivery
with a proof, verification, searches by name through the API and the pages, and failures
(unknown and misplaced keys, a refused body, a forged form, a start with the wrong
passphrase). Its log is then read line by line: no passphrase, no API key, no name, ИИН,
address or contact; every line is JSON, and every line a request wrote carries its id."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from service.bootstrap import Wiring
from service.kit.logs import JsonLines, configure_logging, without_query_values
from service.main import create_app
from service.signing.devkey import generate_development_pkcs12
from tests.api import FIXTURES
from tests.e2e.test_email_exactly_once import serving
from tests.web.helpers import token_of

TALAP = [sys.executable, "-m", "service.cli"]
PASSPHRASE = "Pass-phrase-7f3e9c21-never-logged"
CASE = "KKT3-21-045"

_case = json.loads((FIXTURES / "case.json").read_text())
_creditor = json.loads((FIXTURES / "creditor.json").read_text())
PERSONAL = [
    _case["debtor"]["full_name"],
    _case["debtor"]["full_name"].split()[0],  # the surname alone, as searched
    _case["debtor"]["iin"],
    _case["debtor"]["email"],
    _case["debtor"]["phone"],
    _case["debtor"]["phone"].replace(" ", ""),
    _case["debtor"]["postal_address"],
    _creditor["chairman"]["full_name"],
]


def _forms_of(text: str) -> list[str]:
    """A secret or a name as it might be written: as is, lower-cased, URL-encoded."""
    return [text, text.lower(), quote(text), quote_plus(text), quote(text).lower()]


@dataclass
class Served:
    url: str
    log: Path
    env: dict[str, str]


def _talap(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*TALAP, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def key_env(tmp_path: Path, database_settings: dict[str, Any]) -> dict[str, str]:
    """The environment of a ``talap`` signing with a PKCS#12 that needs ``PASSPHRASE``."""
    key = tmp_path / "signing.p12"
    key.write_bytes(generate_development_pkcs12(PASSPHRASE.encode()))
    env = {
        **os.environ,
        "TALAP_DATA_DIR": str(tmp_path / "data"),
        "TALAP_DATABASE_URL": database_settings["database_url"],
        "TALAP_SIGNING_KEY": str(key),
        "TALAP_SIGNING_KEY_PASSPHRASE": PASSPHRASE,
        "TALAP_LOG_LEVEL": "DEBUG",
        # No periodic round during the flow: every line it writes then is a request's.
        "TALAP_CHECKPOINT_SECONDS": "0",
        "TALAP_ARCHIVE_SWEEP_SECONDS": "0",
        "TALAP_TRUSTED_PROXIES": "127.0.0.1",
    }
    if "database_schema" in database_settings:
        env["TALAP_DATABASE_SCHEMA"] = database_settings["database_schema"]
    return env


@pytest.fixture
def served(key_env: dict[str, str], tmp_path: Path) -> Iterator[Served]:
    log = tmp_path / "serve.log"
    with serving(key_env, log) as (url, _process):
        yield Served(url, log, key_env)


class Flow:
    """Requests with numbered ``X-Request-ID``s, so each can be found in the log."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.ids: list[str] = []
        self.answers: list[str] = []
        """Every answer's headers and body, to look for secrets in them too."""

    def __call__(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        rid = f"flow-{len(self.ids):03d}"
        self.ids.append(rid)
        headers = {**kwargs.pop("headers", {}), "X-Request-ID": rid}
        answer = self.http.request(method, url, headers=headers, **kwargs)
        self.answers.append(f"{answer.headers}\n{answer.text}")
        return answer


def _run_the_flow(served: Served, system_key: str, auditor_key: str) -> Flow:
    bearer = {"Authorization": f"Bearer {system_key}"}
    with httpx.Client(base_url=served.url, timeout=120) as http:
        flow = Flow(http)
        case = flow("PUT", f"/v1/cases/{CASE}", json=_case, headers=bearer)
        assert case.status_code == 201, case.text
        issued = flow(
            "POST",
            f"/v1/cases/{CASE}/documents",
            json={"kind": "reminder", "language": "kk"},
            headers=bearer,
        )
        assert issued.status_code == 201, issued.text
        document = issued.json()
        assert flow("GET", document["pdf_url"], headers=bearer).status_code == 200
        delivery = json.loads((FIXTURES / "delivery.json").read_text())
        delivery["delivered_at"] = document["issue_date"]
        delivered = flow(
            "POST",
            f"/v1/documents/{document['id']}/deliveries",
            data={"delivery": json.dumps(delivery)},
            files=[("proof", ("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf"))],
            headers=bearer,
        )
        assert delivered.status_code == 201, delivered.text
        verdict = flow("GET", f"/v1/documents/{document['id']}/verify", headers=bearer)
        assert verdict.status_code == 200 and verdict.json()["valid"] is True
        surname = _case["debtor"]["full_name"].split()[0]
        assert flow("GET", "/v1/cases", params={"q": surname}, headers=bearer).status_code < 500

        # Failures: keys that are unknown, in the wrong scheme or in the wrong header.
        wrong = {"Authorization": f"Bearer {system_key[:-6]}XXXXXX"}
        assert flow("GET", f"/v1/cases/{CASE}", headers=wrong).status_code == 401
        misplaced = {"Authorization": f"Token {system_key}"}
        assert flow("GET", f"/v1/cases/{CASE}", headers=misplaced).status_code == 401
        in_query = flow("GET", f"/v1/cases/{CASE}", params={"api_key": system_key})
        assert in_query.status_code == 401
        # A body refused with the debtor's personal data in it.
        refused = {**_case, "debtor": {**_case["debtor"], "iin": _case["debtor"]["iin"][:-1]}}
        bad = flow("PUT", f"/v1/cases/{CASE}", json=refused, headers=bearer)
        assert bad.status_code == 422, bad.text
        broken = flow(
            "PUT",
            f"/v1/cases/{CASE}",
            content=json.dumps(_case, ensure_ascii=False).encode()[:-40],
            headers={**bearer, "Content-Type": "application/json"},
        )
        assert 400 <= broken.status_code < 500

        # The pages: a failed and a good login, searches by name, a forged form.
        login = flow("GET", "/ui/login")
        token = token_of(login.text)
        form = {"csrf_token": token, "api_key": f"{auditor_key}x", "next": "/ui/cases"}
        assert flow("POST", "/ui/login", data=form).status_code == 401
        form = {"csrf_token": token, "api_key": auditor_key, "next": "/ui/cases"}
        assert flow("POST", "/ui/login", data=form).status_code == 303
        assert flow("GET", "/ui/cases", params={"q": surname}).status_code == 200
        iin = _case["debtor"]["iin"]
        assert flow("GET", "/ui/cases", params={"q": iin}).status_code == 200
        assert flow("GET", f"/ui/cases/{CASE}").status_code == 200
        forged = flow("POST", "/ui/logout", data={"csrf_token": "forged"})
        assert forged.status_code == 403

        # Behind a TLS proxy (a trusted address, TALAP_TRUSTED_PROXIES): cookies are Secure.
        tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
        behind = flow("GET", "/ui/lang/ru", headers=tls, follow_redirects=False)
        assert "Secure" in behind.headers["set-cookie"]
        plain = flow("GET", "/ui/lang/ru", follow_redirects=False)
        assert "Secure" not in plain.headers["set-cookie"]
        assert "HttpOnly" in plain.headers["set-cookie"]
        return flow


def _background(record: dict[str, Any]) -> bool:
    """A line of the in-process job consumer (its periodic outbox and archive sweeps may fall
    inside the flow): written for no request, so it has no request id to carry."""
    return record["logger"] in ("talap.queue", "talap.outbox", "huey") or record["event"] in (
        "archive.swept",
        "archive.sweep_failed",
    )


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_a_full_run_logs_no_secret_and_no_personal_data_and_tags_every_request_line(
    served: Served,
) -> None:
    creditor_id = _talap(served.env, "creditors", "add", str(FIXTURES / "creditor.json"))
    system_key = _talap(served.env, "keys", "create", "--creditor", creditor_id, "--role", "system")
    auditor_key = _talap(
        served.env, "keys", "create", "--creditor", creditor_id, "--role", "auditor"
    )
    started = len(_lines(served.log))
    flow = _run_the_flow(served, system_key, auditor_key)
    sent = len(flow.ids)
    answers = "\n".join(flow.answers)
    for secret in (PASSPHRASE, system_key, auditor_key, f"{auditor_key}x"):
        assert secret not in answers, f"an answer shows a secret ({secret[:6]}…)"
    time.sleep(0.5)  # the access line of the last answer is written after it is sent
    text = served.log.read_text(encoding="utf-8")
    during = _lines(served.log)[started:]

    secrets = [PASSPHRASE, system_key, auditor_key]
    secrets += [key.removeprefix("tlp_") for key in (system_key, auditor_key)]
    for secret in secrets:
        for form in _forms_of(secret):
            assert form not in text, f"a secret ({secret[:6]}…) is in the log"
    for personal in PERSONAL:
        for form in _forms_of(personal):
            assert form not in text, f"personal data ({personal[:4]}…) is in the log"

    records = [json.loads(line) for line in during]  # every line the flow caused is JSON
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert {r.get("request_id") for r in access} >= {f"flow-{n:03d}" for n in range(sent)}
    targets = [r["event"] for r in access]
    assert any('"GET /ui/cases?q=… HTTP' in t for t in targets), "searched, without the term"
    assert any('"GET /v1/cases/KKT3-21-045?api_key=… HTTP' in t for t in targets)
    untagged = [r for r in records if "request_id" not in r and not _background(r)]
    assert untagged == [], "a line written while handling a request lacks its id"
    events = {r["event"] for r in records}
    assert {"document.issued", "delivery.recorded", "document.verified"} <= events, events


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        ("/v1/cases", "/v1/cases"),
        ("/ui/cases?q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2", "/ui/cases?q=…"),
        ("/ui/cases?q=780412300566&kind=document&kind=delivery", "/ui/cases?q=…&kind=…&kind=…"),
        ("/v1/x?tlp_MDS9rcq6EeBv8QC_US80JcHg_mKjJT2mtXQcIu4bHsI", "/v1/x?…"),
        ("/v1/x?a%20b=1", "/v1/x?…"),
        ("/v1/x?a=1&&b", "/v1/x?a=…&b=…"),
    ],
)
def test_the_access_line_keeps_the_path_and_the_parameter_names_only(
    target: str, logged: str
) -> None:
    assert without_query_values(target) == logged


def test_a_traceback_does_not_quote_the_value_pydantic_refused() -> None:
    class Debtor(BaseModel):
        iin: int

    sent = {"iin": _case["debtor"]["full_name"]}  # a traceback shows this line, not the value
    try:
        Debtor.model_validate(sent)
    except ValidationError:
        formatted = JsonLines().formatException(sys.exc_info())
    assert sent["iin"] not in formatted and "input_value=…" in formatted
    assert "iin" in formatted, "the field is still named"


def test_a_wrong_passphrase_stops_the_start_without_showing_it(
    key_env: dict[str, str], tmp_path: Path
) -> None:
    wrong = "Wrong-passphrase-0c9d1e55"
    env = {**key_env, "TALAP_SIGNING_KEY_PASSPHRASE": wrong}
    started = subprocess.run(
        [*TALAP, "serve", "--host", "127.0.0.1", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = started.stdout + started.stderr
    assert started.returncode != 0, output
    assert "signing" in output.lower() and re.search(r"passphrase", output), output
    for secret in (wrong, PASSPHRASE):
        for form in _forms_of(secret):
            assert form not in output


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    configure_logging("INFO")
    yield capsys
    for name in ("talap", "uvicorn", "uvicorn.error", "uvicorn.access", "huey"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


def test_the_line_about_an_unexpected_failure_carries_the_request_id(
    wiring: Wiring, json_logs: pytest.CaptureFixture[str]
) -> None:
    app = create_app(wiring)

    @app.get("/test-boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        json_logs.readouterr()
        answer = client.get("/test-boom", headers={"X-Request-ID": "req-boom-1"})
    assert answer.status_code == 500
    lines = [json.loads(x) for x in json_logs.readouterr().err.splitlines() if x.startswith("{")]
    [failure] = [line for line in lines if line.get("event") == "error"]
    assert failure["request_id"] == "req-boom-1" and "a bug" in failure["exception"]
