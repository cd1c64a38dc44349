"""Drafts that went stale between approval and issuing are refused with their reasons; a
scheduled run only prepares; a rejected run issues nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.campaigns import tasks as campaign_tasks
from service.cases.schemas import CaseIn
from service.cases.service import upsert_case
from service.kit.fields import parse
from service.outbox import tasks as outbox_tasks
from tests.api import Tenant, key_for
from tests.campaigns.builders import case_body, put_cases
from tests.mail.smtp import Mailbox

OUTSTANDING = "69256.00"
"""The contract case's debt on the test day: eight months of 10,608.00 less 15,608.00 paid."""


def _define(client: TestClient, tenant: Tenant, **extra: Any) -> str:
    body = {"name": "Reminders", "kind": "reminder", "channel": "email", **extra}
    created = client.post("/v1/campaigns", json=body, headers=tenant.headers())
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["id"]
    return campaign_id


def _get(client: TestClient, tenant: Tenant, path: str) -> dict[str, Any]:
    found = client.get(path, headers=tenant.headers())
    assert found.status_code == 200, found.text
    body: dict[str, Any] = found.json()
    return body


def _pay(wiring: Wiring, tenant: Tenant, external_id: str, amount: str) -> None:
    body = case_body(external_id, int(external_id.rsplit("-", 1)[1]))
    body["payments"] = [*body["payments"], {"date": "2026-11-23", "amount": amount}]
    with wiring.db.transaction() as session:
        upsert_case(
            session,
            wiring.clock,
            creditor_id=tenant.creditor_id,
            external_id=external_id,
            case_in=parse(CaseIn, body),
            actor="test",
        )


def test_drafts_that_went_stale_are_refused_with_reasons_not_issued(
    client: TestClient, wiring: Wiring, tenant: Tenant, mailbox: Mailbox
) -> None:
    paid_up, paid_some, *_ = put_cases(wiring, tenant, 4, prefix="S")
    campaign = _define(client, tenant)
    started = client.post(f"/v1/campaigns/{campaign}/runs", headers=tenant.headers())
    path = started.headers["Location"]
    outbox_tasks.drain(wiring, rounds=20)
    run = _get(client, tenant, path)
    assert run["state"] == "awaiting_approval" and run["progress"]["prepared"] == 4

    _pay(wiring, tenant, paid_up, OUTSTANDING)  # the whole debt, after preparing
    _pay(wiring, tenant, paid_some, "1000.00")  # a part: the letter would state another sum
    lawyer = tenant.headers(key_for(wiring, tenant.creditor_id, "lawyer"))
    approved = client.post(
        f"{path}:approve", json={"drafts_digest": run["drafts_digest"]}, headers=lawyer
    )
    assert approved.status_code == 200, approved.text
    outbox_tasks.drain(wiring, rounds=20)

    run = _get(client, tenant, path)
    assert run["state"] == "done", run
    progress = run["progress"]
    assert (progress["approved"], progress["issued"], progress["stale"]) == (4, 2, 2)
    assert progress["sent"] == 2 and len(mailbox.wait_for(2)) == 2
    refusals = {r["case"]: r for r in run["refusals"]}
    assert set(refusals) == {paid_up, paid_some}
    assert all(r["status"] == "stale" for r in refusals.values())
    assert refusals[paid_up]["violations"], refusals[paid_up]  # the rules refuse it now
    [changed] = refusals[paid_some]["errors"]
    assert changed["code"] == "changed_since_approval"
    assert "debt." in changed["message"]
    drafts = _get(client, tenant, f"{path}/drafts")["drafts"]
    stale = [d for d in drafts if d["case"] in refusals]
    assert all(d["document_id"] is None for d in stale)


def test_a_scheduled_run_prepares_once_a_month_and_waits(
    client: TestClient, wiring: Wiring, tenant: Tenant, mailbox: Mailbox
) -> None:
    put_cases(wiring, tenant, 2)
    campaign = _define(client, tenant, schedule={"type": "monthly", "day": 20})
    _define(client, tenant, schedule={"type": "monthly", "day": 28})  # not yet due on the 24th
    assert campaign_tasks.start_scheduled(wiring) == 1
    assert campaign_tasks.start_scheduled(wiring) == 0  # one run per campaign and month
    [run] = _get(client, tenant, f"/v1/campaigns/{campaign}/runs")["runs"]
    assert (run["trigger"], run["period"], run["started_by"]) == ("schedule", "2026-11", "schedule")
    outbox_tasks.drain(wiring, rounds=20)
    run = _get(client, tenant, f"/v1/campaigns/{campaign}/runs/{run['id']}")
    assert run["state"] == "awaiting_approval"
    assert run["progress"]["prepared"] == 2 and run["progress"]["issued"] == 0
    assert mailbox.received == []


def test_a_rejected_run_issues_nothing(
    client: TestClient, wiring: Wiring, tenant: Tenant, mailbox: Mailbox
) -> None:
    put_cases(wiring, tenant, 2)
    campaign = _define(client, tenant, language="bilingual", channel="none")
    path = client.post(f"/v1/campaigns/{campaign}/runs", headers=tenant.headers()).headers[
        "Location"
    ]
    outbox_tasks.drain(wiring, rounds=20)
    run = _get(client, tenant, path)
    lawyer = tenant.headers(key_for(wiring, tenant.creditor_id, "lawyer"))
    assert client.post(f"{path}:reject", json={}, headers=tenant.headers()).status_code == 403
    rejected = client.post(f"{path}:reject", json={"reason": "wrong month"}, headers=lawyer)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["state"] == "rejected"
    assert rejected.json()["progress"]["declined"] == 2
    late = client.post(
        f"{path}:approve", json={"drafts_digest": run["drafts_digest"]}, headers=lawyer
    )
    assert late.status_code == 409
    outbox_tasks.drain(wiring, rounds=20)
    assert _get(client, tenant, path)["progress"]["issued"] == 0


def test_a_campaign_is_checked_whole(client: TestClient, tenant: Tenant) -> None:
    bad = client.post(
        "/v1/campaigns",
        json={"name": "x", "kind": "pretrial", "language": "ru", "channel": "email"},
        headers=tenant.headers(),
    )
    assert bad.status_code == 422, bad.text
    assert {e["path"] for e in bad.json()["errors"]} == {"route"}
    auditor = client.post(
        "/v1/campaigns",
        json={"name": "x", "kind": "reminder"},
        headers=tenant.headers(tenant.auditor_key),
    )
    assert auditor.status_code == 403
