"""The statement lists each delivery attempt as the new model records it: channel, tracking
number, status (an e-mail only sent says it has no receipt), date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from service.clock import FixedClock
from tests.api import Tenant, issued
from tests.documents.test_statement import in_order, statement


def test_a_statement_shows_a_sent_e_mail_without_receipt_and_a_failed_sms(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    reminder = issued(client, tenant, {"kind": "reminder", "language": "ru"})
    url = f"/v1/documents/{reminder['id']}/deliveries"
    for body in (
        {"channel": "email", "status": "sent"},
        {"channel": "sms", "status": "failed"},
        {"channel": "courier", "status": "pending", "tracking_number": "CR-77"},
    ):
        assert client.post(url, json=body, headers=tenant.headers()).status_code == 201
    clock.move_to(dt.date(2026, 11, 25))
    _, text = statement(client, tenant, "ru")
    assert in_order(
        text,
        reminder["number"],
        "электронная почта: отправлено, уведомления о получении нет",
        "SMS: не доставлено",
        "курьер № CR-77: в пути",
    )
