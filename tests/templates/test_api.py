"""The template API (issue 9 "API shape"): upload, check, approve by a second lawyer, schedule,
retire, source, redline; and issuing afterwards."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from fastapi.testclient import TestClient

from service.audit import service as audit
from service.bootstrap import Wiring
from service.clock import FixedClock
from service.templates.bundle import MAX_BYTES
from tests.api import Tenant, fixture, key_for
from tests.pdftext import pdf_text
from tests.templates.helpers import NEW_SALUTATION, OLD_SALUTATION, changed_reminder

CASE = "KKT3-21-045"
FIELD_SALUTATION = "Қадірлі меншік иесі! #data.fields.meeting_date"
MEETING_SCHEMA = """
fields:
  - name: fields.meeting_date
    type: date
    required: true
    label: {kk: "Жиналыс күні", ru: "Дата собрания"}
sample:
  meeting_date: "2026-12-15"
"""


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def upload(
    client: TestClient,
    key: str,
    data: bytes,
    *,
    language: str = "kk",
    engine: str = "typst",
    kind: str = "reminder",
    **form: str,
) -> Any:
    return client.post(
        f"/v1/templates/{kind}/{language}/versions",
        files={"source": ("reminder.zip", data, "application/zip")},
        data={"engine": engine, "changelog": "A warmer salutation.", **form},
        headers=bearer(key),
    )


def test_upload_check_approve_schedule_then_issuing_picks_the_new_version(
    client: TestClient,
    wiring: Wiring,
    clock: FixedClock,
    tenant: Tenant,
    contract_case: dict[str, Any],
) -> None:
    author, approver = key_for(wiring, None, "lawyer"), key_for(wiring, None, "lawyer")
    listed = client.get("/v1/templates", headers=bearer(author))
    assert listed.status_code == 200
    reminder = next(t for t in listed.json() if (t["kind"], t["language"]) == ("reminder", "kk"))
    shipped = reminder["live_version"]
    assert reminder["creditor_id"] is None and reminder["stale"] is False
    assert [v["status"] for v in reminder["versions"]] == ["live"]

    data = changed_reminder(wiring)
    created = upload(client, author, data)
    assert created.status_code == 201, created.text
    version = created.json()
    assert version["status"] == "draft" and version["breaking"] == []
    assert version["live_version"] == shipped and version["engine"] == "typst"
    assert created.headers["Location"] == f"/v1/template-versions/{version['id']}"
    vid = version["id"]

    source = client.get(f"/v1/template-versions/{vid}/source", headers=bearer(author))
    assert source.status_code == 200 and hashlib.sha256(source.content).hexdigest() == vid

    checked = client.post(f"/v1/template-versions/{vid}:check", headers=bearer(author))
    assert checked.status_code == 200 and checked.json() == {
        "version": vid,
        "ok": True,
        "problems": [],
    }

    own = client.post(f"/v1/template-versions/{vid}:approve", headers=bearer(author))
    assert own.status_code == 409 and own.json()["error"]["code"] == "self_approval"

    redline = client.get(f"/v1/template-versions/{shipped}/redline/{vid}", headers=bearer(author))
    assert redline.status_code == 200, redline.text
    (changed,) = redline.json()["files"]
    assert changed["name"] == "common/text-reminder.typ" and changed["change"] == "changed"
    assert any(NEW_SALUTATION in line for line in changed["diff"] if line.startswith("+"))

    approved = client.post(f"/v1/template-versions/{vid}:approve", headers=bearer(approver))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"]

    past = clock.now() - dt.timedelta(hours=1)
    refused = client.post(
        f"/v1/template-versions/{vid}:schedule",
        json={"live_from": past.isoformat()},
        headers=bearer(approver),
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "in_the_past"
    live_from = clock.now() + dt.timedelta(days=1)
    scheduled = client.post(
        f"/v1/template-versions/{vid}:schedule",
        json={"live_from": live_from.isoformat()},
        headers=bearer(approver),
    )
    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"

    clock.advance(dt.timedelta(days=2))
    issued = client.post(
        f"/v1/cases/{CASE}/documents", json=fixture("issue-reminder.json"), headers=tenant.headers()
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["template_version"] == vid
    pdf = client.get(f"/v1/documents/{issued.json()['id']}/pdf", headers=tenant.headers())
    text = pdf_text(pdf.content)
    assert NEW_SALUTATION in text and OLD_SALUTATION not in text

    after = client.get(f"/v1/template-versions/{vid}", headers=bearer(author)).json()
    assert after["status"] == "live"
    old = client.get(f"/v1/template-versions/{shipped}", headers=bearer(author)).json()
    assert old["status"] == "superseded"
    live_retire = client.post(f"/v1/template-versions/{vid}:retire", headers=bearer(approver))
    assert live_retire.status_code == 409
    retired = client.post(f"/v1/template-versions/{shipped}:retire", headers=bearer(approver))
    assert retired.status_code == 200 and retired.json()["status"] == "retired"

    with wiring.db.transaction(read_only=True) as session:
        entries, problems = audit.chain_of(session, None)  # the shared templates' chain
    assert problems == []
    actions = [e.action for e in entries if e.subject.startswith("template-version:")]
    assert actions == [
        "TemplateVersionUploaded",
        "TemplateVersionApproved",
        "TemplateVersionScheduled",
        "TemplateVersionRetired",
    ]


def test_an_upload_with_many_problems_gets_them_all_at_once(
    client: TestClient, wiring: Wiring
) -> None:
    author = key_for(wiring, None, "lawyer")
    response = upload(
        client,
        author,
        changed_reminder(wiring),
        engine="wordperfect",
        schema="fields: [{name: fields.x, type: colour}]",
        provisions="housing-34-1-p8,no-such-law",
        kind="reminder",
        language="de",
    )
    assert response.status_code == 422, response.text
    found = {(e["path"], e["code"]) for e in response.json()["errors"]}
    assert found == {
        ("language", "unknown_value"),
        ("engine", "unknown_engine"),
        ("schema.fields.0.type", "unknown_type"),
        ("provisions.1", "unknown_provision"),
    }


def test_a_source_that_does_not_render_is_refused_with_its_file(
    client: TestClient, wiring: Wiring
) -> None:
    author = key_for(wiring, None, "lawyer")
    broken = changed_reminder(wiring, new="#nonexistent-function()")
    response = upload(client, author, broken)
    assert response.status_code == 422, response.text
    assert {e["path"] for e in response.json()["errors"]} == {"source"}


def test_a_source_over_the_limit_is_refused_with_413_naming_it(
    client: TestClient, wiring: Wiring
) -> None:
    author = key_for(wiring, None, "lawyer")
    response = upload(client, author, b"0" * (MAX_BYTES + 1))
    assert response.status_code == 413
    assert "source" in response.json()["error"]["message"]


def test_a_new_required_field_is_breaking_and_issuing_needs_it(
    client: TestClient,
    wiring: Wiring,
    clock: FixedClock,
    tenant: Tenant,
    contract_case: dict[str, Any],
) -> None:
    author, approver = key_for(wiring, None, "lawyer"), key_for(wiring, None, "lawyer")
    data = changed_reminder(wiring, "bilingual", new=FIELD_SALUTATION)
    created = upload(client, author, data, language="bilingual", schema=MEETING_SCHEMA)
    assert created.status_code == 201, created.text
    vid = created.json()["id"]
    assert created.json()["breaking"] == ["fields.meeting_date"]
    assert created.json()["schema"]["fields"][0]["name"] == "fields.meeting_date"
    assert client.post(f"/v1/template-versions/{vid}:approve", headers=bearer(approver)).is_success
    live_from = (clock.now() + dt.timedelta(minutes=1)).isoformat()
    client.post(
        f"/v1/template-versions/{vid}:schedule",
        json={"live_from": live_from},
        headers=bearer(approver),
    )
    clock.advance(dt.timedelta(minutes=2))
    body = {"kind": "reminder", "language": "bilingual"}
    missing = client.post(f"/v1/cases/{CASE}/documents", json=body, headers=tenant.headers())
    assert missing.status_code == 422
    assert {e["path"] for e in missing.json()["errors"]} == {"fields.meeting_date"}
    wrong = client.post(
        f"/v1/cases/{CASE}/documents",
        json={**body, "fields": {"meeting_date": "15.12.2026"}},
        headers=tenant.headers(),
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["code"] == "invalid_date"
    issued = client.post(
        f"/v1/cases/{CASE}/documents",
        json={**body, "fields": {"meeting_date": "2026-12-15"}},
        headers=tenant.headers(),
    )
    assert issued.status_code == 201, issued.text
    pdf = client.get(f"/v1/documents/{issued.json()['id']}/pdf", headers=tenant.headers())
    assert "2026-12-15" in pdf_text(pdf.content)


def test_a_creditor_bound_lawyer_manages_only_its_creditors_versions(
    client: TestClient, wiring: Wiring, tenant: Tenant
) -> None:
    own = key_for(wiring, tenant.creditor_id, "lawyer")
    shared_lawyer = key_for(wiring, None, "lawyer")
    created = upload(client, own, changed_reminder(wiring))
    assert created.status_code == 201, created.text
    assert created.json()["creditor_id"] == tenant.creditor_id
    vid = created.json()["id"]
    # the service's lawyer manages the shared templates, not this creditor's
    other = client.post(f"/v1/template-versions/{vid}:approve", headers=bearer(shared_lawyer))
    assert other.status_code == 404
    listed = client.get("/v1/templates", headers=bearer(own)).json()
    assert any(t["creditor_id"] == tenant.creditor_id for t in listed)
    assert not any(
        t["creditor_id"] for t in client.get("/v1/templates", headers=bearer(shared_lawyer)).json()
    )


def test_the_system_and_auditor_keys_cannot_author(
    client: TestClient, wiring: Wiring, tenant: Tenant
) -> None:
    for key in (tenant.system_key, tenant.auditor_key):
        response = upload(client, key, changed_reminder(wiring))
        assert response.status_code == 403


def test_a_draft_previews_with_the_sample_case_and_with_a_real_case(
    client: TestClient, wiring: Wiring, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    lawyer = key_for(wiring, tenant.creditor_id, "lawyer")
    created = upload(client, lawyer, changed_reminder(wiring))
    assert created.status_code == 201, created.text
    vid = created.json()["id"]
    sample = client.get(f"/v1/template-versions/{vid}/preview", headers=bearer(lawyer))
    assert sample.status_code == 200 and sample.headers["content-type"] == "application/pdf"
    assert NEW_SALUTATION in pdf_text(sample.content)
    real = client.get(
        f"/v1/template-versions/{vid}/preview", params={"case": CASE}, headers=bearer(lawyer)
    )
    assert real.status_code == 200, real.text
    text = pdf_text(real.content)
    assert NEW_SALUTATION in text and contract_case["debtor"]["full_name"].split()[0] in text
