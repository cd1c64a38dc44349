"""Every input a 4xx naming the field, never a 500 (issue 13 item 2: D5, D9, D10, D18, D19),
through the real HTTP API — on SQLite, and on PostgreSQL with ``TALAP_TEST_DATABASE_URL``
(where a NUL, or a value wider than its column, was a 500)."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.bootstrap import Wiring
from service.cases.models import DebtorRow
from tests.api import CASE, Tenant, fixture, issued

JSON = {"Content-Type": "application/json"}


def _case(**debtor: Any) -> dict[str, Any]:
    body: dict[str, Any] = fixture("case.json")
    body["debtor"] = {**body["debtor"], **debtor}
    return body


def _errors(answer: Any) -> list[tuple[str, str]]:
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "validation_failed"
    return [(e["path"], e["code"]) for e in answer.json()["errors"]]


def test_values_at_the_contracts_maximum_are_stored_and_read_back(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    """The longest id (its audit subject is ``case:`` and 100 characters), the longest name and
    payment reference: stored on PostgreSQL as on SQLite, and a document issued for them."""
    case_id = "Ж" * 100
    name = ("Жақсыбеков Нұрлан " * 30)[:500].strip()
    body = {**_case(full_name=name), "external_id": case_id}
    body["payments"][0]["reference"] = "R" * 200
    stored = client.put(f"/v1/cases/{case_id}", json=body, headers=tenant.headers())
    assert stored.status_code == 201, stored.text
    read = client.get(f"/v1/cases/{case_id}", headers=tenant.headers())
    assert read.status_code == 200, read.text
    assert read.json()["external_id"] == case_id
    with wiring.db.transaction() as session:
        assert session.scalars(select(DebtorRow.full_name)).one() == name
    issued(client, tenant, fixture("issue-reminder.json"), case=case_id)
    history = client.get(f"/v1/cases/{case_id}/history", headers=tenant.headers())
    assert history.status_code == 200, history.text


@pytest.mark.parametrize(
    ("debtor", "path", "code"),
    [
        ({"full_name": "Иванов\u0000Иван"}, "debtor.full_name", "control_character"),
        ({"full_name": "Иванов\u0085Иван"}, "debtor.full_name", "control_character"),
        ({"full_name": "Иванов \u202e00.001 тг"}, "debtor.full_name", "bidi_control"),
        (
            {"postal_address": {"kk": "Алматы\u2066", "ru": "Алматы"}},
            "debtor.postal_address.kk",
            "bidi_control",
        ),
        ({"full_name": "Иванов 😀"}, "debtor.full_name", "missing_glyph"),
        ({"full_name": "王小明"}, "debtor.full_name", "missing_glyph"),
        ({"full_name": "Иванов\u2028Иван"}, "debtor.full_name", "missing_glyph"),
    ],
)
def test_a_case_text_that_cannot_be_stored_or_printed_is_refused_when_stored(
    client: TestClient, tenant: Tenant, debtor: dict[str, Any], path: str, code: str
) -> None:
    answer = client.put(f"/v1/cases/{CASE}", json=_case(**debtor), headers=tenant.headers())
    assert (path, code) in _errors(answer)
    assert "Иванов" not in answer.json()["errors"][0]["message"]  # never echoed


def test_a_nul_in_a_payment_reference_names_the_payment(client: TestClient, tenant: Tenant) -> None:
    body = _case()
    body["payments"][1]["reference"] = "Kaspi\u00004471902"
    answer = client.put(f"/v1/cases/{CASE}", json=body, headers=tenant.headers())
    assert ("payments.1.reference", "control_character") in _errors(answer)


def test_a_creditor_name_no_font_prints_is_refused_at_registration(
    client: TestClient, admin_key: str
) -> None:
    body = fixture("creditor.json")
    body["name"] = {**body["name"], "kk": "ОСИ «Береке» 🏠"}
    answer = client.post(
        "/v1/creditors", json=body, headers={"Authorization": f"Bearer {admin_key}"}
    )
    assert ("name.kk", "missing_glyph") in _errors(answer)


@pytest.mark.parametrize(
    ("path_id", "code"),
    [
        ("X%00", "control_character"),
        ("A%E2%80%AEB", "bidi_control"),
        ("%2E%2E", "invalid_format"),
        ("%2E", "invalid_format"),
        ("%20%20%20", "invalid_format"),
        ("L" * 101, "too_long"),
        ("L" * 10_000, "too_long"),
    ],
)
def test_a_path_id_is_an_identifier_or_a_422_that_does_not_echo_it(
    client: TestClient, tenant: Tenant, path_id: str, code: str
) -> None:
    for method, suffix in (("GET", ""), ("PUT", ""), ("GET", "/history")):
        answer = client.request(
            method, f"/v1/cases/{path_id}{suffix}", json=_case(), headers=tenant.headers()
        )
        assert ("external_id", code) in _errors(answer)
        assert "L" * 20 not in answer.text


def test_the_body_id_follows_the_same_syntax(client: TestClient, tenant: Tenant) -> None:
    answer = client.put(
        f"/v1/cases/{CASE}", json={**_case(), "external_id": ".."}, headers=tenant.headers()
    )
    assert ("external_id", "invalid_format") in _errors(answer)


def test_composed_and_decomposed_spellings_of_an_id_are_one_case(
    client: TestClient, tenant: Tenant
) -> None:
    composed = "Й-Ё-12"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    body = {**_case(), "external_id": decomposed}
    first = client.put(f"/v1/cases/{decomposed}", json=body, headers=tenant.headers())
    assert first.status_code == 201, first.text
    again = client.put(
        f"/v1/cases/{composed}", json={**body, "external_id": composed}, headers=tenant.headers()
    )
    assert again.status_code == 200, again.text  # the same case, updated
    read = client.get(f"/v1/cases/{decomposed}", headers=tenant.headers())
    assert read.json()["external_id"] == composed


@pytest.mark.parametrize("period", ["0000-01", "9999-12", "1899-12", "2101-01"])
def test_a_period_out_of_the_calendars_range_is_a_422(
    client: TestClient, tenant: Tenant, period: str
) -> None:
    body = _case()
    body["charges"][0]["period"] = period
    answer = client.put(f"/v1/cases/{CASE}", json=body, headers=tenant.headers())
    assert ("charges.0.period", "period_invalid") in _errors(answer)


def test_dates_are_bounded_in_every_request(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    body = _case()
    body["payments"][0]["date"] = "0001-01-01"
    answer = client.put(f"/v1/cases/{CASE}", json=body, headers=tenant.headers())
    assert ("payments.0.date", "out_of_range") in _errors(answer)
    deadline = {**fixture("issue-reminder.json"), "deadline": "9999-12-31"}
    for action in ("documents", "documents:explain", "documents:preview"):
        answer = client.post(f"/v1/cases/{CASE}/{action}", json=deadline, headers=tenant.headers())
        assert ("deadline", "out_of_range") in _errors(answer), action


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/v1/cases", "due_by"),
        ("/v1/policy", "on"),
        (f"/v1/cases/{CASE}/history", "from"),
        (f"/v1/cases/{CASE}/history", "to"),
    ],
)
@pytest.mark.parametrize(("value", "code"), [("9999-12-31", "out_of_range"), ("0", "invalid_date")])
def test_days_in_a_query_are_written_out_and_bounded(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    path: str,
    parameter: str,
    value: str,
    code: str,
) -> None:
    """``?due_by=0`` was read as a Unix timestamp (1970-01-01), found by the fuzz lane."""
    answer = client.get(path, params={parameter: value}, headers=tenant.headers())
    assert answer.status_code == 422, answer.text
    assert (parameter, code) in _errors(answer)


def test_model_checks_name_their_field(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    body = _case()
    body["charges"].append(dict(body["charges"][2]))
    answer = client.put(f"/v1/cases/{CASE}", json=body, headers=tenant.headers())
    assert (f"charges.{len(body['charges']) - 1}.period", "charge_duplicate") in _errors(answer)
    document = issued(client, tenant, fixture("issue-reminder.json"))
    undated = {"channel": "registered_post", "status": "delivered"}
    answer = client.post(
        f"/v1/documents/{document['id']}/deliveries", json=undated, headers=tenant.headers()
    )
    assert ("delivered_at", "delivered_at_required") in _errors(answer)


def _unreadable_bodies() -> list[tuple[str, bytes]]:
    return [
        ("not UTF-8", b'{"channel": "\xff"}'),
        ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000),
        ("malformed", b'{"channel": '),
        ("empty", b""),
    ]


@pytest.mark.parametrize(("why", "raw"), _unreadable_bodies())
def test_an_unreadable_body_is_a_422_in_the_error_contract(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], why: str, raw: bytes
) -> None:
    document = issued(client, tenant, fixture("issue-reminder.json"))
    targets = [
        ("PUT", f"/v1/cases/{CASE}", "body"),
        ("POST", f"/v1/cases/{CASE}/documents", "body"),
        ("POST", f"/v1/documents/{document['id']}/deliveries", "delivery"),
        ("POST", "/v1/batches", "body"),
    ]
    for method, url, path in targets:
        answer = client.request(method, url, content=raw, headers=tenant.headers(**JSON))
        errors = _errors(answer)
        assert [p for p, _ in errors] == [path] or why == "empty", (why, url, errors)
        assert errors, (why, url)
        assert not any(p.isdigit() for p, _ in errors), (why, url, errors)  # no offsets


def test_a_multipart_json_part_that_is_not_utf8_names_the_part(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    document = issued(client, tenant, fixture("issue-reminder.json"))
    answer = client.post(
        f"/v1/documents/{document['id']}/deliveries",
        files={"delivery": (None, b"[" * 50_000 + b"]" * 50_000, "application/json")},
        headers=tenant.headers(),
    )
    assert _errors(answer)[0][0] == "delivery"
