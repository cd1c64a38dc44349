"""A creditor's form decides who speaks and signs (#1): a КСК or a management company is a
management subject under its contract with the ОСИ (housing law art. 51-4; research 1.14, C.10),
so that contract is required when it registers; bank names and postal addresses may be given in
Kazakh and Russian (#18, language law art. 21), and the contract payloads stay valid as they are."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.creditors.creditor import Creditor, CreditorForm, Gender
from service.creditors.schemas import CreditorIn
from service.kernel.words import kk_possessive
from service.kit.fields import parse
from tests.api import fixture

KSK = {
    "kk": "«Ақ Үй» пәтер иелерінің кооперативі",
    "ru": "Кооператив собственников квартир «Ақ Үй»",
}


def admin(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def errors(response: Any) -> dict[str, str]:
    return {e["path"]: e["code"] for e in response.json()["errors"]}


@pytest.mark.parametrize("form", ["ksk", "management_company"])
def test_a_management_subject_without_its_contract_is_refused_naming_it_51_4(
    client: TestClient, admin_key: str, form: str
) -> None:
    """#1: a КСК / management company signs under its contract with the ОСИ (art. 51-4)."""
    creditor = {**fixture("creditor.json"), "form": form, "name": KSK}
    response = client.post("/v1/creditors", json=creditor, headers=admin(admin_key))
    assert response.status_code == 422
    assert errors(response) == {"management_contract": "required"}
    assert "51-4" in response.json()["errors"][0]["message"]
    creditor["management_contract"] = {"number": "12/У", "date": "2025-10-01"}
    creditor["chairman"] = {**creditor["chairman"], "gender": "male"}
    response = client.post("/v1/creditors", json=creditor, headers=admin(admin_key))
    assert response.status_code == 201, response.text


def test_an_osi_needs_no_management_contract_and_the_contract_payload_is_unchanged(
    client: TestClient, admin_key: str
) -> None:
    """The contract creditor (an ОСИ, its chairman acting without a power of attorney, art. 51-1
    p. 2) registers exactly as sent, and reads back as the same wire form."""
    payload = fixture("creditor.json")
    response = client.post("/v1/creditors", json=payload, headers=admin(admin_key))
    assert response.status_code == 201, response.text
    creditor = Creditor.from_profile("x", parse(CreditorIn, payload).model_dump(mode="json"))
    assert creditor.form is CreditorForm.OSI and creditor.management_contract is None
    assert creditor.form.authority_provision == "housing-51-1-p2"
    assert creditor.profile()["accounts"] == payload["accounts"]


def test_bank_and_postal_address_take_a_string_or_kk_and_ru_18(
    client: TestClient, admin_key: str
) -> None:
    """#18: requisites in Kazakh and Russian (language law art. 21); half a pair is refused
    with the field's path."""
    payload = fixture("creditor.json")
    bank = {"kk": "«Қазақстан Халық Банкі» АҚ", "ru": "АО «Народный Банк Казахстана»"}
    payload["accounts"]["current"]["bank"] = bank
    payload["chairman"]["gender"] = "female"
    creditor = Creditor.from_profile("x", parse(CreditorIn, payload).model_dump(mode="json"))
    assert creditor.accounts.current.bank["kk"] == bank["kk"]
    assert creditor.accounts.savings is not None
    assert creditor.accounts.savings.bank["kk"] == "АО «Народный Банк Казахстана»"  # as given
    assert creditor.chairman.gender is Gender.FEMALE
    assert creditor.profile()["accounts"]["current"]["bank"] == bank

    broken = copy.deepcopy(payload)
    broken["accounts"]["current"]["bank"] = {"kk": "«Қазақстан Халық Банкі» АҚ"}
    broken["chairman"]["gender"] = "f"
    response = client.post("/v1/creditors", json=broken, headers=admin(admin_key))
    assert response.status_code == 422
    assert errors(response) == {
        "accounts.current.bank": "required",
        "chairman.gender": "unknown_value",
    }


@pytest.mark.parametrize(
    ("position", "possessive"),
    [
        ("төраға", "төрағасы"),
        ("директор", "директоры"),
        ("басқарма төрағасы", "басқарма төрағасы"),
        ("бас директор", "бас директоры"),
        ("жетекші", "жетекшісі"),
        ("меңгеруші", "меңгерушісі"),
    ],
)
def test_kazakh_position_takes_the_possessive_of_its_association_20(
    position: str, possessive: str
) -> None:
    """#20: ««Көктем-3» МИБ төрағасы», not «Төраға / «Көктем-3» мүлік иелерінің бірлестігі»."""
    assert kk_possessive(position) == possessive


def test_a_case_with_a_kazakh_postal_address_prints_it_in_the_kazakh_text_18(
    client: TestClient, tenant: Any
) -> None:
    """#18 through the API: the case stores {kk, ru}, a kk preview prints the Kazakh form and a
    ru preview the Russian one (language law art. 21); a bare string stays valid (case.json)."""
    from tests.api import CASE
    from tests.pdftext import contains

    case = fixture("case.json")
    address = {
        "kk": "Алматы қ., Көктем-3 шағын ауданы, 21-үй, 45-пәтер",
        "ru": "г. Алматы, мкр. Коктем-3, д. 21, кв. 45",
    }
    case["debtor"]["postal_address"] = address
    response = client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text
    for lang, other in (("kk", "ru"), ("ru", "kk")):
        pdf = client.post(
            f"/v1/cases/{CASE}/documents:preview",
            json={"kind": "reminder", "language": lang},
            headers=tenant.headers(),
        ).content
        assert contains(pdf, address[lang]) and not contains(pdf, address[other]), lang
