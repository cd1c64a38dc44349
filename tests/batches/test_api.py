"""``POST /v1/batches`` → 202; the queue's workers issue the chunks; ``GET`` reports every
refused item with its reasons and links every document; the summary XLSX reads back."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from service.bootstrap import Wiring
from service.outbox import tasks as outbox
from service.rendering.engines import EngineRegistry
from tests.api import Tenant
from tests.documents.test_bulk import FailingEngine


def _batch(client: TestClient, tenant: Tenant, items: list[dict[str, Any]]) -> dict[str, Any]:
    response = client.post("/v1/batches", json={"items": items}, headers=tenant.headers())
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_batch_is_accepted_issued_by_the_queue_and_reported_item_by_item(
    client: TestClient, tenant: Tenant, wiring: Wiring, contract_case: dict[str, Any]
) -> None:
    accepted = _batch(
        client,
        tenant,
        [
            {"case": "KKT3-21-045", "kind": "reminder", "language": "kk"},
            {"case": "KKT3-21-045", "kind": "warning", "language": "ru"},  # no reminder delivered
            {"case": "NO-SUCH-CASE", "kind": "reminder", "language": "ru"},
            {"case": "KKT3-21-045", "kind": "reminder", "language": "ru", "deadline": "2020-01-01"},
        ],
    )
    assert accepted["status"] == "queued" and accepted["total"] == 4
    url = f"/v1/batches/{accepted['id']}"
    assert accepted["url"].endswith(url)
    queued = client.get(url, headers=tenant.headers()).json()
    assert (queued["status"], queued["done"], queued["issued"]) == ("queued", 0, 0)

    ran = outbox.drain(wiring)  # what a `talap worker` does
    assert [o.state for o in ran] == ["done"]  # one chunk (32 items per chunk by default)

    report = client.get(url, headers=tenant.headers()).json()
    assert (report["status"], report["total"], report["done"], report["issued"]) == (
        "done", 4, 4, 1,
    )  # fmt: skip
    [document] = report["documents"]
    assert document["line"] == 1 and document["number"]
    pdf = client.get(f"{document['url']}/pdf", headers=tenant.headers())
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    refused = {item["line"]: item for item in report["refused"]}
    assert sorted(refused) == [2, 3, 4]
    assert [v["rule"] for v in refused[2]["violations"]]  # the rule that refuses a warning
    assert refused[3]["errors"] == [
        {"path": "case", "code": "not_found", "message": "case NO-SUCH-CASE not found"}
    ]
    assert [e["path"] for e in refused[4]["errors"]] == ["deadline"]
    assert report["errors"] == []

    assert report["summary_url"].endswith(f"{url}/summary.xlsx")
    summary = client.get(report["summary_url"], headers=tenant.headers())
    assert summary.status_code == 200
    sheet = load_workbook(io.BytesIO(summary.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [(r[0], r[1], r[4]) for r in rows] == [
        (1, "KKT3-21-045", "шығарылды / выпущен"),
        (2, "KKT3-21-045", "бас тартылды / отказано"),
        (3, "NO-SUCH-CASE", "бас тартылды / отказано"),
        (4, "KKT3-21-045", "бас тартылды / отказано"),
    ]
    assert rows[0][5] == document["number"]
    assert "deadline" in str(rows[3][7])

    assert outbox.drain(wiring) == []  # nothing left; a replayed chunk would issue nothing


def test_items_are_checked_whole_and_batches_are_the_creditor_s_own(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    bad = client.post(
        "/v1/batches",
        json={"items": [{"kind": "reminder", "language": "kk"}, {"case": "X"}]},
        headers=tenant.headers(),
    )
    assert bad.status_code == 422
    paths = {e["path"] for e in bad.json()["errors"]}
    assert {"items.0.case", "items.1.kind", "items.1.language"} <= paths
    empty = client.post("/v1/batches", json={"items": []}, headers=tenant.headers())
    assert empty.status_code == 422
    auditor = client.post(
        "/v1/batches",
        json={"items": [{"case": "X", "kind": "reminder", "language": "kk"}]},
        headers=tenant.headers(tenant.auditor_key),
    )
    assert auditor.status_code == 403
    assert client.get("/v1/batches/nope", headers=tenant.headers()).status_code == 404


def test_an_item_that_fails_after_numbering_is_listed_under_errors_with_what_happened(
    client: TestClient, tenant: Tenant, wiring: Wiring, contract_case: dict[str, Any]
) -> None:
    accepted = _batch(
        client, tenant, [{"case": "KKT3-21-045", "kind": "reminder", "language": "kk"}]
    )
    typst = wiring.engines.get("typst")
    failing = replace(wiring, engines=EngineRegistry([FailingEngine(typst, {"2026-00001"})]))
    assert [o.state for o in outbox.drain(failing)] == ["done"]

    report = client.get(f"/v1/batches/{accepted['id']}", headers=tenant.headers()).json()
    assert (report["status"], report["total"], report["done"], report["issued"]) == (
        "done", 1, 1, 0,
    )  # fmt: skip
    assert report["refused"] == [] and report["documents"] == []
    [failed] = report["errors"]
    assert failed["line"] == 1 and failed["status"] == "error" and failed["document_id"] is None
    [error] = failed["errors"]
    assert error["code"] == "rendering_failed" and "2026-00001" in error["message"]
