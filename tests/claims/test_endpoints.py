"""The notary/court claim through the API (notary law art. 92-1 p. 3, 92-2; ГК 178–179)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.api import Tenant, monthly, put_case

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
