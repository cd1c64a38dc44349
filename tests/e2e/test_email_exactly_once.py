"""``kill -9`` between the commit and the send: the e-mail still goes out, exactly once.

A real ``talap serve`` (its own process, a real SMTP server on loopback as the relay) takes the
request with no job consumer (``--no-worker``: the process dies, deterministically, after the
commit and before anything is sent), is killed with SIGKILL, and is started again with its
in-process consumer: the message arrives once, with the Message-ID recorded when it was queued.
Then ``talap bounces`` takes the relay's ``delivered`` notice over SMTP."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api import FIXTURES
from tests.e2e.test_readme_flow import TALAP, env, last_line, talap
from tests.mail.smtp import Mailbox, dsn, send_raw, smtp_server
from tests.mail.test_sending import parsed

__all__ = ["env"]  # the fixture, shared with the README flow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(environment: dict[str, str], log: Path, *extra: str) -> Iterator[tuple[str, Any]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        process = subprocess.Popen(
            [*TALAP, "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
            env={**environment, "TALAP_PUBLIC_URL": url},
            stdout=out,
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
                raise RuntimeError(f"talap serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def _until(check: Any, what: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def relay() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    with smtp_server(mailbox) as server:
        yield mailbox, server.port


def relayed(env: dict[str, str], port: int) -> dict[str, str]:
    """The environment of a ``talap`` process that mails through the loopback relay."""
    return {
        **env,
        "TALAP_SMTP_HOST": "127.0.0.1",
        "TALAP_SMTP_PORT": str(port),
        "TALAP_SMTP_FROM": "notices@osi.example.kz",
        "TALAP_SMTP_SECURITY": "none",
    }


def system_headers(environment: dict[str, str]) -> dict[str, str]:
    """A creditor registered by the CLI and its system key, as request headers."""
    creditor = last_line(talap(environment, "creditors", "add", str(FIXTURES / "creditor.json")))
    key = last_line(
        talap(environment, "keys", "create", "--creditor", creditor, "--role", "system")
    )
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def test_killed_after_the_commit_the_e_mail_is_sent_once_after_restart(
    env: dict[str, str], relay: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = relay
    environment = relayed(env, port)
    headers = system_headers(environment)
    log = tmp_path / "serve.log"

    with serving(environment, log, "--no-worker") as (url, process):
        with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
            case = http.put("/v1/cases/KKT3-21-045", content=(FIXTURES / "case.json").read_bytes())
            assert case.status_code == 201, case.text
            issued = http.post(
                "/v1/cases/KKT3-21-045/documents",
                content=(FIXTURES / "issue-reminder.json").read_bytes(),
            )
            assert issued.status_code == 201, issued.text
            document = issued.json()
            queued = http.post(
                f"/v1/documents/{document['id']}/deliveries", json={"channel": "email"}
            )
            assert queued.status_code == 201, queued.text
            attempt = queued.json()
        os.kill(process.pid, signal.SIGKILL)  # committed, not sent: no consumer ran
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert mailbox.received == []

    with (
        serving(environment, log) as (url, process),  # the in-process consumer this time
        httpx.Client(base_url=url, headers=headers, timeout=60) as http,
    ):

        def sent() -> dict[str, Any] | None:
            found: dict[str, Any] = http.get(f"/v1/deliveries/{attempt['id']}").json()
            return found if found["status"] == "sent" else None

        delivery = _until(sent, "the attempt to be recorded as sent")
        process.send_signal(signal.SIGTERM)  # stop consuming before counting
        process.wait(timeout=30)
    [received] = mailbox.received
    [event] = [e for e in delivery["events"] if e["status"] == "sent"]
    message = parsed(received.data)
    assert message["Message-ID"] == event["details"]["message_id"]
    assert message["Message-ID"] == f"<delivery.{attempt['id']}@osi.example.kz>"
    assert received.mail_from == f"bounces+{attempt['id']}@osi.example.kz"

    # the relay's ``delivered`` notice, over SMTP to ``talap bounces``
    listener = subprocess.Popen(
        [*TALAP, "bounces", "--host", "127.0.0.1", "--port", "0"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert listener.stderr is not None
        line = ""
        while "SMTP on" not in line:
            line = listener.stderr.readline()
            assert line, "talap bounces stopped before listening"
        bounces_port = int(line.rsplit(":", 1)[1])
        at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        send_raw(
            bounces_port,
            "",
            received.mail_from,
            dsn(received, action="delivered", status="2.0.0", at=at),
        )
    finally:
        listener.send_signal(signal.SIGTERM)
        listener.wait(timeout=30)
        if listener.stderr is not None:
            listener.stderr.close()
    assert listener.returncode == 0
    with serving(environment, log, "--no-worker") as (url, _):
        found = httpx.get(f"{url}/v1/deliveries/{attempt['id']}", headers=headers).json()
    assert found["outcome"]["state"] == "delivered"
    assert (
        found["outcome"]["legal_date"]
        == at.astimezone(dt.timezone(dt.timedelta(hours=5))).date().isoformat()
    )
    assert len(mailbox.received) == 1
