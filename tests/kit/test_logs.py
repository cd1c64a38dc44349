"""Structured logs: one JSON object a line, the request's id on every line it writes, events for
issued, refused, delivered and verified — and never personal data or a key."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.kit.logs import configure_logging, log_event
from tests.api import CASE, NAME, Tenant, fixture


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    configure_logging("INFO")
    yield capsys
    logger = logging.getLogger("talap")
    logger.handlers.clear()
    logger.propagate = True


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    err = capsys.readouterr().err
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def test_issue_refusal_delivery_and_verify_are_logged_with_the_request_id(
    json_logs: pytest.CaptureFixture[str],
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
) -> None:
    json_logs.readouterr()
    refused = client.post(
        f"/v1/cases/{CASE}/documents",
        json={"kind": "warning", "language": "ru"},
        headers=tenant.headers(**{"X-Request-ID": "req-refused-1"}),
    )
    assert refused.status_code == 422
    issued = client.post(
        f"/v1/cases/{CASE}/documents",
        json=fixture("issue-reminder.json"),
        headers=tenant.headers(**{"X-Request-ID": "req-issue-1"}),
    )
    assert issued.headers["X-Request-ID"] == "req-issue-1"
    document = issued.json()
    delivered = client.post(
        f"/v1/documents/{document['id']}/deliveries",
        json=fixture("delivery.json") | {"delivered_at": "2026-11-24"},
        headers=tenant.headers(),
    )
    assert delivered.status_code == 201
    generated = delivered.headers["X-Request-ID"]
    assert len(generated) == 32
    client.get(f"/v1/documents/{document['id']}/verify", headers=tenant.headers())
    found = lines(json_logs)
    events = {line["event"]: line for line in found}
    assert events["document.refused"]["request_id"] == "req-refused-1"
    assert events["document.refused"]["rules"] == ["warning-after-reminder-delivery"]
    assert events["document.issued"]["request_id"] == "req-issue-1"
    assert events["document.issued"]["number"] == document["number"]
    assert events["delivery.recorded"]["request_id"] == generated
    assert events["document.verified"]["valid"] is True
    text = json.dumps(found, ensure_ascii=False)
    for personal in (NAME, "780412300566", "n.zhaksybekov@example.kz", tenant.system_key):
        assert personal not in text


def test_a_field_that_could_hold_personal_data_is_refused() -> None:
    with pytest.raises(ValueError, match="full_name"):
        log_event(logging.getLogger("talap.test"), "case.stored", full_name="Жақсыбеков")
