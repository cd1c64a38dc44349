"""The rules through the API: the ladder's waiting periods and the two-month gate with their
``passes_on``, and per-creditor policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from service.audit.repository import events_for
from service.bootstrap import Wiring
from service.clock import FixedClock
from service.creditors.service import create_key
from tests.api import (
    Tenant,
    deliver,
    explain,
    fixture,
    issue,
    issued,
    make_tenant,
    monthly,
    put_case,
    rules_of,
    violation,
)

REMINDER = {"kind": "reminder", "language": "kk"}
WARNING = {"kind": "warning", "language": "ru"}
PRETRIAL = {"kind": "pretrial", "language": "ru", "route": "notary"}
WARNING_RULE = "warning-after-reminder-delivery"


# --- the ladder's waiting periods and the gate ----------------------------------------------


def test_warning_waits_n_working_days_from_the_reminders_delivery_skipping_nauryz(
    client: TestClient, tenant: Tenant, clock: FixedClock
) -> None:
    """Rule warning-after-reminder-delivery (policy, N = 10 working days, from DELIVERY):
    delivered Wednesday 17 March 2027; 22–24 March are Nauryz days off (legal/calendar/kz.yaml),
    so the tenth working day is Monday 5 April, not Wednesday 31 March."""
    clock.move_to(dt.date(2027, 3, 15))
    put_case(client, tenant, "NAURYZ-1", monthly("2026-12", "2027-01"))
    reminder = issued(client, tenant, REMINDER, "NAURYZ-1")

    undelivered = issue(client, tenant, WARNING, "NAURYZ-1")
    assert undelivered.status_code == 422
    refusal = violation(undelivered.json(), WARNING_RULE)
    assert refusal["kind"] == "policy" and refusal["provision"] is None
    assert refusal["passes_on"] is None  # a delivery must happen first, not just time
    assert "not a legal requirement" in refusal["message"]

    clock.move_to(dt.date(2027, 3, 17))
    deliver(client, tenant, reminder["id"], "2027-03-17")
    clock.move_to(dt.date(2027, 4, 2))
    early = issue(client, tenant, WARNING, "NAURYZ-1")
    assert early.status_code == 422
    assert rules_of(early.json()) == {WARNING_RULE}
    assert violation(early.json(), WARNING_RULE)["passes_on"] == "2027-04-05"

    clock.move_to(dt.date(2027, 4, 5))
    trace = explain(client, tenant, WARNING, "NAURYZ-1")
    assert trace["allowed"] is True
    entry = next(t for t in trace["trace"] if t["rule"] == WARNING_RULE)
    assert entry["outcome"] == "pass" and entry["parameters"]["working_days"] == 10
    assert issue(client, tenant, WARNING, "NAURYZ-1").status_code == 201


def test_pretrial_is_refused_before_the_two_month_gate_with_passes_on(
    client: TestClient, tenant: Tenant, clock: FixedClock
) -> None:
    """Rule pretrial-two-month-gate (law: housing law art. 34-1 p. 10, ГК 174 p. 3, ГК 175):
    February 2027's contribution is due 25 March; + 2 months ends 25 May (a Tuesday), so the
    letter may go out from 26 May. All violations come at once."""
    clock.move_to(dt.date(2027, 5, 20))
    put_case(client, tenant, "GATE-1", monthly("2027-02"))
    refused = issue(client, tenant, PRETRIAL, "GATE-1")
    assert refused.status_code == 422
    gate = violation(refused.json(), "pretrial-two-month-gate")
    assert gate["kind"] == "law"
    assert gate["provision"] == "housing-34-1-p10"
    assert gate["passes_on"] == "2027-05-26"
    # No warning was delivered either: reported in the same answer, as policy.
    assert violation(refused.json(), "pretrial-after-warning-deadline")["kind"] == "policy"

    clock.move_to(dt.date(2027, 5, 26))
    trace = explain(client, tenant, PRETRIAL, "GATE-1")
    assert "pretrial-two-month-gate" not in rules_of(trace)


def test_gate_month_end_clamp_and_non_working_end(
    client: TestClient, tenant: Tenant, clock: FixedClock
) -> None:
    """ГК 174 p. 3 and 175: a target contribution due 31 December 2026 + 2 months ends on
    28 February 2027 (no 31 February), a Sunday, so the period ends Monday 1 March and the
    gate opens on 2 March."""
    clock.move_to(dt.date(2027, 2, 15))
    charge = {"period": "2026-11", "contribution": "target", "amount": "20000.00"}
    put_case(client, tenant, "GATE-2", [{**charge, "due_date": "2026-12-31"}])
    trace = explain(client, tenant, PRETRIAL, "GATE-2")
    assert violation(trace, "pretrial-two-month-gate")["passes_on"] == "2027-03-02"


# --- per-creditor policy --------------------------------------------------------------------


def _reminder_delivered(client: TestClient, tenant: Tenant, clock: FixedClock) -> None:
    clock.move_to(dt.date(2026, 11, 24))
    put_case(client, tenant, "POLICY-1", monthly("2026-08", "2026-09"))
    # three days to pay: the deadline counted from delivery (#13) ends before the waiting period
    reminder = issued(client, tenant, {**REMINDER, "deadline": "2026-11-27"}, "POLICY-1")
    deliver(client, tenant, reminder["id"], "2026-11-24")


def test_a_policy_change_for_one_creditor_changes_its_outcome_and_no_other(
    client: TestClient, wiring: Wiring, clock: FixedClock
) -> None:
    """Rule warning-after-reminder-delivery with working_days 5 for creditor A only: five
    working days after a delivery on 24 November 2026 A may warn (1 December); B, on the
    default 10, still waits until 8 December."""
    a = make_tenant(wiring)
    b = make_tenant(wiring, {**fixture("creditor.json"), "bin": "200540012348"})
    _reminder_delivered(client, a, clock)
    _reminder_delivered(client, b, clock)
    clock.move_to(dt.date(2026, 12, 2))

    change = {"overrides": {WARNING_RULE: {"working_days": 5}}}
    response = client.put("/v1/policy", json=change, headers=a.headers())
    assert response.status_code == 200, response.text
    rule = next(r for r in response.json()["rules"] if r["id"] == WARNING_RULE)
    assert rule["effective"]["working_days"] == 5 and rule["defaults"]["working_days"] == 10
    assert rule["overridden"] == ["working_days"]
    assert rule["override"]["effective_from"] == "2026-12-02"

    a_trace = explain(client, a, WARNING, "POLICY-1")
    assert a_trace["allowed"] is True
    a_entry = next(t for t in a_trace["trace"] if t["rule"] == WARNING_RULE)
    assert a_entry["overridden"] == ["working_days"]
    b_refused = issue(client, b, WARNING, "POLICY-1")
    assert b_refused.status_code == 422
    assert violation(b_refused.json(), WARNING_RULE)["passes_on"] == "2026-12-08"
    assert issue(client, a, WARNING, "POLICY-1").status_code == 201

    b_policy = client.get("/v1/policy", headers=b.headers()).json()
    b_rule = next(r for r in b_policy["rules"] if r["id"] == WARNING_RULE)
    assert b_rule["effective"]["working_days"] == 10 and b_rule["override"] is None
    with wiring.db.transaction(read_only=True) as session:
        actions = [e.action for e in events_for(session, a.creditor_id)]
        assert "PolicyChanged" in actions
        assert "PolicyChanged" not in [e.action for e in events_for(session, b.creditor_id)]


def test_policy_overrides_are_refused_field_by_field_and_law_is_not_configurable(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    body = {
        "overrides": {
            "pretrial-two-month-gate": {"enabled": False},
            WARNING_RULE: {"working_days": "five", "weeks": 2},
            "no-such-rule": {},
        },
        "effective_from": "2026-11-01",
    }
    response = client.put("/v1/policy", json=body, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "override_refused"
    errors = {(e["path"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        ("overrides.pretrial-two-month-gate", "law_rule"),
        (f"overrides.{WARNING_RULE}.working_days", "type"),
        (f"overrides.{WARNING_RULE}.weeks", "unknown_parameter"),
        ("overrides.no-such-rule", "unknown_rule"),
        ("effective_from", "in_past"),
    }
    auditor = client.put(
        "/v1/policy",
        json={"overrides": {WARNING_RULE: {"working_days": 5}}},
        headers=tenant.headers(tenant.auditor_key),
    )
    assert auditor.status_code == 403
    with wiring.db.transaction() as session:
        lawyer = create_key(session, wiring.clock, creditor_id=tenant.creditor_id, role="lawyer")
    assert client.get("/v1/policy", headers=tenant.headers(lawyer)).status_code == 200


def test_policy_history_is_kept_and_a_future_change_waits_for_its_date(
    client: TestClient, tenant: Tenant, admin_key: str
) -> None:
    admin = {"Authorization": f"Bearer {admin_key}"}
    unnamed = client.put(
        "/v1/policy", json={"overrides": {WARNING_RULE: {"working_days": 7}}}, headers=admin
    )
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["path"] == "creditor"
    later = {"overrides": {WARNING_RULE: {"working_days": 7}}, "effective_from": "2026-12-10"}
    params = {"creditor": tenant.creditor_id}
    assert client.put("/v1/policy", json=later, headers=admin, params=params).status_code == 200
    reset = {"overrides": {WARNING_RULE: {}}, "effective_from": "2027-01-01"}
    assert client.put("/v1/policy", json=reset, headers=tenant.headers()).status_code == 200

    def working_days(on: str | None = None) -> Any:
        query = {"on": on} if on else {}
        policy = client.get("/v1/policy", params=query, headers=tenant.headers()).json()
        return next(r for r in policy["rules"] if r["id"] == WARNING_RULE)["effective"][
            "working_days"
        ]

    assert working_days() == 10
    assert working_days("2026-12-10") == 7
    assert working_days("2027-01-01") == 10
    history = client.get("/v1/policy", headers=tenant.headers()).json()["history"]
    assert [(h["effective_from"], h["parameters"]) for h in history] == [
        ("2026-12-10", {"working_days": 7}),
        ("2027-01-01", {}),
    ]
    assert history[0]["actor"].startswith("api_key:")


def test_policy_on_a_date_before_any_rule_parameter_is_a_field_error(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/policy?on=0351-09-21", headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "on"
