"""One pass over the facts reports every missing field at once, and a missing field has the same
path and code on issue, preview and explain."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi.testclient import TestClient

from service.cases.case import Basis
from service.creditors.creditor import Accounts
from service.demo.samples import sample_creditor
from service.documents.facts import DocumentFacts
from service.documents.kinds import default_kinds
from service.documents.parts import Venue
from service.documents.requirements import check
from service.documents.snapshot import snapshot
from service.errors import FieldError
from service.kernel.text import Localized
from service.law.context import LawContext
from tests.api import CASE, Tenant, fixture
from tests.samples import sample_case, sample_facts, with_debtor

KINDS = default_kinds()


def spec(name: str) -> Any:
    found = KINDS.get(name)
    assert found is not None
    return found


def missing(facts: DocumentFacts, kind: str) -> list[FieldError]:
    return check(facts, spec(kind), snapshot(facts))


def test_every_missing_field_is_listed_at_once(law: LawContext) -> None:
    case = with_debtor(sample_case(), full_name="  ")
    case = dataclasses.replace(
        case, basis=(case.basis[0], dataclasses.replace(case.basis[1], monthly_amount=None))
    )
    creditor = sample_creditor()
    creditor = dataclasses.replace(creditor, name=Localized(kk=creditor.name.kk, ru=""))
    facts = sample_facts(law, "pretrial", "ru", case=case)
    venue = dataclasses.replace(facts.parts["venue"], property_address=Localized("", " "))
    assert isinstance(venue, Venue)
    facts = dataclasses.replace(facts, creditor=creditor, parts={**facts.parts, "venue": venue})
    errors = missing(facts, "pretrial")
    assert {(e.path, e.code) for e in errors} == {
        ("debtor.full_name", "required"),
        ("basis.1.monthly_amount", "required"),
        ("creditor.name.ru", "required"),
        ("venue.property_address", "required"),
    }
    assert all("pretrial cannot be issued without" in e.message for e in errors)


def test_a_reminder_needs_no_monthly_amount_but_a_warning_does(law: LawContext) -> None:
    case = sample_case()
    bare = dataclasses.replace(
        case, basis=tuple(dataclasses.replace(b, monthly_amount=None) for b in case.basis)
    )
    assert missing(sample_facts(law, "reminder", "kk", case=bare), "reminder") == []
    errors = missing(sample_facts(law, "warning", "kk", case=bare), "warning")
    assert [e.path for e in errors] == ["basis.0.monthly_amount", "basis.1.monthly_amount"]


def test_accumulative_debt_without_a_savings_account_is_refused(law: LawContext) -> None:
    """Accumulative contributions are paid to the savings account (housing law 34-1 p. 4)."""
    facts = sample_facts(law, "reminder", "kk")
    creditor = dataclasses.replace(
        sample_creditor(), accounts=Accounts(current=sample_creditor().accounts.current)
    )
    errors = missing(dataclasses.replace(facts, creditor=creditor), "reminder")
    assert [(e.path, e.code) for e in errors] == [("creditor.accounts.savings", "required")]


def test_a_charged_contribution_needs_its_meeting_protocol(law: LawContext) -> None:
    case = sample_case()
    without: tuple[Basis, ...] = case.basis[:1]  # the accumulative protocol is missing
    facts = sample_facts(law, "reminder", "ru", case=dataclasses.replace(case, basis=without))
    errors = missing(facts, "reminder")
    assert [(e.path, e.code) for e in errors] == [("basis", "protocol_missing")]
    assert "accumulative" in errors[0].message and "42" in errors[0].message


def test_a_missing_field_reads_the_same_on_issue_preview_and_explain(
    client: TestClient, tenant: Tenant
) -> None:
    case = fixture("case.json")
    for basis in case["basis"]:
        del basis["monthly_amount"]
    assert client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 201
    body = {"kind": "warning", "language": "ru"}
    found = {}
    for suffix in ("", ":preview", ":explain"):
        response = client.post(
            f"/v1/cases/{CASE}/documents{suffix}", json=body, headers=tenant.headers()
        )
        assert response.status_code == (200 if suffix == ":explain" else 422), response.text
        found[suffix] = [(e["path"], e["code"]) for e in response.json()["errors"]]
    expected = [("basis.0.monthly_amount", "required"), ("basis.1.monthly_amount", "required")]
    assert found == {"": expected, ":preview": expected, ":explain": expected}
