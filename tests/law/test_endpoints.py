"""The provision registry and the rulebook, read as data through the API by any key."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api import Tenant

WARNING_RULE = "warning-after-reminder-delivery"


def test_provisions_are_listed_filtered_and_read_by_any_key(
    client: TestClient, tenant: Tenant
) -> None:
    headers = tenant.headers(tenant.auditor_key)
    listed = client.get("/v1/provisions", headers=headers)
    assert listed.status_code == 200
    ids = {p["id"] for p in listed.json()["provisions"]}
    assert {"housing-34-1-p10", "notary-92-1-p3", "gk-183", "language-15"} <= ids
    notary = client.get("/v1/provisions", params={"act": "notary"}, headers=headers).json()
    assert notary["provisions"] and {p["act"]["id"] for p in notary["provisions"]} == {"notary"}
    one = client.get("/v1/provisions/notary-92-1-p3", headers=headers).json()
    assert one["article"] == "92-1" and one["paragraph"] == "3"
    assert one["editions"][0]["summary"]["ru"] and one["editions"][0]["summary"]["kk"]
    assert one["source"].startswith("https://adilet.zan.kz/")
    missing = client.get("/v1/provisions/no-such-article", headers=headers)
    assert missing.status_code == 404
    assert client.get("/v1/provisions").status_code == 401


def test_rules_are_data_a_lawyer_reads_without_python(client: TestClient, tenant: Tenant) -> None:
    body = client.get("/v1/rules", headers=tenant.headers(tenant.auditor_key)).json()
    rules = {r["id"]: r for r in body["rules"]}
    gate = rules["pretrial-two-month-gate"]
    assert gate["kind"] == "law"
    assert gate["provisions"] == ["housing-34-1-p10", "gk-174", "gk-175"]
    assert gate["description"]["ru"] and gate["description"]["kk"]
    warning = rules[WARNING_RULE]
    assert warning["kind"] == "policy" and warning["provisions"] == []
    assert warning["parameters"]["working_days"][0] == {
        "from": "2025-01-01",
        "value": 10,
        "note": "research A.4: suggested N = 10 working days",
    }
    settings = {s["id"] for s in body["settings"]}
    assert {"restructuring-terms", "segmentation"} <= settings
    assert "34-1" in body["citations"]["housing-34-1-p10"]["ru"]
