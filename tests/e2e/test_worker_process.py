"""``talap worker`` is a job consumer of its own: a ``talap serve --no-worker`` queues an e-mail
and sends nothing; a separate ``talap worker`` process sends it (once) through the loopback relay
and records it sent, then stops on SIGTERM. On PostgreSQL both processes share the queue in the
database (huey's SQL storage); on SQLite the queue file in the data directory."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.api import FIXTURES
from tests.e2e.test_email_exactly_once import _until, relay, relayed, serving, system_headers
from tests.e2e.test_readme_flow import TALAP, env
from tests.mail.smtp import Mailbox
from tests.mail.test_sending import parsed

__all__ = ["env", "relay"]  # fixtures


def test_talap_worker_sends_what_a_server_without_consumer_queued(
    env: dict[str, str], relay: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = relay
    environment = relayed(env, port)
    headers = system_headers(environment)
    log = tmp_path / "talap.log"

    with (
        serving(environment, log, "--no-worker") as (url, _),
        httpx.Client(base_url=url, headers=headers, timeout=60) as http,
    ):
        case = http.put("/v1/cases/KKT3-21-045", content=(FIXTURES / "case.json").read_bytes())
        assert case.status_code == 201, case.text
        issued = http.post(
            "/v1/cases/KKT3-21-045/documents",
            content=(FIXTURES / "issue-reminder.json").read_bytes(),
        )
        assert issued.status_code == 201, issued.text
        queued = http.post(
            f"/v1/documents/{issued.json()['id']}/deliveries", json={"channel": "email"}
        )
        assert queued.status_code == 201, queued.text
        attempt: dict[str, Any] = queued.json()
        assert http.get(f"/v1/deliveries/{attempt['id']}").json()["status"] == "queued"
        assert mailbox.received == []

        with log.open("a") as out:
            worker = subprocess.Popen(
                [*TALAP, "worker", "--threads", "1"],
                env={**environment, "TALAP_PUBLIC_URL": url},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:

            def sent() -> dict[str, Any] | None:
                found: dict[str, Any] = http.get(f"/v1/deliveries/{attempt['id']}").json()
                return found if found["status"] == "sent" else None

            delivery = _until(sent, "talap worker to send the e-mail")
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        assert worker.returncode == 0, log.read_text()

    [received] = mailbox.received
    [event] = [e for e in delivery["events"] if e["status"] == "sent"]
    assert parsed(received.data)["Message-ID"] == event["details"]["message_id"]
