"""The notary/court claim (notary law art. 92-1 p. 3, 92-2; ГК 178–179) and segmentation with
the next lawful step, through the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from service.bootstrap import Container
from service.clock import FixedClock
from tests.conftest import load_fixture
from tests.integration.conftest import Tenant, make_tenant
from tests.integration.rules_builders import deliver, issued, monthly, put_case

CASE = "KKT3-21-045"


def claim(client: TestClient, tenant: Tenant, case: str, route: str) -> dict[str, Any]:
    response = client.get(
        f"/v1/cases/{case}/claim", params={"route": route}, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def acknowledge(client: TestClient, tenant: Tenant, case: str, **fields: Any) -> Any:
    return client.post(
        f"/v1/cases/{case}/acknowledgments",
        json={"source": "letter", **fields},
        headers=tenant.headers(),
    )


def segment(client: TestClient, tenant: Tenant, case: str) -> dict[str, Any]:
    response = client.get(f"/v1/cases/{case}/segment", headers=tenant.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- claim --------------------------------------------------------------------------------


def test_notary_claim_leaves_penalty_out_without_a_written_acknowledgment(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """Notary law art. 92-1 p. 3: no acknowledgment, no penalty on the notary route. Only items
    past the two-month gate are claimed (housing law art. 34-1 p. 10); the rest are listed."""
    body = claim(client, tenant, CASE, "notary")
    assert body["penalty"]["included"] == "0.00"
    assert Decimal(body["penalty"]["left_out"]) > 0
    assert body["penalty"]["provisions"] == ["notary-92-1-p3"]
    assert body["penalty"]["acknowledgment"] is None
    assert [m["period"] for m in body["by_month"]] == ["2026-04", "2026-05", "2026-06", "2026-07"]
    assert set(body["by_month"][1]["contributions"]) == {"current", "accumulative"}
    assert body["total"] == body["principal"]
    assert {x["period"] for x in body["not_yet_claimable"]} == {"2026-08", "2026-09", "2026-10"}
    assert {x["code"] for x in body["not_yet_claimable"]} == {"before_gate"}
    assert [(v["basis"], v["provision"]) for v in body["venues"]] == [
        ("residence", "notary-92-2-p3"),
        ("property", "notary-92-2-p3"),
    ]
    assert body["lawyer_flags"] == []


def test_notary_claim_includes_penalty_with_a_recorded_acknowledgment(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    """With a written acknowledgment dated 20 November 2026 the penalty on claimable items due
    before it is included; not notarised, it carries a lawyer's flag (art. 92-1 p. 3)."""
    assert acknowledge(client, tenant, CASE, date="2026-11-25").status_code == 422  # ahead
    response = acknowledge(client, tenant, CASE, date="2026-11-20", note="signed reply")
    assert response.status_code == 201, response.text
    body = claim(client, tenant, CASE, "notary")
    assert Decimal(body["penalty"]["included"]) > 0
    assert body["penalty"]["acknowledgment"] == {"date": "2026-11-20", "source": "letter"}
    assert Decimal(body["total"]) == Decimal(body["principal"]) + Decimal(
        body["penalty"]["included"]
    )
    assert [f["code"] for f in body["lawyer_flags"]] == ["acknowledgment_not_notarised"]

    notarised = acknowledge(client, tenant, CASE, date="2026-11-23", notarised=True)
    assert notarised.status_code == 201
    assert claim(client, tenant, CASE, "notary")["lawyer_flags"] == []


def test_items_older_than_three_years_are_excluded_for_a_notary_and_flagged_for_a_court(
    client: TestClient, tenant: Tenant
) -> None:
    """Notary law art. 92-2 p. 1–2: August 2023 was due 25 September 2023; three years ended
    25 September 2026, so a notary cannot endorse it on 24 November 2026. In court it stays in
    the claim, flagged for a lawyer (ГК 178, 179)."""
    put_case(client, tenant, "OLD-1", monthly("2023-08", "2026-06"))
    notary = claim(client, tenant, "OLD-1", "notary")
    assert [m["period"] for m in notary["by_month"]] == ["2026-06"]
    (old,) = notary["excluded"]
    assert old["period"] == "2023-08" and old["code"] == "older_than_3_years"
    assert old["three_years_end"] == "2026-09-25"
    assert "notary-92-2-p1-2" in old["provisions"]

    court = claim(client, tenant, "OLD-1", "court")
    assert [m["period"] for m in court["by_month"]] == ["2023-08", "2026-06"]
    assert court["excluded"] == []
    assert [f["code"] for f in court["lawyer_flags"]] == ["lawyer_review_older_than_3_years"]
    assert [v["provision"] for v in court["venues"]] == ["gpk-29"]
    assert Decimal(court["penalty"]["included"]) > 0  # a court needs no acknowledgment


def test_claim_route_must_be_notary_or_court(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/cases/{CASE}/claim", params={"route": "order"}, headers=tenant.headers()
    )
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "route"


# --- segments and the next step -----------------------------------------------------------


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

    reminder = issued(client, tenant, CASE, load_fixture("issue-reminder.json"))
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
    nothing_due = client.get("/v1/cases", params={"due_by": "2026-11-23"}, headers=tenant.headers())
    assert nothing_due.json()["cases"] == []


def test_another_creditors_case_is_not_found(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], container: Container
) -> None:
    other = make_tenant(container)
    for path in ("claim", "segment", "agreements", "acknowledgments"):
        response = client.get(f"/v1/cases/{CASE}/{path}", headers=other.headers())
        assert response.status_code == 404, path
    assert client.get("/v1/cases", headers=other.headers()).json()["cases"] == []
