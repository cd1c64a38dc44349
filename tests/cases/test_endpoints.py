"""Creditors and cases through the API: contract payloads accepted as they are, every field
problem reported at once, nothing stored on bad input."""

from __future__ import annotations

import copy
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.bootstrap import Wiring
from service.cases.models import CaseRow, ChargeRow
from service.creditors.models import CreditorRow
from tests.api import Tenant, make_tenant
from tests.conftest import load_fixture


def paths(response: Any) -> dict[str, str]:
    return {e["path"]: e["code"] for e in response.json()["errors"]}


def test_admin_registers_the_contract_creditor(client: TestClient, admin_key: str) -> None:
    response = client.post(
        "/v1/creditors",
        json=load_fixture("creditor.json"),
        headers={"Authorization": f"Bearer {admin_key}"},
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["id"]) == 36


def test_system_key_may_not_register_creditors(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/v1/creditors", json=load_fixture("creditor.json"), headers=tenant.headers()
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_invalid_creditor_names_every_field_and_stores_nothing(
    client: TestClient, admin_key: str, wiring: Wiring
) -> None:
    creditor = load_fixture("creditor.json")
    creditor["bin"] = "190340018229"
    creditor["accounts"]["current"]["iban"] = "KZ66601A871000234568"
    creditor["accounts"]["savings"]["iban"] = "KZ86601S87100023456"
    del creditor["chairman"]["full_name"]
    response = client.post(
        "/v1/creditors", json=creditor, headers={"Authorization": f"Bearer {admin_key}"}
    )
    assert response.status_code == 422
    assert paths(response) == {
        "bin": "bin_checksum",
        "accounts.current.iban": "iban_invalid",
        "accounts.savings.iban": "iban_invalid",
        "chairman.full_name": "required",
    }
    with wiring.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(CreditorRow)) == 0


def test_put_contract_case_returns_the_computed_debt(contract_case: dict[str, Any]) -> None:
    debt = contract_case["debt"]
    assert debt["as_of"] == "2026-11-24"
    assert debt["totals"]["outstanding"] == "69256.00"
    assert debt["totals"]["overdue"] == "58648.00"
    assert debt["totals"]["past_gate"] == "37432.00"
    assert debt["totals"]["penalty"] != "0.00"
    assert debt["penalty"]["provision"] == "gk-353"
    assert len(debt["lines"]) == 16


def test_put_again_replaces_the_ledger(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    case = load_fixture("case.json")
    case["payments"].append({"date": "2026-11-20", "amount": "58648.00"})
    response = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=tenant.headers())
    assert response.status_code == 200
    assert response.json()["debt"]["totals"]["overdue"] == "0.00"
    with wiring.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 1
        assert session.scalar(select(func.count()).select_from(ChargeRow)) == 16


def test_invalid_case_reports_all_fields_and_stores_nothing(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    case = copy.deepcopy(load_fixture("case.json"))
    case["debtor"]["iin"] = "780412300567"
    case["charges"][0]["period"] = "2026-13"
    case["charges"][1]["amount"] = "-1248.00"
    case["payments"][0]["date"] = "2026-02-30"
    response = client.put("/v1/cases/BAD-1", json=case, headers=tenant.headers())
    assert response.status_code == 422
    assert paths(response) == {
        "debtor.iin": "iin_checksum",
        "charges.0.period": "period_invalid",
        "charges.1.amount": "amount_not_positive",
        "payments.0.date": "invalid_date",
    }
    with wiring.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 0


def test_float_amounts_and_malformed_json_are_refused(client: TestClient, tenant: Tenant) -> None:
    case = load_fixture("case.json")
    case["charges"][0]["amount"] = 9360.1
    response = client.put("/v1/cases/X", json=case, headers=tenant.headers())
    assert response.status_code == 422
    assert paths(response)["charges.0.amount"] == "amount_invalid"
    response = client.put(
        "/v1/cases/X",
        content=b"{not json",
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "invalid_json"


def test_missing_or_unknown_key_is_401(client: TestClient) -> None:
    assert client.get("/v1/cases/X").status_code == 401
    response = client.get("/v1/cases/X", headers={"Authorization": "Bearer tlp_nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_another_creditors_case_is_not_found_on_any_case_path(
    client: TestClient, wiring: Wiring, contract_case: dict[str, Any]
) -> None:
    """Tenancy: every case-scoped read of another creditor's case answers as if it did not
    exist (404, no data), and its work list does not show it."""
    other = load_fixture("creditor.json")
    other["bin"] = "200540012348"
    intruder = make_tenant(wiring, other)
    for path in ("", "/claim", "/segment", "/agreements", "/acknowledgments", "/history"):
        response = client.get(f"/v1/cases/KKT3-21-045{path}", headers=intruder.headers())
        assert response.status_code == 404, path
        assert "Жақсыбеков" not in response.text
    assert client.get("/v1/cases", headers=intruder.headers()).json()["cases"] == []


def test_absurd_amounts_and_unknown_routes_answer_in_json(
    client: TestClient, tenant: Tenant
) -> None:
    case = load_fixture("case.json")
    case["charges"][0]["amount"] = "1e30"
    response = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=tenant.headers())
    assert response.status_code == 422
    assert paths(response)["charges.0.amount"] == "amount_invalid"
    missing = client.get("/v1/no/such/thing", headers=tenant.headers())
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_openapi_documents_the_contract_payloads(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    put_case = spec["paths"]["/v1/cases/{external_id}"]["put"]["requestBody"]
    assert put_case["content"]["application/json"]["schema"]["$ref"].endswith("/CaseIn")
    assert {"CaseIn", "CreditorIn", "IssueIn"} <= set(spec["components"]["schemas"])
    refused = spec["paths"]["/v1/cases/{external_id}"]["put"]["responses"]["422"]
    assert refused["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
