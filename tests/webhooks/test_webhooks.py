"""Client webhooks: endpoints registered through the API, events announced from the issuing
and delivery transactions, delivered HMAC-signed to a real loopback receiver, retried from the
outbox with backoff (5xx, 429, timeouts) or given up (other 4xx), every attempt listed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from service.outbox.tasks import RunOutcome, drain
from tests.api import CASE, NAME, Tenant, deliver, issued, make_tenant
from tests.api import fixture as load_fixture
from tests.webhooks.receiver import Receiver, loopback_receiver

SECRET = "whsec_test-secret-0123456789"


@pytest.fixture
def receiver(wiring: Wiring) -> Iterator[Receiver]:
    with loopback_receiver(wiring.clock.now) as running:
        running.secret = SECRET
        yield running


def _register(
    client: TestClient, tenant: Tenant, url: str, events: list[str], name: str = "erp"
) -> Any:
    return client.put(
        f"/v1/webhooks/{name}",
        json={"url": url, "events": events, "secret": SECRET},
        headers=tenant.headers(),
    )


def _attempts(client: TestClient, tenant: Tenant, name: str = "erp") -> list[dict[str, Any]]:
    response = client.get(f"/v1/webhooks/{name}/deliveries", headers=tenant.headers())
    assert response.status_code == 200, response.text
    attempts: list[dict[str, Any]] = response.json()["attempts"]
    return attempts


def _later(wiring: Wiring) -> list[RunOutcome]:
    """A day later (past any backoff), run what is due."""
    clock = wiring.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(clock.today() + dt.timedelta(days=1))
    return drain(wiring)


def test_endpoints_are_registered_listed_replaced_and_deleted(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    created = client.put(
        "/v1/webhooks/erp",
        json={"url": "https://erp.example.kz/talap", "events": ["document.issued"]},
        headers=tenant.headers(),
    )
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    listed = client.get("/v1/webhooks", headers=tenant.headers()).json()
    assert listed == [
        {
            "name": "erp",
            "url": "https://erp.example.kz/talap",
            "events": ["document.issued"],
            "created_at": listed[0]["created_at"],
            "updated_at": listed[0]["updated_at"],
            "secret": None,
        }
    ]
    replaced = client.put(
        "/v1/webhooks/erp",
        json={"url": "https://erp.example.kz/v2", "events": ["agreement.defaulted"]},
        headers=tenant.headers(),
    )
    assert replaced.status_code == 200
    assert replaced.json()["secret"] is None  # kept, never shown again
    refused = client.put(
        "/v1/webhooks/erp",
        json={"url": "ftp://x", "events": ["document.printed"], "secret": "short"},
        headers=tenant.headers(),
    )
    assert refused.status_code == 422
    assert {e["path"] for e in refused.json()["errors"]} == {"url", "events.0", "secret"}
    auditor = client.put(
        "/v1/webhooks/x",
        json={"url": "https://a.kz", "events": ["document.issued"]},
        headers=tenant.headers(tenant.auditor_key),
    )
    assert auditor.status_code == 403
    other = make_tenant(wiring, {**load_fixture("creditor.json"), "bin": "200540012348"})
    assert client.get("/v1/webhooks", headers=other.headers()).json() == []
    assert client.delete("/v1/webhooks/erp", headers=other.headers()).status_code == 404
    assert client.delete("/v1/webhooks/erp", headers=tenant.headers()).status_code == 204
    assert client.get("/v1/webhooks", headers=tenant.headers()).json() == []
    assert client.delete("/v1/webhooks/erp", headers=tenant.headers()).status_code == 404


def test_document_issued_arrives_signed_after_two_failures(
    client: TestClient, tenant: Tenant, wiring: Wiring, receiver: Receiver, contract_case: Any
) -> None:
    assert _register(client, tenant, receiver.url, ["document.issued"]).status_code == 201
    receiver.script = [503, 503]
    document = issued(client, tenant, load_fixture("issue-reminder.json"))
    assert receiver.received == []  # nothing before the outbox runs it

    assert [o.state for o in drain(wiring)] == ["pending"]
    assert [o.state for o in _later(wiring)] == ["pending"]
    assert [o.state for o in _later(wiring)] == ["done"]
    assert _later(wiring) == []  # done once

    assert [d.answered for d in receiver.received] == [503, 503, 200]
    assert all(d.signature_ok for d in receiver.received)
    bodies = {d.body for d in receiver.received}
    assert len(bodies) == 1  # every retry posts the same event
    event = json.loads(bodies.pop())
    assert event["type"] == "document.issued"
    assert event["creditor_id"] == tenant.creditor_id
    assert event["data"]["document_id"] == document["id"]
    assert event["data"]["number"] == document["number"]
    assert event["data"]["sha256"] == document["sha256"]
    assert event["data"]["case"] == CASE
    assert NAME not in json.dumps(event, ensure_ascii=False)  # no debtor data
    headers = receiver.received[-1].headers
    assert headers["Talap-Event"] == "document.issued"
    assert headers["Talap-Event-Id"] == event["id"]
    timestamps = [d.headers["Talap-Timestamp"] for d in receiver.received]
    assert len(set(timestamps)) == 3  # signed afresh for each try

    attempts = _attempts(client, tenant)
    assert [(a["attempt"], a["outcome"], a["status_code"]) for a in attempts] == [
        (3, "delivered", 200),
        (2, "retry", 503),
        (1, "retry", 503),
    ]
    assert [a["error"] for a in attempts] == [None, "HTTP 503", "HTTP 503"]
    assert all(a["event_id"] == event["id"] and a["duration_ms"] >= 0 for a in attempts)


def test_a_client_error_is_final_and_429_is_retried(
    client: TestClient, tenant: Tenant, wiring: Wiring, receiver: Receiver, contract_case: Any
) -> None:
    assert _register(client, tenant, receiver.url, ["document.issued"]).status_code == 201
    receiver.script = [429, 410]
    issued(client, tenant, load_fixture("issue-reminder.json"))
    assert [o.state for o in drain(wiring)] == ["pending"]
    assert [o.state for o in _later(wiring)] == ["dead"]
    assert _later(wiring) == []
    attempts = _attempts(client, tenant)
    assert [(a["outcome"], a["status_code"]) for a in attempts] == [
        ("failed", 410),
        ("retry", 429),
    ]


def test_a_receiver_that_does_not_answer_is_retried(
    client: TestClient, tenant: Tenant, wiring: Wiring, contract_case: Any
) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
        assert _register(client, tenant, url, ["document.issued"]).status_code == 201
        issued(client, tenant, load_fixture("issue-reminder.json"))
        quick = dataclasses.replace(
            wiring, settings=wiring.settings.model_copy(update={"webhook_timeout": 0.3})
        )
        assert [o.state for o in drain(quick)] == ["pending"]
    (attempt,) = _attempts(client, tenant)
    assert (attempt["outcome"], attempt["status_code"], attempt["error"]) == (
        "retry",
        None,
        "timed out",
    )


def test_a_deleted_endpoint_receives_nothing_more(
    client: TestClient, tenant: Tenant, wiring: Wiring, receiver: Receiver, contract_case: Any
) -> None:
    assert _register(client, tenant, receiver.url, ["document.issued"]).status_code == 201
    issued(client, tenant, load_fixture("issue-reminder.json"))
    assert client.delete("/v1/webhooks/erp", headers=tenant.headers()).status_code == 204
    assert [o.state for o in drain(wiring)] == ["dead"]
    assert receiver.received == []


def test_delivery_outcome_changed_is_announced_once_per_change(
    client: TestClient, tenant: Tenant, wiring: Wiring, receiver: Receiver, contract_case: Any
) -> None:
    assert _register(client, tenant, receiver.url, ["delivery.outcome_changed"]).status_code == 201
    document = issued(client, tenant, load_fixture("issue-reminder.json"))
    deliver(client, tenant, document["id"], "2026-11-24")
    assert [o.state for o in drain(wiring)] == ["done"]
    (delivery,) = receiver.received
    event = json.loads(delivery.body)
    assert event["type"] == "delivery.outcome_changed"
    assert event["data"]["document_id"] == document["id"]
    assert event["data"]["outcome"] == "delivered"
    assert event["data"]["previous_outcome"] == "unknown"
    assert event["data"]["legal_date"] == "2026-11-24"


def test_an_agreement_default_is_announced_once(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    receiver: Receiver,
    contract_case: Any,
    clock: FixedClock,
) -> None:
    """The first instalment (11 January 2027) unpaid: default from 11 February 2027 (as in
    tests/agreements). A case PUT that day announces it; later writes and scans do not again."""
    from service.agreements.service import announce_all_defaults
    from tests.agreements.test_endpoints import ladder_to_agreement, sign
    from tests.api import record_waiver_mandate

    record_waiver_mandate(client, tenant)
    assert _register(client, tenant, receiver.url, ["agreement.defaulted"]).status_code == 201
    document = ladder_to_agreement(client, tenant, clock)
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, document["id"], "2026-12-09").status_code == 200
    case = load_fixture("case.json")
    clock.move_to(dt.date(2027, 2, 10))
    assert client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 200
    assert drain(wiring) == []  # late, not yet in default
    clock.move_to(dt.date(2027, 2, 11))
    assert client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 200
    assert [o.state for o in drain(wiring)] == ["done"]
    assert client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 200
    with wiring.db.transaction() as session:
        assert announce_all_defaults(session, clock, wiring.law.calendar) == 0
    assert drain(wiring) == []
    (delivery,) = receiver.received
    event = json.loads(delivery.body)
    assert event["type"] == "agreement.defaulted"
    assert event["data"]["document_id"] == document["id"]
    assert event["data"]["number"] == document["number"]
    assert event["data"]["defaulted_on"] == "2027-02-11"
    assert event["data"]["case"] == CASE


def test_the_periodic_scan_finds_a_default_reached_by_time_alone(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    receiver: Receiver,
    contract_case: Any,
    clock: FixedClock,
) -> None:
    from service.agreements.service import announce_all_defaults
    from tests.agreements.test_endpoints import ladder_to_agreement, sign
    from tests.api import record_waiver_mandate

    record_waiver_mandate(client, tenant)
    assert _register(client, tenant, receiver.url, ["agreement.defaulted"]).status_code == 201
    document = ladder_to_agreement(client, tenant, clock)
    clock.move_to(dt.date(2026, 12, 9))
    assert sign(client, tenant, document["id"], "2026-12-09").status_code == 200
    clock.move_to(dt.date(2027, 3, 1))
    queue: Any = wiring.queue  # its hourly periodic job runs the same scan
    assert "agreements.announce_defaults" in {t.name for t in queue.huey._registry.periodic_tasks}
    queue._bind(wiring)
    assert queue.announce_defaults() == 1
    with wiring.db.transaction() as session:
        assert announce_all_defaults(session, clock, wiring.law.calendar) == 0
    assert [o.state for o in drain(wiring)] == ["done"]
    assert json.loads(receiver.received[0].body)["data"]["defaulted_on"] == "2027-02-11"


def test_the_announce_defaults_command_runs_on_an_empty_database(
    tmp_path: Any,
    database_settings: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from service.cli import main

    monkeypatch.setenv("TALAP_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("TALAP_DATABASE_URL", database_settings["database_url"])
    if "database_schema" in database_settings:
        monkeypatch.setenv("TALAP_DATABASE_SCHEMA", database_settings["database_schema"])
    assert main(["announce-defaults"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "0"
