"""Voided numbers in the outgoing register: a row of their own, with the reason, in number
order among the documents (XLSX, CSV), and listed by ``GET /v1/registry/voided``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from service.bootstrap import Wiring
from service.cases import repository as cases
from service.documents import repository
from service.documents.models import VoidedNumberRow
from tests.api import Tenant, issued
from tests.conftest import load_fixture

REASON = "rendering failed: the template could not be typeset"
VOIDED_BECAUSE = "Құжатты жасау кезінде қате шықты / Ошибка при формировании документа"


def void_next(wiring: Wiring, tenant: Tenant, case: str) -> str:
    """Allocate the next outgoing number and void it, as a failed bulk item does."""
    with wiring.db.transaction() as session:
        sequence = repository.allocate_number(session, tenant.creditor_id, 2026, "outgoing")
        number = f"2026-{sequence:05d}"
        repository.void(
            session,
            VoidedNumberRow(
                creditor_id=tenant.creditor_id,
                register="outgoing",
                year=2026,
                sequence=sequence,
                number=number,
                issue_date=dt.date(2026, 11, 24),
                kind="reminder",
                case_id=cases.get_row(session, tenant.creditor_id, case).id,
                reason_code="rendering_failed",
                reason=REASON,
                voided_at=wiring.clock.now(),
                actor="test",
            ),
        )
    return number


def test_a_voided_number_is_a_row_of_the_register_with_its_reason(
    client: TestClient, tenant: Tenant, wiring: Wiring, contract_case: dict[str, Any]
) -> None:
    case = contract_case["external_id"]
    reminder = load_fixture("issue-reminder.json")
    first = issued(client, tenant, reminder, case)["number"]
    voided = void_next(wiring, tenant, case)
    third = issued(client, tenant, {**reminder, "language": "ru"}, case)["number"]
    assert (first, voided, third) == ("2026-00001", "2026-00002", "2026-00003")
    with wiring.db.transaction(read_only=True) as session:
        books = repository.accounting(session, tenant.creditor_id, "outgoing", 2026)
    assert books.missing == [] and books.doubled == [] and books.voided == [2]

    auditor = tenant.headers(tenant.auditor_key)
    period = "from=2026-11-01&to=2026-11-30"
    response = client.get(f"/v1/registry/outgoing?{period}&format=csv", headers=auditor)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Күшін жою себебі / Причина аннулирования"
    assert [r[0] for r in rows[1:]] == [first, voided, third]
    row = rows[2]
    assert row[8] == "Күші жойылды / Аннулирован"
    assert row[-1] == f"{VOIDED_BECAUSE} ({REASON})"
    assert row[3] == case and row[4] == "" and row[9] == ""  # no debtor, no document hash

    response = client.get(f"/v1/registry/outgoing?{period}&format=xlsx", headers=auditor)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in cells] == [first, voided, third] and cells[1][
        -1
    ] == f"{VOIDED_BECAUSE} ({REASON})"

    listed = client.get(f"/v1/registry/voided?{period}", headers=auditor)
    assert listed.status_code == 200, listed.text
    (item,) = listed.json()["items"]
    assert item["number"] == voided and item["reason"] == REASON
    assert item["reason_code"] == "rendering_failed" and item["case"] == case
    assert item["issue_date"] == "2026-11-24" and item["kind"] == "reminder"
    empty = client.get("/v1/registry/voided?from=2026-10-01&to=2026-10-31", headers=auditor)
    assert empty.json() == {"items": []}
    assert client.get(f"/v1/registry/voided?{period}").status_code == 401
