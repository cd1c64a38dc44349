"""The case log over HTTP: entries of every kind with author and time, promises judged from the
case's payments, audit events in the case history, segmentation, refusals naming the field."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from tests.api import Tenant, key_for, make_tenant, monthly, put_case
from tests.conftest import load_fixture

CASE = "LOG-1"


def log_entry(client: TestClient, tenant: Tenant, body: dict[str, Any], case: str = CASE) -> Any:
    return client.post(f"/v1/cases/{case}/log", json=body, headers=tenant.headers())


def logged(client: TestClient, tenant: Tenant, body: dict[str, Any]) -> dict[str, Any]:
    response = log_entry(client, tenant, body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def the_log(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.get(f"/v1/cases/{CASE}/log", headers=tenant.headers(tenant.auditor_key))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def errors_of(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {e["path"]: e["code"] for e in response.json()["errors"]}


def test_every_kind_is_logged_with_author_and_time_and_read_back_in_order(
    client: TestClient, tenant: Tenant, clock: FixedClock
) -> None:
    put_case(client, tenant, CASE, monthly("2026-08", "2026-10"))
    call = logged(
        client, tenant, {"kind": "call", "note": "Звонил, обещал\nзайти", "author": "Айгүл С."}
    )
    assert call["author"] == "Айгүл С." and call["actor"].startswith("api_key:")
    assert call["recorded_at"] == clock.now().isoformat().replace("+00:00", "Z")
    visit = logged(client, tenant, {"kind": "visit", "note": "Дверь не открыли"})
    assert visit["author"] == visit["actor"], "without a name the key is the author"
    promise = logged(
        client, tenant, {"kind": "promise", "promised_date": "2026-12-05", "amount": "9360.00"}
    )
    assert promise["promise"] == {"state": "pending", "paid": "0.00", "kept_on": None}
    hardship = logged(
        client, tenant, {"kind": "hardship", "note": "Жұмыссыз қалды", "until": "2027-01-31"}
    )
    assert hardship["hardship_open"] is True
    request = logged(
        client,
        tenant,
        {
            "kind": "request",
            "request": "Просит расчёт задолженности",
            "answer": "Выписка выдана",
            "answered_on": "2026-11-24",
        },
    )
    assert request["answered_on"] == "2026-11-24"
    entries = the_log(client, tenant)["entries"]
    assert [e["kind"] for e in entries] == ["call", "visit", "promise", "hardship", "request"]
    assert entries[0]["note"] == "Звонил, обещал\nзайти"
    assert entries[2]["amount"] == "9360.00"
    assert entries[3]["until"] == "2027-01-31"
    assert entries[4]["request"] == "Просит расчёт задолженности"


def test_a_promise_is_pending_then_broken_or_kept_by_the_payments(
    client: TestClient, tenant: Tenant, clock: FixedClock
) -> None:
    charges = monthly("2026-08", "2026-10")
    put_case(client, tenant, CASE, charges)
    logged(client, tenant, {"kind": "promise", "promised_date": "2026-11-30", "amount": "9360"})
    clock.move_to(clock.today().replace(day=28))
    put_case(client, tenant, CASE, charges, [{"date": "2026-11-27", "amount": "4000.00"}])
    (entry,) = the_log(client, tenant)["entries"]
    assert entry["promise"] == {"state": "pending", "paid": "4000.00", "kept_on": None}
    clock.move_to(clock.today().replace(month=12, day=1))
    (entry,) = the_log(client, tenant)["entries"]
    assert entry["promise"]["state"] == "broken"
    paid = [{"date": "2026-11-27", "amount": "4000.00"}, {"date": "2026-11-30", "amount": "5360"}]
    put_case(client, tenant, CASE, charges, paid)
    (entry,) = the_log(client, tenant)["entries"]
    assert entry["promise"] == {"state": "kept", "paid": "9360.00", "kept_on": "2026-11-30"}


def test_texts_with_control_or_bidi_characters_are_refused_naming_the_field(
    client: TestClient, tenant: Tenant
) -> None:
    put_case(client, tenant, CASE, monthly("2026-08", "2026-10"))
    nul = log_entry(client, tenant, {"kind": "call", "note": "ok\x00then"})
    assert errors_of(nul) == {"note": "control_character"}
    assert "U+0000" in nul.json()["errors"][0]["message"]
    bidi = log_entry(client, tenant, {"kind": "visit", "note": "x", "author": "abc\u202edcb"})
    assert errors_of(bidi) == {"author": "bidi_control"}
    isolate = {"kind": "request", "request": "a\u2066b", "answer": "c\x07", "answered_on": None}
    assert errors_of(log_entry(client, tenant, isolate)) == {
        "request": "bidi_control",
        "answer": "control_character",
    }
    newline_in_name = log_entry(client, tenant, {"kind": "call", "note": "x", "author": "a\nb"})
    assert errors_of(newline_in_name) == {"author": "control_character"}
    assert the_log(client, tenant)["entries"] == []


def test_what_a_kind_needs_and_does_not_take_is_named_all_at_once(
    client: TestClient, tenant: Tenant
) -> None:
    put_case(client, tenant, CASE, monthly("2026-08", "2026-10"))
    response = log_entry(
        client, tenant, {"kind": "promise", "promised_date": "2026-11-01", "until": "2026-12-01"}
    )
    assert errors_of(response) == {
        "amount": "required",
        "until": "not_allowed",
        "promised_date": "in_past",
    }
    assert errors_of(log_entry(client, tenant, {"kind": "promise", "amount": 10.5})) == {
        "amount": "amount_invalid"
    }
    assert errors_of(log_entry(client, tenant, {"kind": "gossip"})) == {"kind": "unknown_value"}
    assert errors_of(log_entry(client, tenant, {"kind": "call"})) == {"note": "required"}


def test_who_may_log_and_read(client: TestClient, tenant: Tenant, wiring: Wiring) -> None:
    put_case(client, tenant, CASE, monthly("2026-08", "2026-10"))
    body = {"kind": "call", "note": "x"}
    auditor = client.post(
        f"/v1/cases/{CASE}/log", json=body, headers=tenant.headers(tenant.auditor_key)
    )
    assert auditor.status_code == 403
    other = make_tenant(wiring, {**load_fixture("creditor.json"), "bin": "200540012348"})
    assert log_entry(client, other, body).status_code == 404
    assert client.get(f"/v1/cases/{CASE}/log", headers=other.headers()).status_code == 404
    assert log_entry(client, tenant, body, case="NOPE").status_code == 404
    lawyer = key_for(wiring, tenant.creditor_id, "lawyer")
    readable = client.get(f"/v1/cases/{CASE}/log", headers=tenant.headers(lawyer))
    assert readable.status_code == 200


def test_entries_are_audit_events_in_the_case_history_without_their_texts(
    client: TestClient, tenant: Tenant
) -> None:
    put_case(client, tenant, CASE, monthly("2026-08", "2026-10"))
    promise = logged(
        client,
        tenant,
        {"kind": "promise", "promised_date": "2026-12-05", "amount": "9360", "note": "Ерлан"},
    )
    logged(client, tenant, {"kind": "hardship", "note": "Ауырып қалды"})
    history = client.get(f"/v1/cases/{CASE}/history", headers=tenant.headers())
    assert history.status_code == 200, history.text
    events = [e for e in history.json()["events"] if e["action"] == "CaseLogEntryAdded"]
    assert [e["payload"]["kind"] for e in events] == ["promise", "hardship"]
    first = events[0]
    assert first["subject"] == f"case:{CASE}"
    assert first["payload"]["entry"] == promise["id"]
    assert first["payload"]["promised_date"] == "2026-12-05"
    assert first["payload"]["amount"] == "9360.00"
    assert len(first["payload"]["content"]) == 64
    assert "Ерлан" not in history.text and "Ауырып" not in history.text


def test_segmentation_reads_hardship_notes_and_broken_promises(
    client: TestClient, tenant: Tenant, clock: FixedClock
) -> None:
    put_case(client, tenant, CASE, monthly("2026-09", "2026-10"))
    url = f"/v1/cases/{CASE}/segment"
    assert client.get(url, headers=tenant.headers()).json()["segment"] == "new"
    logged(client, tenant, {"kind": "hardship", "note": "Жұмыссыз", "until": "2026-11-30"})
    temporary = client.get(url, headers=tenant.headers()).json()
    assert temporary["segment"] == "temporary"
    assert [r["code"] for r in temporary["reasons"]] == ["hardship_note"]
    logged(client, tenant, {"kind": "promise", "promised_date": "2026-11-28", "amount": "5000"})
    clock.move_to(clock.today().replace(month=12, day=2))
    chronic = client.get(url, headers=tenant.headers()).json()
    assert chronic["segment"] == "chronic", chronic
    assert [r["code"] for r in chronic["reasons"]] == ["chronic", "broken_promise"]
    assert "broken promise" in chronic["reasons"][1]["message"]
