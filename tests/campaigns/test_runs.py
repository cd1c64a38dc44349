"""A campaign over 200 cases, in process: 200 drafts and nothing issued or queued before a
person approves; a system key cannot approve; after a lawyer's approval, 200 documents and 200
e-mails through a real SMTP server, with the progress read from the API as it goes."""

from __future__ import annotations

from email import message_from_bytes
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.audit import repository as audit_rows
from service.bootstrap import Wiring
from service.documents.models import IssuedDocumentRow
from service.outbox import tasks as outbox_tasks
from service.outbox.models import OutboxRow
from tests.api import Tenant, key_for
from tests.campaigns.builders import email_of, put_cases
from tests.mail.smtp import Mailbox

CAMPAIGN = {
    "name": "Ноябрьские напоминания",
    "kind": "reminder",
    "language": "preferred",
    "channel": "email",
    "filter": {"min_overdue": "1000.00", "external_id_prefix": "C-"},
    "schedule": {"type": "monthly", "day": 26},
}


def _count(wiring: Wiring, model: Any, *where: Any) -> int:
    with wiring.db.transaction(read_only=True) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _run(client: TestClient, tenant: Tenant, path: str) -> dict[str, Any]:
    response = client.get(path, headers=tenant.headers())
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_a_campaign_prepares_waits_for_a_person_then_issues_and_sends_each_once(
    client: TestClient, wiring: Wiring, tenant: Tenant, mailbox: Mailbox
) -> None:
    cases = put_cases(wiring, tenant, 200)
    put_cases(wiring, tenant, 3, prefix="X")  # outside the filter
    created = client.post("/v1/campaigns", json=CAMPAIGN, headers=tenant.headers())
    assert created.status_code == 201, created.text
    campaign = created.json()
    started = client.post(f"/v1/campaigns/{campaign['id']}/runs", headers=tenant.headers())
    assert started.status_code == 202, started.text
    path = started.headers["Location"]
    assert started.json()["state"] == "selecting"

    outbox_tasks.drain(wiring, rounds=20)
    run = _run(client, tenant, path)
    assert run["state"] == "awaiting_approval", run
    assert run["progress"]["total"] == 200
    assert run["progress"]["prepared"] == 200
    assert run["progress"]["refused"] == 0
    assert _count(wiring, IssuedDocumentRow) == 0
    assert _count(wiring, OutboxRow, OutboxRow.topic == "email.send") == 0
    drafts = client.get(f"{path}/drafts", headers=tenant.headers()).json()["drafts"]
    assert sorted(d["case"] for d in drafts) == cases
    assert {d["language"] for d in drafts} == {"kk"}  # the debtors' own language
    assert all(d["number"] is None and d["document_id"] is None for d in drafts)
    preview = client.get(f"{path}/drafts/{cases[0]}/pdf", headers=tenant.headers())
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")

    digest = run["drafts_digest"]
    system = client.post(
        f"{path}:approve", json={"drafts_digest": digest}, headers=tenant.headers()
    )
    assert system.status_code == 403, system.text
    lawyer = tenant.headers(key_for(wiring, tenant.creditor_id, "lawyer"))
    wrong = client.post(f"{path}:approve", json={"drafts_digest": "0" * 64}, headers=lawyer)
    assert wrong.status_code == 409, wrong.text
    outbox_tasks.drain(wiring)
    assert _count(wiring, IssuedDocumentRow) == 0  # still nothing

    approved = client.post(f"{path}:approve", json={"drafts_digest": digest}, headers=lawyer)
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "issuing"
    assert approved.json()["decided_by"].startswith("api_key:")
    again = client.post(f"{path}:approve", json={"drafts_digest": digest}, headers=lawyer)
    assert again.status_code == 409

    seen: list[int] = []
    while due := outbox_tasks.sweep(wiring):  # one job at a time, reading progress between
        outbox_tasks.run_item(wiring, due[0])
        seen.append(_run(client, tenant, path)["progress"]["issued"])
    assert 0 < seen[0] < 200 and seen[-1] == 200, seen  # progress visible while it ran
    run = _run(client, tenant, path)
    assert run["state"] == "done", run
    progress = run["progress"]
    assert (progress["approved"], progress["issued"], progress["sent"]) == (200, 200, 200)
    assert progress["stale"] == progress["failed"] == progress["send_failed"] == 0
    assert _count(wiring, IssuedDocumentRow) == 200
    received = mailbox.wait_for(200)
    assert len(received) == 200
    ids = {message_from_bytes(r.data)["Message-ID"] for r in received}
    assert len(ids) == 200
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(email_of(c) for c in cases)

    with wiring.db.transaction(read_only=True) as session:
        [approval] = [
            e
            for e in audit_rows.events_for(session, tenant.creditor_id)
            if e.action == "CampaignRunApproved"
        ]
    assert approval.actor == run["decided_by"]  # the lawyer's key, not the run's system identity
    assert approval.payload["drafts_digest"] == digest == run["drafts_digest"]
    assert approval.payload["drafts"] == 200
