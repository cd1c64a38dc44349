"""``POST /v1/batches`` with a 1C-style export as a file: every bad row a 422 naming its line and
column, nothing stored; a good file upserts its cases and queues one notice per case; the same
file again answers with the same batch."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response

from service.bootstrap import Wiring
from service.outbox import tasks as outbox
from tests.api import Tenant
from tests.batches.exports import XLSX_TYPE, export_rows, xlsx_bytes

MAPPING = """
columns: {case: Счёт, full_name: ФИО, unit_type: Тип, unit_number: Кв, protocol_number: Протокол,
          protocol_date: Дата протокола, period: Месяц, charged: Долг}
values: {unit_type: {кв: flat}}
defaults: {contribution: current}
"""


def _post(
    client: TestClient, tenant: Tenant, data: bytes, name: str = "osv.xlsx", **form: str
) -> Response:
    files: dict[str, tuple[str, bytes, str]] = {"file": (name, data, XLSX_TYPE)}
    if "mapping" in form:
        files["mapping"] = ("m.yaml", form.pop("mapping").encode(), "application/yaml")
    return client.post("/v1/batches", files=files, data=form, headers=tenant.headers())


def test_an_uploaded_export_is_checked_stored_and_queued_once(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    rows = export_rows(2)
    rows[3][12] = "abc"
    bad = _post(client, tenant, xlsx_bytes(rows))
    assert bad.status_code == 422, bad.text
    assert bad.json()["errors"] == [
        {
            "path": "file.line_5.charged",
            "code": "invalid_amount",
            "message": "line 5, column «Начислено»: «abc» is not an amount such as 9360,00",
        }
    ]
    assert client.get("/v1/cases/ЛС-00001", headers=tenant.headers()).status_code == 404

    good = xlsx_bytes(export_rows(2))
    accepted = _post(client, tenant, good, language="ru")
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert body["total"] == 2
    assert client.get("/v1/cases/ЛС-00002", headers=tenant.headers()).status_code == 200
    again = _post(client, tenant, good, language="ru")
    assert again.status_code == 202 and again.json()["id"] == body["id"]
    outbox.drain(wiring)
    report = client.get(body["url"], headers=tenant.headers()).json()
    assert (report["status"], report["issued"], report["source"]) == ("done", 2, "file")
    assert [d["line"] for d in report["documents"]] == [2, 6]
    assert {d["language"] for d in report["documents"]} == {"ru"}


def test_an_uploaded_mapping_reads_a_one_row_per_debtor_month_export(
    client: TestClient, tenant: Tenant
) -> None:
    from tests.batches.exports import csv_bytes

    header = ["Счёт", "ФИО", "Тип", "Кв", "Протокол", "Дата протокола", "Месяц", "Долг"]
    owner = ["A-1", "Иванова Анна", "кв", "1", "3", "20.12.2025"]
    rows = [[*owner, "09.2026", "9360,00"], [*owner, "10.2026", "9360,00"]]
    accepted = _post(client, tenant, csv_bytes(rows, header), "x.csv", mapping=MAPPING)
    assert accepted.status_code == 202, accepted.text
    case = client.get("/v1/cases/A-1", headers=tenant.headers()).json()
    assert case["debt"]["totals"]["charged"] == "18720.00"
    unreadable = _post(client, tenant, b"not a workbook")
    assert unreadable.status_code == 422
    assert unreadable.json()["errors"][0]["path"] == "file"
