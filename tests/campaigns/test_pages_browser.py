"""The campaign pages in a real browser (issue 12): a system key starts a run over six cases;
in Chromium the system user finds "Таратулар" in the navigation and may read the run but not
approve it; a lawyer opens the same link, reads the run's drafts (no numbers: nothing issued
before approval), has a forged and a missing CSRF token on the approval refused, approves, and
watches the run's own page reload itself while the queue issues and sends (issued 2 / 6, …),
until it shows the outcome (in Kazakh, then in Russian) and each document's number — one issued
PDF, downloaded through the page, carries the number the page shows. Skipped, saying why, where
Chromium or Playwright is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from service.bootstrap import Wiring
from service.campaigns import service as campaigns
from service.documents.models import IssuedDocumentRow
from service.outbox import tasks as outbox_tasks
from service.outbox.models import OutboxRow
from tests.api import Tenant, key_for
from tests.campaigns.builders import put_cases
from tests.mail.smtp import Mailbox
from tests.pdftext import squashed, squashed_text
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, chromium_missing, serving

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
if chromium_missing():
    pytest.skip(chromium_missing() or "", allow_module_level=True)

CASES = 6
REFRESHED = 20_000
"""How long (ms) the test waits for the page to reload itself (it asks every 5 s)."""


@pytest.fixture
def served(wiring: Wiring) -> Iterator[str]:
    with serving(wiring) as base:
        yield base


def _start_run(base: str, tenant: Tenant) -> tuple[str, str]:
    """Through the API with the system key: an e-mail reminder campaign and a run of it."""
    body = {"name": "Қараша: еске салу", "kind": "reminder", "channel": "email"}
    with httpx.Client(base_url=base, headers=tenant.headers(), timeout=60) as http:
        created = http.post("/v1/campaigns", json=body)
        assert created.status_code == 201, created.text
        campaign: str = created.json()["id"]
        started = http.post(f"/v1/campaigns/{campaign}/runs")
        assert started.status_code == 202, started.text
        run: str = started.json()["id"]
    return campaign, run


def _run_one(wiring: Wiring, topic: str) -> None:
    """One due job of ``topic``, here in the test, as a worker would run it."""
    due = outbox_tasks.sweep(wiring)
    with wiring.db.transaction(read_only=True) as session:
        topics = {i: t for i, t in session.execute(select(OutboxRow.id, OutboxRow.topic))}
    item = next(i for i in due if topics[i] == topic)
    assert outbox_tasks.run_item(wiring, item) is not None


def _issued(wiring: Wiring) -> int:
    with wiring.db.transaction(read_only=True) as session:
        return len(session.scalars(select(IssuedDocumentRow.id)).all())


def _log_in(page: Any, base: str, key: str) -> None:
    page.goto(f"{base}/ui/cases")
    page.get_by_label("API кілті").fill(key)
    with page.expect_navigation():
        page.get_by_role("button", name="Кіру").click()
    assert page.url == f"{base}/ui/cases"


def test_a_lawyer_approves_a_run_in_the_browser_and_watches_it_issue_and_send(
    served: str,
    wiring: Wiring,
    tenant: Tenant,
    mailbox: Mailbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(campaigns, "CHUNK", 2)  # three issuing jobs: progress between them
    cases = put_cases(wiring, tenant, CASES)
    campaign, run = _start_run(served, tenant)
    outbox_tasks.drain(wiring, rounds=20)  # the worker: choose the cases, prepare the drafts
    run_path = f"/ui/campaigns/{campaign}/runs/{run}"
    lawyer = key_for(wiring, tenant.creditor_id, "lawyer")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True, locale="kk-KZ")
            page = context.new_page()

            # The system user: the link is in the navigation; the run is there, no form.
            _log_in(page, served, tenant.system_key)
            with page.expect_navigation():
                page.get_by_role("link", name="Таратулар").click()
            assert page.url == f"{served}/ui/campaigns"
            assert page.locator(f"#run-{run} h2").inner_text() == "Қараша: еске салу"
            assert page.locator("#no-right").is_visible()
            assert page.locator("form.approve").count() == 0
            with page.expect_navigation():
                page.locator("form.logout button").click()

            # The lawyer: the same link, the run's drafts, nothing issued yet.
            _log_in(page, served, lawyer)
            with page.expect_navigation():
                page.get_by_role("link", name="Таратулар").click()
            card = page.locator(f"#run-{run}")
            assert card.locator("dd.prepared").inner_text() == str(CASES)
            assert f"Бекіту және шығару ({CASES})" in card.inner_text()
            with page.expect_navigation():
                card.locator("a.open-run").click()
            assert page.url == f"{served}{run_path}"
            assert page.locator("#state").inner_text() == "бекітуді күтуде"
            rows = page.locator("#drafts tbody tr")
            assert rows.evaluate_all("rows => rows.map(r => r.dataset.case)") == cases
            assert set(page.locator("#drafts td.status").all_inner_texts()) == {
                "дайындалды, бекітуді күтуде"
            }
            assert set(page.locator("#drafts td.number").all_inner_texts()) == {"нөмірсіз"}
            assert "Әзірге ештеңе шығарылған жоқ" in page.locator("#nothing-issued").inner_text()
            assert page.locator("#refreshing").count() == 0  # waiting for a person: no reload

            # Attacks: a forged and then a missing CSRF token on the approval are refused.
            page.locator("form.approve input[name=csrf_token]").evaluate(
                "input => { input.value = 'forged-token' }"
            )
            with page.expect_navigation():
                page.locator("form.approve button").click()
            assert page.locator("#error").get_attribute("data-code") == "csrf_failed"
            assert "Форманың қорғау белгісі сәйкес келмейді" in page.locator("#error").inner_text()
            page.goto(f"{served}{run_path}")
            page.locator("form.approve input[name=csrf_token]").evaluate("input => input.remove()")
            with page.expect_navigation():
                page.locator("form.approve button").click()
            assert page.locator("#error").get_attribute("data-code") == "csrf_failed"
            page.goto(f"{served}{run_path}")
            assert page.locator("#state").get_attribute("data-state") == "awaiting_approval"
            assert _issued(wiring) == 0

            # The approval: the run's page now shows its progress and reloads itself.
            with page.expect_navigation() as approved:
                page.locator("form.approve button").click()
            response = approved.value
            assert response is not None and response.headers.get("refresh") == "5"
            assert page.url == f"{served}{run_path}"
            assert page.locator("#state").inner_text() == "құжаттар шығарылуда"
            assert page.locator("#issued-count").inner_text() == f"0 / {CASES}"
            assert page.locator("#refreshing").is_visible()
            assert _issued(wiring) == 0  # approved, not yet issued: the queue issues

            expect = sync_api.expect
            _run_one(wiring, campaigns.ISSUE)  # the page reloads on its own and shows it
            expect(page.locator("#issued-count")).to_have_text(f"2 / {CASES}", timeout=REFRESHED)
            bar = page.locator("progress#issued-bar")
            assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("2", str(CASES))
            _run_one(wiring, campaigns.ISSUE)
            _run_one(wiring, campaigns.ISSUE)
            expect(page.locator("#state")).to_have_text("жіберілуде", timeout=REFRESHED)
            assert page.locator("#issued-count").inner_text() == f"{CASES} / {CASES}"
            assert page.locator("#sent-count").inner_text() == f"0 / {CASES}"

            outbox_tasks.drain(wiring, rounds=20)  # the sendings
            expect(page.locator("#outcome")).to_have_attribute(
                "data-state", "done", timeout=REFRESHED
            )
            outcome = page.locator("#outcome").inner_text()
            assert outcome == f"аяқталды: Шығарылды {CASES}, Жіберілді {CASES}.", outcome
            assert page.locator("#sent-count").inner_text() == f"{CASES} / {CASES}"
            assert page.locator("#refreshing").count() == 0  # done: no more reloads
            assert set(page.locator("#drafts td.status").all_inner_texts()) == {"шығарылды"}
            numbers = page.locator("#drafts td.number a").all_inner_texts()
            assert len(set(numbers)) == CASES and all(numbers), numbers
            assert len(mailbox.wait_for(CASES)) == CASES
            with page.expect_navigation():  # the same outcome in Russian
                page.get_by_role("link", name="Русский").click()
            assert page.url == f"{served}{run_path}"
            outcome = page.locator("#outcome").inner_text()
            assert outcome == f"завершён: Выпущено {CASES}, Отправлено {CASES}.", outcome
            assert page.locator("#drafts caption").inner_text() == f"Черновики ({CASES})"
            assert set(page.locator("#drafts td.status").all_inner_texts()) == {"выпущен"}

            # One issued document, through the page: its PDF carries the number shown.
            first = numbers[0]
            with page.expect_navigation():
                page.locator("#drafts td.number a").first.click()
            assert page.locator("#verdict").get_attribute("data-valid") == "true"
            with page.expect_download() as download:
                page.locator("#pdf").click()
            saved = tmp_path / "issued.pdf"
            download.value.save_as(saved)
            pdf = saved.read_bytes()
            assert pdf.startswith(b"%PDF-")
            assert squashed(first) in squashed_text(pdf), first

            # The list: the run among the recent ones, done, six of six.
            page.goto(f"{served}/ui/campaigns")
            row = page.locator(f"#recent-{run}")
            assert row.locator("td.state").get_attribute("data-state") == "done"
            assert row.locator("td.issued").inner_text() == f"{CASES} / {CASES}"
        finally:
            browser.close()
