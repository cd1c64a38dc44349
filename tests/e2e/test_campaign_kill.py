"""A 200-case campaign run by real ``talap worker`` processes, killed with SIGKILL twice — once
while issuing, once while sending — and finished by a third: every case has exactly one
document and the SMTP server (aiosmtpd on loopback) received exactly one Message-ID per case
(``TALAP_TEST_CAMPAIGN_CASES`` sets the number).

``talap serve --no-worker`` answers the API; the work is the job queue's (the SQLite queue file
in the data directory, or huey's tables in PostgreSQL). The outbox lease is short here so the
next worker takes over what the killed one held without waiting the default five minutes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from service.bootstrap import build_wiring
from service.documents.models import IssuedDocumentRow
from service.settings import Settings
from tests.api import FIXTURES, Tenant
from tests.campaigns.builders import email_of, put_cases
from tests.e2e.test_email_exactly_once import relay, relayed, serving
from tests.e2e.test_readme_flow import TALAP, env, last_line, talap
from tests.mail.smtp import Mailbox
from tests.mail.test_sending import parsed

__all__ = ["env", "relay"]  # fixtures

LEASE_SECONDS = 8
CASES = int(os.environ.get("TALAP_TEST_CAMPAIGN_CASES", "200"))
"""``.ci/run`` repeats this test on PostgreSQL and S3 with fewer cases (the kills still land
mid-issue and mid-send: the thresholds below are shares of the run)."""
ISSUED_AT_KILL = CASES * 3 // 10  # 60 of 200
SENT_AT_KILL = CASES // 5  # 40 of 200


def _worker(environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("a") as out:
        return subprocess.Popen(
            [*TALAP, "worker", "--threads", "2"],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _until(check: Callable[[], Any], what: str, timeout: float = 900) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _kill(worker: subprocess.Popen[bytes]) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL


def test_killed_workers_never_issue_or_send_twice(
    env: dict[str, str], relay: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = relay
    environment = {**relayed(env, port), "TALAP_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS)}
    creditor = last_line(talap(environment, "creditors", "add", str(FIXTURES / "creditor.json")))
    keys = {
        role: last_line(
            talap(environment, "keys", "create", "--creditor", creditor, "--role", role)
        )
        for role in ("system", "lawyer")
    }
    settings = Settings(
        data_dir=Path(environment["TALAP_DATA_DIR"]),
        database_url=environment["TALAP_DATABASE_URL"],
        database_schema=environment.get("TALAP_DATABASE_SCHEMA"),
    )
    wiring = build_wiring(settings)
    try:
        cases = put_cases(wiring, Tenant(creditor, keys["system"], ""), CASES)
    finally:
        wiring.close()
    system = {"Authorization": f"Bearer {keys['system']}"}
    log = tmp_path / "talap.log"

    with (
        serving(environment, log, "--no-worker") as (url, _),
        httpx.Client(base_url=url, timeout=60) as http,
    ):
        work = {**environment, "TALAP_PUBLIC_URL": url}
        campaign = http.post(
            "/v1/campaigns",
            json={"name": "Reminders", "kind": "reminder", "channel": "email"},
            headers=system,
        )
        assert campaign.status_code == 201, campaign.text
        started = http.post(f"/v1/campaigns/{campaign.json()['id']}/runs", headers=system)
        assert started.status_code == 202, started.text
        path = started.headers["Location"]

        def run() -> dict[str, Any]:
            found: dict[str, Any] = http.get(path, headers=system).json()
            return found

        first = _worker(work, log)
        waiting = _until(lambda: (r := run())["state"] == "awaiting_approval" and r, "drafts")
        assert waiting["progress"]["prepared"] == CASES
        assert mailbox.received == []
        campaign_id, run_id = campaign.json()["id"], waiting["id"]
        refused = talap(work, "campaign", "approve", campaign_id, run_id, "--key", keys["system"])
        assert refused.returncode == 2 and "may not approve campaigns" in refused.stderr
        approved = talap(
            work, "campaign", "approve", campaign_id, run_id, "--key", keys["lawyer"],
            "--digest", waiting["drafts_digest"],
        )  # fmt: skip
        assert approved.returncode == 0, approved.stderr

        issuing = _until(
            lambda: (r := run())["progress"]["issued"] >= ISSUED_AT_KILL and r, "issuing"
        )
        _kill(first)  # while issuing
        assert issuing["progress"]["issued"] < CASES, issuing["progress"]
        time.sleep(LEASE_SECONDS + 1)  # the lease the killed worker held ends

        second = _worker(work, log)
        sending = _until(lambda: (r := run())["progress"]["sent"] >= SENT_AT_KILL and r, "sending")
        _kill(second)  # while sending
        assert sending["progress"]["sent"] < CASES, sending["progress"]
        time.sleep(LEASE_SECONDS + 1)

        third = _worker(work, log)
        try:
            done = _until(lambda: (r := run())["state"] == "done" and r, "the run to finish")
        finally:
            third.send_signal(signal.SIGTERM)
            third.wait(timeout=60)
        status = talap(work, "campaign", "status", campaign_id, run_id, "--key", keys["lawyer"])
        assert status.returncode == 0, status.stderr
        assert f"run {run_id}: done" in status.stdout
    progress = done["progress"]
    assert (progress["issued"], progress["sent"], progress["failed"]) == (CASES, CASES, 0)

    wiring = build_wiring(settings)
    try:
        with wiring.db.transaction(read_only=True) as session:
            per_case = Counter(
                dict(
                    session.execute(
                        select(IssuedDocumentRow.case_id, func.count()).group_by(
                            IssuedDocumentRow.case_id
                        )
                    ).all()
                )
            )
    finally:
        wiring.close()
    assert len(per_case) == CASES and set(per_case.values()) == {1}

    by_recipient: dict[str, set[str]] = {}
    for received in mailbox.received:
        message_id = parsed(received.data)["Message-ID"]
        by_recipient.setdefault(received.rcpt_tos[0], set()).add(message_id)
    assert sorted(by_recipient) == sorted(email_of(c) for c in cases)
    assert all(len(ids) == 1 for ids in by_recipient.values())
    # A worker killed after the server took a message and before recording it sends the same
    # message again (same Message-ID): at most one such repeat per killed sending thread.
    assert len(mailbox.received) <= CASES + 2, len(mailbox.received)
