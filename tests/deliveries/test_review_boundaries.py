"""Review of issue 10's endpoints at their edges: odd bodies are precise 4xx (never a 500), and
one creditor can neither write to nor read another creditor's attempts, post lists, webhooks
or case log; an auditor key changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.deliveries import endpoints as delivery_endpoints
from service.deliveries.service import append_event
from service.errors import ValidationFailed
from service.postal import endpoints as postal_endpoints
from tests.api import CASE, Tenant, fixture, issued, make_tenant

OTHER_BIN = "180140000008"


@pytest.fixture
def attempt(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> dict[str, Any]:
    document = issued(client, tenant, {"kind": "reminder", "language": "kk"})
    response = client.post(
        f"/v1/documents/{document['id']}/deliveries",
        json={"channel": "registered_post", "status": "pending", "tracking_number": "T-1"},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def other(wiring: Wiring) -> Tenant:
    return make_tenant(wiring, {**fixture("creditor.json"), "bin": OTHER_BIN})


def _event(client: TestClient, key: str, delivery: str, body: Any) -> Any:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if isinstance(body, bytes):  # what json= cannot write (NaN)
        return client.post(f"/v1/deliveries/{delivery}/events", content=body, headers=headers)
    return client.post(f"/v1/deliveries/{delivery}/events", json=body, headers=headers)


@pytest.mark.parametrize(
    "body",
    [
        [],
        "delivered",
        {"status": 7},
        {"status": "delivered", "occurred_at": "0001-01-01T00:00:00+14:00"},
        {"status": "delivered", "occurred_at": "9999-12-31T23:59:59-12:00"},
        {"status": "delivered", "occurred_at": "not a time"},
        {"status": "delivered", "occurred_on": "2026-02-30"},
        b'{"status": "sent", "details": {"k": NaN}}',
        b'{"status": "sent", "details": {"k": [1, -Infinity]}}',
        {"status": "sent", "details": {"k": "\u0000"}},
        {"status": "sent", "details": {str(i): i for i in range(51)}},
        {"status": "sent", "note": "x" * 100_000},
    ],
)
def test_odd_event_bodies_are_refused_precisely(
    client: TestClient, tenant: Tenant, attempt: dict[str, Any], body: Any
) -> None:
    response = _event(client, tenant.system_key, attempt["id"], body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"], response.text


def test_bad_json_is_refused_naming_the_body(
    client: TestClient, tenant: Tenant, attempt: dict[str, Any]
) -> None:
    response = client.post(
        f"/v1/deliveries/{attempt['id']}/events",
        content=b'{"status": "sent",',
        headers=tenant.headers(**{"Content-Type": "application/json"}),
    )
    assert response.status_code == 422, response.text


def test_another_creditor_cannot_touch_or_see_the_attempt(
    client: TestClient, tenant: Tenant, other: Tenant, attempt: dict[str, Any]
) -> None:
    body = {"status": "delivered", "occurred_at": "2026-11-24T10:00:00+05:00"}
    assert _event(client, other.system_key, attempt["id"], body).status_code == 404
    assert _event(client, tenant.system_key, "no-such-attempt", body).status_code == 404
    assert _event(client, tenant.auditor_key, attempt["id"], body).status_code == 403
    seen = client.get(f"/v1/deliveries/{attempt['id']}", headers=other.headers())
    assert seen.status_code == 404
    by_number = client.post(
        "/v1/deliveries/by-tracking/T-1",
        data={"status": "delivered", "date": "2026-11-24"},
        files={"proof": ("r.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")},
        headers=other.headers(),
    )
    assert by_number.status_code == 404, by_number.text
    mine = client.get(f"/v1/deliveries/{attempt['id']}", headers=tenant.headers()).json()
    assert mine["events"][-1]["status"] == "queued" and len(mine["events"]) == 1


def test_another_creditors_post_list_webhook_and_case_log_are_not_found(
    client: TestClient, tenant: Tenant, other: Tenant, contract_case: dict[str, Any]
) -> None:
    document = issued(client, tenant, {"kind": "reminder", "language": "kk"})
    made = client.post(
        "/v1/post-registers",
        json={"document_ids": [document["id"]], "channel": "hand"},
        headers=tenant.headers(),
    )
    assert made.status_code == 201, made.text
    listed = made.json()["id"]
    for suffix in ("", ".pdf", ".xlsx"):
        response = client.get(f"/v1/post-registers/{listed}{suffix}", headers=other.headers())
        assert response.status_code == 404, (suffix, response.text)
    stolen = client.post(
        "/v1/post-registers",
        json={"document_ids": [document["id"]], "channel": "hand"},
        headers=other.headers(),
    )
    assert stolen.status_code == 404, stolen.text

    hook = client.put(
        "/v1/webhooks/erp",
        json={"url": "https://erp.example.kz/hook", "events": ["document.issued"]},
        headers=tenant.headers(),
    )
    assert hook.status_code == 201, hook.text
    theirs = client.get("/v1/webhooks/erp/deliveries", headers=other.headers())
    assert theirs.status_code == 404
    assert client.get("/v1/webhooks", headers=other.headers()).json() == []
    assert client.delete("/v1/webhooks/erp", headers=other.headers()).status_code == 404
    assert client.get("/v1/webhooks", headers=tenant.headers()).json()[0]["name"] == "erp"

    call = {"kind": "call", "note": "no answer"}
    logged = client.post(f"/v1/cases/{CASE}/log", json=call, headers=tenant.headers())
    assert logged.status_code == 201, logged.text
    assert client.get(f"/v1/cases/{CASE}/log", headers=other.headers()).status_code == 404
    written = client.post(f"/v1/cases/{CASE}/log", json=call, headers=other.headers())
    assert written.status_code == 404
    assert len(client.get(f"/v1/cases/{CASE}/log", headers=tenant.headers()).json()["entries"]) == 1


def test_the_auditor_changes_nothing(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    document = issued(client, tenant, {"kind": "reminder", "language": "kk"})
    auditor = tenant.headers(tenant.auditor_key)
    requests = [
        ("POST", f"/v1/documents/{document['id']}/deliveries", {"channel": "email"}),
        ("POST", "/v1/post-registers", {"document_ids": [document["id"]], "channel": "hand"}),
        ("PUT", "/v1/webhooks/erp", {"url": "https://e.kz/h", "events": ["document.issued"]}),
        ("DELETE", "/v1/webhooks/erp", None),
        ("POST", f"/v1/cases/{CASE}/log", {"kind": "call", "note": "x"}),
    ]
    for method, path, body in requests:
        response = client.request(method, path, json=body, headers=auditor)
        assert response.status_code == 403, (method, path, response.text)


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://erp.example.kz/hook", "events": ["document.issued"]},
        {"url": "https://erp.example.kz/hook", "events": ["document.deleted"]},
        {"url": "https://erp.example.kz/hook", "events": []},
        {"url": "https://erp.example.kz/hook", "events": ["document.issued"], "secret": "short"},
        {"url": "http://[::1/hook", "events": ["document.issued"]},
        {"url": "https://" + "a" * 3000, "events": ["document.issued"]},
        [],
    ],
)
def test_odd_webhooks_are_refused(client: TestClient, tenant: Tenant, body: Any) -> None:
    response = client.put("/v1/webhooks/erp", json=body, headers=tenant.headers())
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "body",
    [
        {"document_ids": [], "channel": "hand"},
        {"document_ids": ["x" * 37], "channel": "hand"},
        {"document_ids": ["nope"], "channel": "pigeon"},
        {"document_ids": ["a"] * 501, "channel": "hand"},
        {"document_ids": "abc", "channel": "hand"},
    ],
)
def test_odd_post_lists_are_refused(client: TestClient, tenant: Tenant, body: Any) -> None:
    response = client.post("/v1/post-registers", json=body, headers=tenant.headers())
    assert response.status_code == 422, response.text


def test_unknown_post_list_and_webhook_are_not_found(client: TestClient, tenant: Tenant) -> None:
    for path in (
        "/v1/post-registers/nope",
        "/v1/post-registers/nope.pdf",
        "/v1/webhooks/x/deliveries",
    ):
        assert client.get(path, headers=tenant.headers()).status_code == 404, path


def test_the_contract_refuses_a_moment_no_day_can_be_made_of(
    wiring: Wiring, attempt: dict[str, Any]
) -> None:
    """A gateway report or DSN dated near year 1 or 9999 reaches ``append_event`` too."""
    far = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))
    with pytest.raises(ValidationFailed) as refused, wiring.db.transaction() as session:
        append_event(
            session,
            wiring.clock,
            wiring.archive,
            delivery_id=attempt["id"],
            status="delivered",
            occurred_at=far,
            source="sms",
        )
    assert refused.value.errors[0].code == "out_of_range"


def test_an_admin_key_without_a_creditor_gets_an_answer_not_a_500(
    client: TestClient, tenant: Tenant, admin_key: str, attempt: dict[str, Any]
) -> None:
    admin = {"Authorization": f"Bearer {admin_key}"}
    hook = {"url": "https://erp.example.kz/hook", "events": ["document.issued"]}
    requests: list[tuple[str, str, Any]] = [
        ("PUT", "/v1/webhooks/erp", hook),
        ("GET", "/v1/webhooks", None),
        ("GET", "/v1/webhooks/erp/deliveries", None),
        ("DELETE", "/v1/webhooks/erp", None),
        (
            "POST",
            "/v1/post-registers",
            {"document_ids": [attempt["document_id"]], "channel": "hand"},
        ),
        ("POST", f"/v1/cases/{CASE}/log", {"kind": "call", "note": "x"}),
        ("GET", f"/v1/cases/{CASE}/log", None),
        ("GET", f"/v1/deliveries/{attempt['id']}", None),
        ("POST", f"/v1/deliveries/{attempt['id']}/events", {"status": "sent"}),
    ]
    for method, path, body in requests:
        response = client.request(method, path, json=body, headers=admin)
        assert response.status_code < 500, (method, path, response.text)


def _chunks(size: int) -> Iterator[bytes]:
    """A body sent chunked: no Content-Length to refuse it by."""
    for _ in range(size // 1024):
        yield b"x" * 1024


def test_a_chunked_upload_is_cut_off_at_the_limit(
    client: TestClient, tenant: Tenant, attempt: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery_endpoints, "MAX_BODY", 64 * 1024)
    monkeypatch.setattr(postal_endpoints, "MAX_BODY", 64 * 1024)
    multipart = tenant.headers(**{"Content-Type": "multipart/form-data; boundary=b"})
    for path in (f"/v1/deliveries/{attempt['id']}/events", "/v1/deliveries/by-tracking/T-1"):
        response = client.post(path, content=_chunks(256 * 1024), headers=multipart)
        assert response.status_code == 413, (path, response.text)
    as_json = tenant.headers(**{"Content-Type": "application/json"})
    response = client.post(
        f"/v1/deliveries/{attempt['id']}/events", content=_chunks(256 * 1024), headers=as_json
    )
    assert response.status_code == 413, response.text
    small = client.post(
        f"/v1/deliveries/{attempt['id']}/events",
        content=iter([b'{"status": ', b'"sent"}']),
        headers=as_json,
    )
    assert small.status_code == 201, small.text


def test_a_body_that_is_not_utf_8_is_refused_as_json(
    client: TestClient, tenant: Tenant, attempt: dict[str, Any]
) -> None:
    response = client.post(
        f"/v1/deliveries/{attempt['id']}/events",
        content=b'{"status": "\xff\xfe"}',
        headers=tenant.headers(**{"Content-Type": "application/json"}),
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["code"] == "invalid_json"
