"""The outgoing register as XLSX and CSV, read back: sorted by number, Kazakh-first headers,
dates as dates, delivery outcomes, another creditor's documents absent, and a debtor named like
a formula printed as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import event

from service.bootstrap import Wiring
from service.outgoing.register import Delivery, Outcome, outcome_of
from tests.api import NAME, Tenant, deliver, issued, make_tenant
from tests.conftest import load_fixture

EVIL = '=HYPERLINK("http://x","y")'
SECOND = "KKT3-21-046"


def put(client: TestClient, tenant: Tenant, external_id: str, name: str) -> None:
    case = load_fixture("case.json")
    case["external_id"] = external_id
    case["debtor"]["full_name"] = name
    response = client.put(f"/v1/cases/{external_id}", json=case, headers=tenant.headers())
    assert response.status_code == 201, response.text


@pytest.fixture
def documents(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    put(client, tenant, "KKT3-21-045", NAME)
    put(client, tenant, SECOND, EVIL)
    reminder = load_fixture("issue-reminder.json")
    first = issued(client, tenant, reminder, "KKT3-21-045")
    second = issued(client, tenant, reminder, SECOND)
    deliver(client, tenant, first["id"], "2026-11-24")
    return [first, second]


def download(client: TestClient, tenant: Tenant, query: str) -> Any:
    return client.get(f"/v1/registry/outgoing{query}", headers=tenant.headers(tenant.auditor_key))


def test_the_xlsx_register_reads_back(
    client: TestClient, tenant: Tenant, documents: list[dict[str, Any]]
) -> None:
    response = download(client, tenant, "?from=2026-11-01&to=2026-11-30&format=xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "outgoing-2026-11-01-2026-11-30.xlsx" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Нөмірі / Номер", "Күні / Дата", "Құжат түрі / Вид документа"]
    assert header[4] == "Борышкер / Должник"
    assert sheet.column_dimensions["E"].width >= 30
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [d["number"] for d in documents] == ["2026-00001", "2026-00002"]
    first, second = rows
    assert first[1] == dt.datetime(2026, 11, 24)  # a date cell, not text
    assert sheet["B2"].number_format == "DD.MM.YYYY"
    assert first[2] == "Еске салу хат / Напоминание"
    assert first[4] == NAME
    assert first[5] == "Тапсырылды / Вручено" and first[6] == dt.datetime(2026, 11, 24)
    assert second[5] == "Мәлімет жоқ / Нет сведений" and second[6] is None
    assert second[4] == "'" + EVIL  # text, never a formula
    assert sheet["E3"].data_type == "s"
    assert first[9] == documents[0]["sha256"]


def test_the_csv_register_reads_back_in_excel_form(
    client: TestClient, tenant: Tenant, documents: list[dict[str, Any]]
) -> None:
    response = download(client, tenant, "?from=2026-11-24&to=2026-11-24&format=csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Нөмірі / Номер"
    body = rows[1:]
    assert [r[0] for r in body] == ["2026-00001", "2026-00002"]
    assert body[0][1] == "2026-11-24" and body[0][6] == "2026-11-24"
    assert body[1][4] == "'" + EVIL
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_register_keeps_to_its_period_and_creditor(
    client: TestClient, tenant: Tenant, wiring: Wiring, documents: list[dict[str, Any]]
) -> None:
    empty = download(client, tenant, "?from=2026-10-01&to=2026-10-31&format=csv")
    assert empty.status_code == 200
    assert len(list(csv.reader(io.StringIO(empty.content.decode("utf-8-sig"))))) == 1

    other = make_tenant(wiring, {**load_fixture("creditor.json"), "bin": "090340007747"})
    theirs = client.get(
        "/v1/registry/outgoing?from=2026-11-01&to=2026-11-30&format=csv",
        headers=other.headers(other.auditor_key),
    )
    assert theirs.status_code == 200
    assert len(theirs.content.decode("utf-8-sig").strip().splitlines()) == 1


def test_the_register_refuses_a_period_it_cannot_read(
    client: TestClient, tenant: Tenant, documents: list[dict[str, Any]]
) -> None:
    backwards = download(client, tenant, "?from=2026-11-30&to=2026-11-01")
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["path"] == "to"
    missing = download(client, tenant, "?to=2026-11-01")
    assert missing.status_code == 422
    unknown = download(client, tenant, "?from=2026-11-01&to=2026-11-30&format=pdf")
    assert unknown.status_code == 422
    anonymous = client.get("/v1/registry/outgoing?from=2026-11-01&to=2026-11-30")
    assert anonymous.status_code == 401


def test_a_documents_outcome_weighs_all_its_attempts() -> None:
    at = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    late = at + dt.timedelta(days=3)
    email = Delivery("delivered", "email", dt.date(2026, 11, 26), late)
    post = Delivery("delivered", "registered_post", dt.date(2026, 11, 25), at)
    assert outcome_of([email, post]) == Outcome(
        "delivered", dt.date(2026, 11, 25), "registered_post"
    )
    refused = Delivery("refused", "registered_post", dt.date(2026, 11, 25), at)
    failed = Delivery("not_delivered", "email", None, late)
    assert outcome_of([refused, failed]).state == "refused"  # a legal outcome beats a failure
    assert outcome_of([failed]).state == "not_delivered"
    in_flight = Delivery("unknown", "sms", None, at)
    assert outcome_of([in_flight]) == Outcome("pending", None, "sms")
    assert outcome_of([]) == Outcome("unknown", None, None)


def test_the_register_binds_as_many_parameters_for_two_documents_as_for_one(
    client: TestClient, tenant: Tenant, wiring: Wiring, documents: list[dict[str, Any]]
) -> None:
    """The deliveries are read by the period, not by a list of ids: a large creditor's five
    years would outgrow the databases' limits on bound parameters (SQLite 32,766)."""
    bound: list[int] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM deliveries" in statement:
            bound.append(len(parameters))

    event.listen(wiring.db.engine, "before_cursor_execute", seen)
    try:
        one = download(client, tenant, "?from=2026-11-24&to=2026-11-24&format=csv")
        issued(client, tenant, load_fixture("issue-reminder.json"), SECOND)
        more = download(client, tenant, "?from=2026-11-24&to=2026-11-24&format=csv")
    finally:
        event.remove(wiring.db.engine, "before_cursor_execute", seen)
    assert one.status_code == more.status_code == 200
    lines = [len(r.content.decode("utf-8-sig").strip().splitlines()) for r in (one, more)]
    assert lines == [3, 4]
    reads = [n for n in bound if n]
    assert len(reads) >= 2 and reads[0] == reads[-1], bound
