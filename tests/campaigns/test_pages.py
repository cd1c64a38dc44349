"""The lawyer's page of runs waiting for approval: it shows what a run prepared and approves
exactly those drafts through its form (CSRF checked); an auditor sees no form."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.outbox import tasks as outbox_tasks
from tests.api import Tenant, key_for
from tests.campaigns.builders import put_cases
from tests.mail.smtp import Mailbox
from tests.web.helpers import logged_in


def test_a_lawyer_approves_a_waiting_run_from_the_page(
    client: TestClient, wiring: Wiring, tenant: Tenant, mailbox: Mailbox
) -> None:
    put_cases(wiring, tenant, 2)
    body = {"name": "Қараша", "kind": "reminder", "channel": "none"}
    campaign = client.post("/v1/campaigns", json=body, headers=tenant.headers()).json()["id"]
    path = client.post(f"/v1/campaigns/{campaign}/runs", headers=tenant.headers()).headers[
        "Location"
    ]
    outbox_tasks.drain(wiring, rounds=20)
    run = client.get(path, headers=tenant.headers()).json()

    auditor = TestClient(client.app)
    logged_in(auditor, tenant.auditor_key)
    seen = auditor.get("/ui/campaigns")
    assert seen.status_code == 200 and 'id="no-right"' in seen.text
    assert "/approve" not in seen.text

    token = logged_in(client, key_for(wiring, tenant.creditor_id, "lawyer"))
    page = client.get("/ui/campaigns")
    assert page.status_code == 200, page.text
    assert f'id="run-{run["id"]}"' in page.text and run["drafts_digest"] in page.text
    assert "Еске салу хат" in page.text and "жіберілмейді" in page.text  # codes in words
    action = f"/ui/campaigns/{campaign}/runs/{run['id']}/approve"
    forged = client.post(action, data={"csrf_token": "x", "drafts_digest": run["drafts_digest"]})
    assert forged.status_code == 403
    done = client.post(
        action,
        data={"csrf_token": token, "drafts_digest": run["drafts_digest"]},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    outbox_tasks.drain(wiring, rounds=20)
    after = client.get(path, headers=tenant.headers()).json()
    assert after["state"] == "done" and after["progress"]["issued"] == 2
    finished = client.get("/ui/campaigns").text
    assert 'id="none-waiting"' in finished and 'data-state="done">аяқталды<' in finished
