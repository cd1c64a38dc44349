"""How a key is read: the ``Bearer`` scheme in any case (RFC 9110 §11.1), and a client that keeps
sending missing or unknown keys gets ``429`` with ``Retry-After`` until its window passes — with
every key, so a right guess is not told from a wrong one — while other clients go on (D17)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from service.creditors.throttle import FailedAuthThrottle
from service.main import create_app
from tests.api import Tenant

T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "bEaReR"])
def test_the_bearer_scheme_is_case_insensitive(
    client: TestClient, tenant: Tenant, scheme: str
) -> None:
    answer = client.get("/v1/cases", headers={"Authorization": f"{scheme} {tenant.system_key}"})
    assert answer.status_code == 200, answer.text
    # the early permission check (before the body) reads it the same way
    early = client.post(
        "/v1/cases/X/documents",
        json={},
        headers={"Authorization": f"{scheme} {tenant.auditor_key}"},
    )
    assert early.status_code == 403


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token tlp_x", "Bearertlp_x"]
)
def test_anything_but_a_bearer_key_is_a_401(client: TestClient, header: str) -> None:
    answer = client.get("/v1/cases", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"


def test_repeated_401s_from_one_client_are_a_429_until_the_window_passes(
    wiring: Wiring, tenant: Tenant, clock: FixedClock
) -> None:
    limit = wiring.settings.auth_failure_limit
    window = wiring.settings.auth_failure_window_seconds
    assert limit > 0
    app = create_app(wiring)
    guesser = TestClient(app, client=("203.0.113.7", 50000))
    neighbour = TestClient(app, client=("203.0.113.8", 50000))
    wrong = {"Authorization": "Bearer tlp_wrong"}
    for attempt in range(limit):
        answer = (
            guesser.get("/v1/cases", headers=wrong)
            if attempt % 2
            else guesser.post("/v1/cases/X/documents", json={}, headers=wrong)
        )
        assert answer.status_code == 401, attempt
        clock.advance(dt.timedelta(seconds=1))
    blocked = guesser.get("/v1/cases", headers=wrong)
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "too_many_failures"
    retry_after = int(blocked.headers["Retry-After"])
    assert retry_after == window - limit
    # the right key is refused too while the client is blocked, and a changing request as well
    assert guesser.get("/v1/cases", headers=tenant.headers()).status_code == 429
    assert (
        guesser.post("/v1/cases/X/documents", json={}, headers=tenant.headers()).status_code == 429
    )
    # another client is not held for it
    assert neighbour.get("/v1/cases", headers=tenant.headers()).status_code == 200
    assert neighbour.get("/v1/cases", headers=wrong).status_code == 401
    # public pages ask for no key and stay open
    assert guesser.get("/health").status_code == 200

    clock.advance(dt.timedelta(seconds=retry_after))
    assert guesser.get("/v1/cases", headers=tenant.headers()).status_code == 200
    assert guesser.get("/v1/cases", headers=wrong).status_code == 401


def test_429_is_documented_wherever_401_is(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    with_401 = [
        (method, path, op["responses"])
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if "401" in op.get("responses", {})
    ]
    assert len(with_401) > 50
    assert [(m, p) for m, p, responses in with_401 if "429" not in responses] == []


def test_the_throttle_counts_within_its_window_and_forgets_old_clients() -> None:
    throttle = FailedAuthThrottle(3, dt.timedelta(seconds=60), max_clients=2)
    for second in (0, 10, 20):
        assert throttle.retry_after("a", T0 + dt.timedelta(seconds=second)) is None
        throttle.failed("a", T0 + dt.timedelta(seconds=second))
    assert throttle.retry_after("a", T0 + dt.timedelta(seconds=30)) == 30
    assert throttle.retry_after("a", T0 + dt.timedelta(seconds=59, microseconds=1)) == 1
    assert throttle.retry_after("a", T0 + dt.timedelta(seconds=60)) is None  # the first left
    throttle.failed("b", T0)
    throttle.failed("c", T0)  # a third client: "a", failing least recently, is forgotten
    assert throttle.retry_after("a", T0 + dt.timedelta(seconds=30)) is None
    off = FailedAuthThrottle(0, dt.timedelta(seconds=60))
    for _ in range(100):
        off.failed("a", T0)
    assert off.retry_after("a", T0) is None
