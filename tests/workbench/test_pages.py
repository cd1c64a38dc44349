"""The lawyer's pages (issue 9 scope 7) through the HTTP stack: the template list, uploading a
Word version with its checks, a refused upload with every problem's location, the four-eyes
approval, scheduling, retiring, the source and a preview — with the session's key, its creditor
boundary, and a CSRF token on every form."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from tests.api import Tenant, key_for
from tests.web.helpers import login, token_of
from tests.workbench.steps import (
    DOCX,
    NEW_SENTENCE,
    Lawyers,
    lawyers,
    with_changed_sentence,
    word_missing,
    word_reminder,
)

HTML = {"Accept": "text/html"}
THREAT = "Если задолженность не будет погашена, подача электроэнергии и воды будет приостановлена."
VERSION = re.compile(r"/ui/templates/versions/([0-9a-f]{64})")


@pytest.fixture
def team(wiring: Wiring, tenant: Tenant) -> Lawyers:
    missing = word_missing(wiring)
    if missing:
        pytest.skip(f"Word versions cannot be rendered here: {missing}")
    return lawyers(wiring, tenant)


def _session(client: TestClient, key: str) -> str:
    """Logged in through the login form; the CSRF token of the session's forms."""
    assert login(client, key).status_code == 303
    page = client.get("/ui/templates")
    assert page.status_code == 200, page.text
    return token_of(page.text)


def _upload(
    client: TestClient, token: str, data: bytes, changelog: str = "Одно предложение изменено"
) -> Any:
    return client.post(
        "/ui/templates/upload",
        data={
            "csrf_token": token,
            "kind": "reminder",
            "language": "ru",
            "engine": "docx",
            "changelog": changelog,
        },
        files=[("source", ("reminder.docx", data, DOCX))],
        follow_redirects=False,
    )


def test_the_list_shows_each_template_with_its_versions_in_both_languages(
    client: TestClient, wiring: Wiring, tenant: Tenant
) -> None:
    _session(client, lawyers(wiring, tenant).author)
    page = client.get("/ui/templates")
    assert '<html lang="kk">' in page.text
    assert "Құжат үлгілері" in page.text and 'data-status="live"' in page.text
    assert 'href="/ui/templates/upload"' in page.text
    client.get("/ui/lang/ru")
    page = client.get("/ui/templates")
    assert '<html lang="ru">' in page.text and "Шаблоны документов" in page.text
    assert "действует" in page.text


def test_an_upload_shows_the_checks_and_only_another_lawyer_approves(
    client: TestClient, team: Lawyers, clock: FixedClock
) -> None:
    token = _session(client, team.author)
    sent = _upload(client, token, word_reminder())
    assert sent.status_code == 303, sent.text
    found = VERSION.search(sent.headers["location"])
    assert found and sent.headers["location"].endswith("?done=uploaded")
    version_id = found.group(1)
    page = client.get(sent.headers["location"])
    assert 'id="checks-passed"' in page.text and 'data-status="draft"' in page.text
    assert version_id in page.text

    # The author's own approval is refused, visibly, and nothing changes.
    refused = client.post(
        f"/ui/templates/versions/{version_id}/approve", data={"csrf_token": token}, headers=HTML
    )
    assert refused.status_code == 409
    assert 'data-code="self_approval"' in refused.text
    assert "Автор өз нұсқасын бекіте алмайды" in refused.text
    assert 'data-status="draft"' in refused.text

    # A forged token is refused before anything runs.
    forged = client.post(
        f"/ui/templates/versions/{version_id}/approve",
        data={"csrf_token": "forged"},
        headers=HTML,
    )
    assert forged.status_code == 403 and 'data-code="csrf_failed"' in forged.text

    # The second lawyer approves and schedules; a moment in the past is refused on the page.
    client.post("/ui/logout", data={"csrf_token": token})
    token = _session(client, team.reviewer)
    approved = client.post(
        f"/ui/templates/versions/{version_id}/approve",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert approved.status_code == 303, approved.text
    assert approved.headers["location"].endswith("?done=approved")
    past = client.post(
        f"/ui/templates/versions/{version_id}/schedule",
        data={"csrf_token": token, "live_from": "2020-01-01T09:00"},
        headers=HTML,
    )
    assert past.status_code == 422 and 'id="refused"' in past.text
    assert "live_from" in past.text
    scheduled = client.post(
        f"/ui/templates/versions/{version_id}/schedule",
        data={"csrf_token": token, "live_from": "2030-01-01T09:00"},
        follow_redirects=False,
    )
    assert scheduled.status_code == 303, scheduled.text
    page = client.get(scheduled.headers["location"])
    assert 'data-status="scheduled"' in page.text and "01.01.2030 09:00" in page.text

    # Retired before it goes live.
    retired = client.post(
        f"/ui/templates/versions/{version_id}/retire",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert retired.status_code == 303
    assert 'data-status="retired"' in client.get(retired.headers["location"]).text


def test_a_refused_upload_lists_every_problem_and_keeps_nothing(
    client: TestClient, team: Lawyers
) -> None:
    token = _session(client, team.author)
    broken = with_changed_sentence(word_reminder(), new="Оплатите до {{ t.payment_term.days ")
    refused = _upload(client, token, broken, changelog="сломанный тег")
    assert refused.status_code == 422, refused.text
    assert 'id="upload-refused"' in refused.text and 'id="problems"' in refused.text
    assert "сломанный тег" in refused.text, "the form keeps what was typed"
    assert "сломанный тег" not in client.get("/ui/templates").text


def test_a_threat_to_cut_off_utilities_is_refused_with_its_paragraph_and_article(
    client: TestClient, team: Lawyers
) -> None:
    pytest.importorskip("service.templates.checks", reason="the content checks (tpl-checks)")
    token = _session(client, team.author)
    refused = _upload(client, token, with_changed_sentence(word_reminder(), new=THREAT))
    assert refused.status_code == 422, refused.text
    assert re.search(r'<td class="where">[^<]*абзац', refused.text), "the problem names its place"
    assert "art" in refused.text or "ст." in refused.text or "бап" in refused.text


def test_the_version_page_downloads_its_source_and_previews_a_pdf(
    client: TestClient, team: Lawyers, contract_case: dict[str, Any]
) -> None:
    token = _session(client, team.author)
    sent = _upload(client, token, with_changed_sentence(word_reminder()))
    version_id = VERSION.search(sent.headers["location"]).group(1)  # type: ignore[union-attr]
    source = client.get(f"/ui/templates/versions/{version_id}/source")
    assert source.status_code == 200
    assert "attachment" in source.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(source.content)) as bundle:
        assert bundle.namelist() == ["reminder.docx"]
    sample = client.get(f"/ui/templates/versions/{version_id}/preview")
    assert sample.status_code == 200 and sample.content.startswith(b"%PDF-")
    real = client.get(
        f"/ui/templates/versions/{version_id}/preview",
        params={"case": contract_case["external_id"]},
    )
    if real.status_code == 200:
        assert real.content.startswith(b"%PDF-")
    else:  # a case the preview refuses: said on the version page, every problem listed
        assert real.status_code == 422 and 'id="refused"' in real.text, real.text
    assert NEW_SENTENCE  # the sentence itself is read back in the browser test's issued PDF


def test_an_auditor_may_not_upload_and_another_creditors_lawyer_sees_nothing(
    client: TestClient, team: Lawyers, tenant: Tenant, wiring: Wiring
) -> None:
    token = _session(client, team.author)
    sent = _upload(client, token, word_reminder())
    version_id = VERSION.search(sent.headers["location"]).group(1)  # type: ignore[union-attr]
    client.post("/ui/logout", data={"csrf_token": token})

    auditor_token = _session(client, tenant.auditor_key)
    refused = _upload(client, auditor_token, word_reminder())
    assert refused.status_code == 403
    client.post("/ui/logout", data={"csrf_token": auditor_token})

    from tests.api import make_tenant
    from tests.conftest import load_fixture

    other_creditor = {**load_fixture("creditor.json"), "bin": "180340021791"}
    other = make_tenant(wiring, other_creditor)
    _session(client, key_for(wiring, other.creditor_id, "lawyer"))
    assert client.get(f"/ui/templates/versions/{version_id}", headers=HTML).status_code == 404
    assert version_id not in client.get("/ui/templates").text
