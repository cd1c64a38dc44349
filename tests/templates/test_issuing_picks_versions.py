"""Issuing picks the version live at the issue moment, records it, and older documents keep
verifying under the version they were issued with."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from service.templates import service as templates
from tests.api import Tenant, fixture
from tests.pdftext import pdf_text
from tests.templates.helpers import NEW_SALUTATION, OLD_SALUTATION, lawyer, live_new_reminder

CASE = "KKT3-21-045"


def issue(client: TestClient, tenant: Tenant, **extra: Any) -> dict[str, Any]:
    body = {**fixture("issue-reminder.json"), **extra}
    response = client.post(f"/v1/cases/{CASE}/documents", json=body, headers=tenant.headers())
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


def pdf(client: TestClient, tenant: Tenant, document: dict[str, Any]) -> str:
    got = client.get(f"/v1/documents/{document['id']}/pdf", headers=tenant.headers())
    return pdf_text(got.content)


def test_a_new_version_applies_from_its_live_from_and_older_documents_keep_theirs(
    client: TestClient,
    wiring: Wiring,
    clock: FixedClock,
    tenant: Tenant,
    contract_case: dict[str, Any],
) -> None:
    first = issue(client, tenant)
    shipped = wiring.templating().bundled()[("reminder", "kk")][0]
    assert first["template_version"] == shipped.id
    assert OLD_SALUTATION in pdf(client, tenant, first)

    live_from = clock.now() + dt.timedelta(days=1)
    new_id = live_new_reminder(wiring, live_from)
    assert new_id != shipped.id

    before = issue(client, tenant)  # still the day before: the old wording
    assert before["template_version"] == shipped.id

    clock.advance(dt.timedelta(days=2))
    after = issue(client, tenant)
    assert after["template_version"] == new_id
    text = pdf(client, tenant, after)
    assert NEW_SALUTATION in text and OLD_SALUTATION not in text

    for older in (first, before):
        verdict = client.get(f"/v1/documents/{older['id']}/verify", headers=tenant.headers())
        assert verdict.json()["valid"] is True, verdict.json()
        assert verdict.json()["document"]["template_version"] == shipped.id
        record = client.get(f"/v1/documents/{older['id']}", headers=tenant.headers()).json()
        assert record["template_version"] == shipped.id


def test_issuing_between_two_effective_dates_picks_the_version_live_then(
    client: TestClient,
    wiring: Wiring,
    clock: FixedClock,
    tenant: Tenant,
    contract_case: dict[str, Any],
) -> None:
    start = clock.now()
    second = live_new_reminder(wiring, start + dt.timedelta(days=2), new="Қадірлі меншік иесі!")
    third = live_new_reminder(
        wiring,
        start + dt.timedelta(days=5),
        author=lawyer("author-2"),
        approver=lawyer("approver-2"),
        new="Құрметті пәтер иесі!",
    )
    clock.advance(dt.timedelta(days=3))  # between the two
    assert issue(client, tenant)["template_version"] == second
    clock.advance(dt.timedelta(days=3))  # after both
    assert issue(client, tenant)["template_version"] == third


def test_a_creditors_own_version_applies_only_to_that_creditor(
    client: TestClient,
    wiring: Wiring,
    clock: FixedClock,
    tenant: Tenant,
    contract_case: dict[str, Any],
) -> None:
    from tests.api import make_tenant

    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "990240000000"})
    put = client.put(f"/v1/cases/{CASE}", json=fixture("case.json"), headers=other.headers())
    assert put.status_code == 201, put.text
    own = live_new_reminder(
        wiring,
        clock.now() + dt.timedelta(hours=1),
        author=lawyer("own-author", tenant.creditor_id),
        approver=lawyer("own-approver", tenant.creditor_id),
    )
    clock.advance(dt.timedelta(hours=2))
    assert issue(client, tenant)["template_version"] == own
    shipped = wiring.templating().bundled()[("reminder", "kk")][0]
    assert issue(client, other)["template_version"] == shipped.id


@pytest.fixture
def law_with_new_edition(wiring: Wiring) -> Wiring:
    """The law as if housing art. 34-1 p. 8 got a new edition on 1 December 2026."""
    provisions = dict(wiring.law.provisions)
    old = provisions["housing-34-1-p8"]
    edition = replace(old.editions[-1], effective_from=dt.date(2026, 12, 1), amended_by="test")
    provisions[old.id] = replace(old, editions=(*old.editions, edition))
    law = replace(wiring.law, provisions=provisions)
    return replace(wiring, law=law)


def test_a_stale_version_is_refused_from_the_new_editions_date_until_a_new_one_is_live(
    law_with_new_edition: Wiring, clock: FixedClock, tenant: Tenant
) -> None:
    from service.main import create_app

    wiring = law_with_new_edition
    with TestClient(create_app(wiring)) as client:
        put = client.put(f"/v1/cases/{CASE}", json=fixture("case.json"), headers=tenant.headers())
        assert put.status_code == 201
        issue(client, tenant)  # before 1 December: the old edition is still in force
        with wiring.db.transaction(read_only=True) as session:
            listed = templates.list_templates(session, wiring.templating(), lawyer("reader"))
        reminder = next(t for t in listed if (t.kind, t.language) == ("reminder", "kk"))
        assert reminder.stale and reminder.live is not None
        assert reminder.live.stale[0].provision == "housing-34-1-p8"

        clock.move_to(dt.date(2026, 12, 2))
        body = fixture("issue-reminder.json")
        refused = client.post(f"/v1/cases/{CASE}/documents", json=body, headers=tenant.headers())
        assert refused.status_code == 422, refused.text
        (error,) = [e for e in refused.json()["errors"] if e["code"] == "stale_template"]
        assert "housing-34-1-p8" in error["message"]

        renewed = live_new_reminder(wiring, clock.now() + dt.timedelta(minutes=5))
        clock.advance(dt.timedelta(minutes=10))
        assert issue(client, tenant)["template_version"] == renewed
