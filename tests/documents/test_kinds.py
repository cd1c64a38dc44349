"""Document kinds: the registry resolves a request's kind, language and route all at once, the
law fixes what a kind is, and a new kind is one spec and its template, issued, previewed and
verified without touching any other module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import build_wiring
from service.clock import FixedClock
from service.documents.facts import IssueRequest
from service.documents.kinds import KindSpec, default_kinds
from service.documents.kinds.spec import COMMON, CONTRIBUTION_BASIS
from service.kernel.route import Route
from service.law.context import LawContext
from service.main import create_app
from service.rendering.typst import TypstRenderer
from service.settings import Settings
from service.signing import Pkcs12Signer
from tests.api import CASE, NAME, fixture, make_tenant
from tests.conftest import TEMPLATES
from tests.pdftext import contains

KINDS = default_kinds()


def test_an_unknown_kind_and_language_are_reported_together() -> None:
    spec, errors = KINDS.resolve(IssueRequest(kind="summons", language="en"))
    assert spec is None
    assert [(e.path, e.code) for e in errors] == [
        ("kind", "unknown_value"),
        ("language", "unknown_value"),
    ]


@pytest.mark.parametrize("asked", ["kk", "ru", "bilingual"])
def test_a_restructuring_agreement_is_bilingual_whatever_is_asked_language_law_15(
    asked: str,
) -> None:
    """A written transaction is drawn up in Kazakh and Russian (language law art. 15)."""
    spec, errors = KINDS.resolve(IssueRequest(kind="restructuring", language=asked))
    assert spec is not None and errors == []
    assert spec.language_for(asked) == "bilingual"
    assert "language-15" in spec.citations(None)


def test_a_pretrial_letter_without_a_route_is_a_field_error_citing_housing_34_1_p10() -> None:
    spec, errors = KINDS.resolve(IssueRequest(kind="pretrial", language="ru"))
    assert spec is not None
    ((error),) = errors
    assert (error.path, error.code) == ("route", "required")
    assert "34-1" in error.message and "135" in error.message
    _, fine = KINDS.resolve(IssueRequest(kind="pretrial", language="ru", route=Route.COURT))
    assert fine == []


def test_a_kind_is_registered_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        KINDS.with_kind(KindSpec(name="reminder"))


NOTICE_TEMPLATE = """// A throw-away kind for the registry test: the view model, laid out plainly.
#let data = json(bytes(sys.inputs.data))
#let t = data.text.kk
#set document(title: "Хабарлама", author: "Talap")
#set text(font: "DejaVu Serif", lang: "kk")
= ХАБАРЛАМА
#t.debtor.full_name: #t.debt.totals.overdue теңге (#t.debt.overdue_words).

Шығ. № #if t.number == none [—] else [#t.number]#if data.draft [ — ЖОБА]
"""

NOTICE = KindSpec(
    name="notice",
    cites=CONTRIBUTION_BASIS,
    languages=("kk",),
    required=COMMON,
)


@pytest.fixture
def notice_client(
    tmp_path: Path,
    settings: Settings,
    clock: FixedClock,
    law: LawContext,
    signer: Pkcs12Signer,
) -> Iterator[TestClient]:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "kk" / "notice.typ").write_text(NOTICE_TEMPLATE, encoding="utf-8")
    wiring = build_wiring(
        settings.model_copy(update={"templates_dir": templates}),
        clock=clock,
        law=law,
        kinds=default_kinds().with_kind(NOTICE),
        renderer=TypstRenderer(templates),
        signer=signer,
    )
    with TestClient(create_app(wiring)) as client:
        yield client
    wiring.close()


def test_a_new_kind_is_one_spec_and_a_template(notice_client: TestClient) -> None:
    wiring = notice_client.app.state.wiring
    tenant = make_tenant(wiring)
    headers = tenant.headers()
    case = notice_client.put(f"/v1/cases/{CASE}", json=fixture("case.json"), headers=headers)
    assert case.status_code == 201
    body = {"kind": "notice", "language": "kk"}
    explained = notice_client.post(
        f"/v1/cases/{CASE}/documents:explain", json=body, headers=headers
    )
    assert explained.status_code == 200 and explained.json()["allowed"] is True
    assert {t["outcome"] for t in explained.json()["trace"]} == {"not_applicable"}
    preview = notice_client.post(f"/v1/cases/{CASE}/documents:preview", json=body, headers=headers)
    assert preview.status_code == 200, preview.text
    assert contains(preview.content, "ХАБАРЛАМА", NAME, "58 648,00", "ЖОБА")
    issued = notice_client.post(f"/v1/cases/{CASE}/documents", json=body, headers=headers)
    assert issued.status_code == 201, issued.text
    document = issued.json()
    assert document["kind"] == "notice" and len(document["template_version"]) == 64
    pdf = notice_client.get(f"/v1/documents/{document['id']}/pdf", headers=headers).content
    assert contains(pdf, "ХАБАРЛАМА", NAME, document["number"])
    verdict = notice_client.get(f"/v1/documents/{document['id']}/verify", headers=headers)
    assert verdict.json()["valid"] is True, verdict.json()
    wrong = notice_client.post(
        f"/v1/cases/{CASE}/documents", json={"kind": "notice", "language": "ru"}, headers=headers
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["path"] == "language"
