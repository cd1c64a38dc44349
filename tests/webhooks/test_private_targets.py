"""SSRF: by default a webhook is not posted to a host that resolves to a loopback, private or
link-local address — the attempt is logged as failed with the reason and not retried; with
``TALAP_WEBHOOK_PRIVATE_TARGETS`` (this directory's tests, an on-premises receiver) it is."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.outbox.tasks import drain
from service.webhooks.tasks import private_target
from tests.api import Tenant, issued
from tests.api import fixture as load_fixture
from tests.webhooks.receiver import Receiver, loopback_receiver

SECRET = "whsec_test-secret-0123456789"


@pytest.fixture
def receiver(wiring: Wiring) -> Iterator[Receiver]:
    with loopback_receiver(wiring.clock.now) as running:
        running.secret = SECRET
        yield running


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8080/hook", "127.0.0.1"),
        ("http://localhost/hook", None),  # resolves to loopback: some address is reported
        ("http://10.1.2.3/hook", "10.1.2.3"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("http://[::1]/hook", "::1"),
        ("http://[fd00::1]/hook", "fd00::1"),
        ("https://93.184.215.14/hook", ""),
        ("https://no-such-host.invalid/hook", ""),
    ],
)
def test_which_targets_are_not_public(url: str, address: str | None) -> None:
    found = private_target(url)
    if address is None:
        assert found is not None
    elif address == "":
        assert found is None
    else:
        assert found == address


def test_a_webhook_to_loopback_is_refused_by_default_and_not_retried(
    client: TestClient, tenant: Tenant, wiring: Wiring, receiver: Receiver, contract_case: Any
) -> None:
    registered = client.put(
        "/v1/webhooks/erp",
        json={"url": receiver.url, "events": ["document.issued"], "secret": SECRET},
        headers=tenant.headers(),
    )
    assert registered.status_code == 201, registered.text
    issued(client, tenant, load_fixture("issue-reminder.json"))
    guarded = dataclasses.replace(
        wiring, settings=wiring.settings.model_copy(update={"webhook_private_targets": False})
    )
    assert [o.state for o in drain(guarded)] == ["dead"]
    assert receiver.received == []
    listed = client.get("/v1/webhooks/erp/deliveries", headers=tenant.headers()).json()
    [attempt] = listed["attempts"]
    assert attempt["outcome"] == "failed" and attempt["status_code"] is None
    assert attempt["error"] == "refused: the host resolves to 127.0.0.1, not a public address"


def test_allowed_the_same_webhook_is_delivered(
    client: TestClient, tenant: Tenant, wiring: Wiring, receiver: Receiver, contract_case: Any
) -> None:
    assert wiring.settings.webhook_private_targets  # this directory's conftest
    client.put(
        "/v1/webhooks/erp",
        json={"url": receiver.url, "events": ["document.issued"], "secret": SECRET},
        headers=tenant.headers(),
    )
    issued(client, tenant, load_fixture("issue-reminder.json"))
    assert [o.state for o in drain(wiring)] == ["done"]
    assert [d.signature_ok for d in receiver.received] == [True]
