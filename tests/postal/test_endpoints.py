"""Post lists over HTTP, end to end: three reminders to three owners go on one registered-post
list, which opens as PDF (read back with pypdf) and XLSX (read back with openpyxl) with the right
numbers and addresses; one attempt per letter; the return receipt is attached later by the
tracking number and the legal outcome follows it."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from service.bootstrap import Wiring
from tests.api import Tenant, fixture, issued, key_for, make_tenant, monthly, pdf_of
from tests.pdftext import contains, pdf_text

OWNERS = {
    "POST-1": (
        "Жақсыбеков Нұрлан Әбілқайырұлы",
        {
            "kk": "Алматы қ., Көктем-3 ш/а, 21-үй, 45-пәтер",
            "ru": "г. Алматы, мкр. Коктем-3, д. 21, кв. 45",
        },
    ),
    "POST-2": ("Ким Ольга Викторовна", "г. Алматы, ул. Розыбакиева, д. 7, кв. 12"),
    "POST-3": ("Сейітқали Әлия Маратқызы", "Алматы қ., Абай даңғылы, 150-үй, 3-пәтер"),
}
TRACKING = ["RR123456785KZ", "RR000000014KZ", "RR020000000KZ"]
SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def put_owner(client: TestClient, tenant: Tenant, case: str, name: str, address: Any) -> None:
    body = fixture("case.json")
    body["external_id"] = case
    body["debtor"] = {**body["debtor"], "full_name": name, "postal_address": address}
    body["charges"] = monthly("2026-08", "2026-10")
    body["basis"] = body["basis"][:1]
    body["payments"] = []
    response = client.put(f"/v1/cases/{case}", json=body, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text


def three_letters(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    letters = []
    for case, (name, address) in OWNERS.items():
        put_owner(client, tenant, case, name, address)
        letters.append(issued(client, tenant, {"kind": "reminder", "language": "kk"}, case))
    return letters


def make_list(client: TestClient, tenant: Tenant, body: dict[str, Any]) -> Any:
    return client.post("/v1/post-registers", json=body, headers=tenant.headers())


def registered(
    client: TestClient,
    tenant: Tenant,
    letters: list[dict[str, Any]],
    numbers: list[str] | None = None,
) -> Any:
    body = {
        "document_ids": [d["id"] for d in letters],
        "channel": "registered_post",
        "tracking_numbers": {
            d["id"]: n for d, n in zip(letters, numbers or TRACKING, strict=False)
        },
    }
    response = make_list(client, tenant, body)
    assert response.status_code == 201, response.text
    return response.json()


def errors_of(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {e["path"]: e["code"] for e in response.json()["errors"]}


def test_three_letters_on_one_list_open_as_pdf_and_xlsx_with_numbers_and_addresses(
    client: TestClient, tenant: Tenant
) -> None:
    letters = three_letters(client, tenant)
    made = registered(client, tenant, letters)
    assert made["number"] == "P-2026-00001" and made["date"] == "2026-11-24"
    assert [line["document_number"] for line in made["lines"]] == [d["number"] for d in letters]
    assert [line["tracking_number"] for line in made["lines"]] == TRACKING

    pdf = client.get(made["pdf_url"].split("8000")[-1], headers=tenant.headers())
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="P-2026-00001.pdf"' in pdf.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.xmp_metadata is not None and reader.xmp_metadata.pdfaid_part == "2"
    text = pdf_text(pdf.content)
    assert text.index("Тапсырыс хаттар тізілімі") < text.index("Реестр почтовых отправлений")
    assert contains(pdf.content, "P-2026-00001", "24.11.2026", fixture("creditor.json")["bin"])
    for letter, number, (name, address) in zip(letters, TRACKING, OWNERS.values(), strict=True):
        texts = list(address.values()) if isinstance(address, dict) else [address]
        assert contains(pdf.content, letter["number"], name, number, *texts), letter["number"]

    xlsx = client.get(f"/v1/post-registers/{made['id']}.xlsx", headers=tenant.headers())
    assert xlsx.status_code == 200, xlsx.text
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Тапсырыс хаттар тізілімі" in cells and "Реестр почтовых отправлений" in cells
    for letter, number, (name, address) in zip(letters, TRACKING, OWNERS.values(), strict=True):
        assert f"{letter['number']}\n24.11.2026" in cells
        assert name in cells and number in cells
        shown = "\n".join(address.values()) if isinstance(address, dict) else address
        assert shown in cells
    assert any(str(c).startswith("Тізілім\u00a0№ / Реестр\u00a0№ P-2026-00001") for c in cells)


def test_each_letter_gets_a_queued_attempt_with_its_tracking_number(
    client: TestClient, tenant: Tenant
) -> None:
    letters = three_letters(client, tenant)
    made = registered(client, tenant, letters)
    for letter, line in zip(letters, made["lines"], strict=True):
        attempts = client.get(
            f"/v1/documents/{letter['id']}/deliveries", headers=tenant.headers()
        ).json()
        (attempt,) = attempts
        assert attempt["id"] == line["delivery_id"]
        assert attempt["channel"] == "registered_post" and attempt["status"] == "queued"
        assert attempt["tracking_number"] == line["tracking_number"]
        assert attempt["outcome"]["state"] == "unknown"
    got = client.get(f"/v1/post-registers/{made['id']}", headers=tenant.headers())
    assert got.json() == made


def test_numbers_are_gapless_and_a_refused_list_takes_none(
    client: TestClient, tenant: Tenant
) -> None:
    letters = three_letters(client, tenant)
    first = registered(client, tenant, letters[:1] + letters[1:2])
    assert first["number"] == "P-2026-00001"
    bad = make_list(
        client,
        tenant,
        {
            "document_ids": [letters[2]["id"]],
            "channel": "registered_post",
            "tracking_numbers": {letters[2]["id"]: "RR123456786KZ"},
        },
    )
    assert errors_of(bad) == {f"tracking_numbers.{letters[2]['id']}": "check_digit"}
    hand = make_list(client, tenant, {"document_ids": [letters[2]["id"]], "channel": "hand"})
    assert hand.status_code == 201, hand.text
    assert hand.json()["number"] == "P-2026-00002" and hand.json()["channel"] == "hand_delivery"
    pdf = client.get(f"/v1/post-registers/{hand.json()['id']}.pdf", headers=tenant.headers())
    assert contains(pdf.content, "Қолма-қол тапсырылатын құжаттар тізілімі")
    assert contains(pdf.content, "Реестр документов, вручаемых под подпись")


def test_what_is_wrong_with_a_list_is_named_field_by_field(
    client: TestClient, tenant: Tenant
) -> None:
    letters = three_letters(client, tenant)
    one, two = letters[0]["id"], letters[1]["id"]
    response = make_list(
        client,
        tenant,
        {
            "document_ids": [one, two, one],
            "channel": "registered_post",
            "tracking_numbers": {one: "rr 1234 5678 5kz", two: "XX1", "elsewhere": "RR123456785KZ"},
        },
    )
    assert errors_of(response) == {
        "document_ids.2": "duplicate",
        f"tracking_numbers.{two}": "invalid_format",
        "tracking_numbers.elsewhere": "not_in_list",
    }
    hand = make_list(
        client,
        tenant,
        {"document_ids": [one], "channel": "hand_delivery", "tracking_numbers": {one: "X"}},
    )
    assert errors_of(hand) == {f"tracking_numbers.{one}": "not_allowed"}
    assert errors_of(make_list(client, tenant, {"document_ids": [], "channel": "courier"})) == {
        "document_ids": "too_short"
    }
    missing = make_list(
        client, tenant, {"document_ids": ["no-such-document"], "channel": "courier"}
    )
    assert missing.status_code == 404


def test_a_letter_without_a_postal_address_cannot_go_by_post_but_by_hand(
    client: TestClient, tenant: Tenant
) -> None:
    put_owner(client, tenant, "POST-9", "Ким Ольга Викторовна", None)
    letter = issued(client, tenant, {"kind": "reminder", "language": "ru"}, "POST-9")
    post = make_list(client, tenant, {"document_ids": [letter["id"]], "channel": "courier"})
    assert errors_of(post) == {"document_ids.0": "postal_address_missing"}
    hand = make_list(client, tenant, {"document_ids": [letter["id"]], "channel": "hand"})
    assert hand.status_code == 201, hand.text
    pdf = client.get(f"/v1/post-registers/{hand.json()['id']}.pdf", headers=tenant.headers())
    assert contains(pdf.content, letter["number"], "Ким Ольга Викторовна")


def test_a_tracking_number_names_one_letter(client: TestClient, tenant: Tenant) -> None:
    letters = three_letters(client, tenant)
    registered(client, tenant, letters)
    again = make_list(
        client,
        tenant,
        {
            "document_ids": [letters[0]["id"]],
            "channel": "registered_post",
            "tracking_numbers": {letters[0]["id"]: TRACKING[1]},
        },
    )
    assert again.status_code == 409, again.text
    assert TRACKING[1] in again.json()["error"]["message"]


def test_who_may_make_and_read_lists(client: TestClient, tenant: Tenant, wiring: Wiring) -> None:
    letters = three_letters(client, tenant)
    made = registered(client, tenant, letters)
    auditor = tenant.headers(tenant.auditor_key)
    body = {"document_ids": [letters[0]["id"]], "channel": "hand"}
    assert client.post("/v1/post-registers", json=body, headers=auditor).status_code == 403
    assert client.get(f"/v1/post-registers/{made['id']}.pdf", headers=auditor).status_code == 200
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "200540012348"})
    for suffix in ("", ".pdf", ".xlsx"):
        url = f"/v1/post-registers/{made['id']}{suffix}"
        assert client.get(url, headers=other.headers()).status_code == 404, suffix
    assert make_list(client, other, body).status_code == 404
    lawyer = key_for(wiring, tenant.creditor_id, "lawyer")
    assert client.get(f"/v1/post-registers/{made['id']}", headers=tenant.headers(lawyer)).is_success


def receipt(
    client: TestClient, tenant: Tenant, number: str, files: Any = None, **fields: str
) -> Any:
    data = {"status": "delivered", "date": "2026-11-27", **fields}
    proof = files if files is not None else [("proof", ("receipt.pdf", SCAN, "application/pdf"))]
    return client.post(
        f"/v1/deliveries/by-tracking/{number}", data=data, files=proof, headers=tenant.headers()
    )


def test_the_return_receipt_is_attached_by_tracking_number(
    client: TestClient, tenant: Tenant, clock: Any
) -> None:
    letters = three_letters(client, tenant)
    made = registered(client, tenant, letters)
    clock.move_to(clock.today().replace(day=30))
    response = receipt(client, tenant, TRACKING[0].lower())
    assert response.status_code == 201, response.text
    delivery = response.json()["delivery"]
    assert delivery["id"] == made["lines"][0]["delivery_id"]
    assert delivery["outcome"]["state"] == "delivered"
    assert delivery["outcome"]["legal_date"] == "2026-11-27"
    assert response.json()["outcome_changed"] is True
    (proof,) = delivery["proofs"]
    assert proof["content_type"] == "application/pdf"
    refused = receipt(client, tenant, TRACKING[1], status="refused", date="2026-11-28")
    assert refused.status_code == 201, refused.text
    assert refused.json()["delivery"]["outcome"]["state"] == "refused"
    assert refused.json()["delivery"]["outcome"]["legal_date"] == "2026-11-28"
    history = client.get("/v1/cases/POST-1/history", headers=tenant.headers()).json()
    assert "DeliveryEventAppended" in {e["action"] for e in history["events"]}
    assert pdf_of(client, tenant, letters[0]["id"])[:5] == b"%PDF-", "the letter is untouched"


def test_unknown_or_ambiguous_tracking_numbers_and_missing_proof_are_refused(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    letters = three_letters(client, tenant)
    registered(client, tenant, letters[:1])
    unknown = receipt(client, tenant, "RR999999993KZ")
    assert unknown.status_code == 404
    assert "RR999999993KZ" in unknown.json()["error"]["message"]
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "200540012348"})
    assert receipt(client, other, TRACKING[0]).status_code == 404, "another creditor's letter"
    reported = client.post(
        f"/v1/documents/{letters[1]['id']}/deliveries",
        json={
            **fixture("delivery.json"),
            "tracking_number": TRACKING[0],
            "delivered_at": None,
            "status": "pending",
        },
        headers=tenant.headers(),
    )
    assert reported.status_code == 201, reported.text
    twice = receipt(client, tenant, TRACKING[0])
    assert twice.status_code == 409, twice.text
    assert TRACKING[0] in twice.json()["error"]["message"]
    registered(client, tenant, letters[2:], TRACKING[2:])
    assert errors_of(receipt(client, tenant, TRACKING[2], files=[])) == {"proof": "required"}
    bad = receipt(client, tenant, TRACKING[2], status="sent", date="someday")
    assert errors_of(bad) == {"status": "unknown_value", "date": "invalid_date"}
    text = receipt(
        client, tenant, TRACKING[2], files=[("proof", ("r.pdf", b"hello", "application/pdf"))]
    )
    assert text.status_code == 422, "the proof's type is read from its bytes"
