"""Segments and the next lawful step through the API, and the creditor's work list."""

from __future__ import annotations

from typing import Any, get_args

from fastapi.testclient import TestClient

from service.clock import FixedClock
from service.rules.history import DocumentKind
from service.segments.endpoints import StepName
from tests.api import CASE, Tenant, deliver, issued, monthly, put_case
from tests.conftest import load_fixture


def segment(client: TestClient, tenant: Tenant, case: str) -> dict[str, Any]:
    response = client.get(f"/v1/cases/{case}/segment", headers=tenant.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_segment_and_next_step_follow_the_ladder(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    """The contract case was in arrears six months running: chronic. Next a reminder, today;
    after it, a warning, which first needs the delivery (no date), then 10 working days."""
    first = segment(client, tenant, CASE)
    assert first["segment"] == "chronic"
    assert [r["code"] for r in first["reasons"]] == ["chronic"]
    assert first["next_step"]["kind"] == "reminder"
    assert first["next_step"]["earliest"] == "2026-11-24"

    reminder = issued(client, tenant, load_fixture("issue-reminder.json"), CASE)
    waiting = segment(client, tenant, CASE)["next_step"]
    assert waiting["kind"] == "warning" and waiting["earliest"] is None
    assert [v["rule"] for v in waiting["blocked_by"]] == ["warning-after-reminder-delivery"]

    deliver(client, tenant, reminder["id"], "2026-11-24")
    timed = segment(client, tenant, CASE)["next_step"]
    assert timed == {"kind": "warning", "earliest": "2026-12-08", "blocked_by": []}


def test_hardship_makes_a_case_temporary_with_a_restructuring_offer_first(
    client: TestClient, tenant: Tenant
) -> None:
    put_case(client, tenant, "HARD-1", monthly("2026-09", "2026-10"))
    assert segment(client, tenant, "HARD-1")["segment"] == "new"
    url = "/v1/cases/HARD-1/hardship"
    ahead = client.post(url, json={"date": "2026-12-01"}, headers=tenant.headers())
    assert ahead.status_code == 422
    flagged = client.post(
        url, json={"date": "2026-11-20", "note": "job loss"}, headers=tenant.headers()
    )
    assert flagged.status_code == 201, flagged.text
    temporary = segment(client, tenant, "HARD-1")
    assert temporary["segment"] == "temporary"
    assert temporary["reasons"][0]["code"] == "hardship"
    assert temporary["next_step"]["kind"] == "restructuring"
    assert temporary["next_step"]["earliest"] == "2026-11-24"

    ended = client.post(url, json={"date": "2026-11-24", "active": False}, headers=tenant.headers())
    assert ended.status_code == 201
    assert segment(client, tenant, "HARD-1")["segment"] == "new"


def test_work_list_filters_cases_by_segment_next_step_and_date(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    put_case(client, tenant, "HARD-1", monthly("2026-09", "2026-10"))
    client.post("/v1/cases/HARD-1/hardship", json={"date": "2026-11-20"}, headers=tenant.headers())

    def listed(**params: str) -> list[str]:
        response = client.get("/v1/cases", params=params, headers=tenant.headers())
        assert response.status_code == 200, response.text
        return [c["external_id"] for c in response.json()["cases"]]

    assert listed() == ["HARD-1", CASE]
    assert listed(segment="chronic") == [CASE]
    assert listed(next_step="restructuring") == ["HARD-1"]
    assert listed(next_step="reminder", due_by="2026-11-24") == [CASE]
    assert listed(segment="clear") == []
    bad = client.get("/v1/cases", params={"segment": "bogus"}, headers=tenant.headers())
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "segment"
    assert bad.json()["errors"][0]["code"] == "unknown_value"
    bad_step = client.get("/v1/cases", params={"next_step": "lawsuit"}, headers=tenant.headers())
    assert bad_step.status_code == 422 and bad_step.json()["errors"][0]["path"] == "next_step"
    nothing_due = client.get("/v1/cases", params={"due_by": "2026-11-23"}, headers=tenant.headers())
    assert nothing_due.json()["cases"] == []


def test_the_next_step_filter_names_every_kind_of_the_ladder_and_none() -> None:
    assert set(get_args(StepName)) == {k.value for k in DocumentKind} | {"none"}
