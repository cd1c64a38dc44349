"""The issuing pipeline on its in-memory doubles — archive, renderer, a signer whose key lives
only in memory — next to the real adapters the rest of the suite uses: fast, and a check that
the seams are the only thing the pipeline knows about its adapters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.archive import MemoryArchive
from service.bootstrap import Wiring, build_wiring
from service.clock import FixedClock
from service.law.context import LawContext
from service.main import create_app
from service.rendering.engines import EngineRegistry
from service.rendering.memory import FakeEngine, FakeRenderer
from service.settings import Settings
from service.signing import in_memory_signer
from tests.api import CASE, Tenant, fixture, make_tenant


@pytest.fixture
def doubles(settings: Settings, clock: FixedClock, law: LawContext) -> Iterator[Wiring]:
    wiring = build_wiring(
        settings,
        clock=clock,
        law=law,
        archive=MemoryArchive(),
        renderer=FakeRenderer(),
        signer=in_memory_signer(),
        engines=EngineRegistry([FakeEngine()]),
    )
    yield wiring
    wiring.close()


@pytest.fixture
def on_doubles(doubles: Wiring) -> Iterator[tuple[TestClient, Tenant]]:
    with TestClient(create_app(doubles)) as client:
        tenant = make_tenant(doubles)
        put = client.put(f"/v1/cases/{CASE}", json=fixture("case.json"), headers=tenant.headers())
        assert put.status_code == 201
        yield client, tenant


def test_issue_records_signs_archives_and_verifies_on_the_doubles(
    doubles: Wiring, on_doubles: tuple[TestClient, Tenant]
) -> None:
    client, tenant = on_doubles
    response = client.post(
        f"/v1/cases/{CASE}/documents", json=fixture("issue-warning.json"), headers=tenant.headers()
    )
    assert response.status_code == 422  # the ladder: a warning needs a delivered reminder
    document = client.post(
        f"/v1/cases/{CASE}/documents", json=fixture("issue-reminder.json"), headers=tenant.headers()
    ).json()
    shipped = doubles.templating().bundled()[("reminder", "kk")][0]
    assert document["template_version"] == shipped.id  # the bundled version, live since 2025
    assert doubles.archive.names() == [document["sha256"]]
    engine = doubles.engines.find("typst")
    assert isinstance(engine, FakeEngine)
    (version, view), *_ = engine.rendered
    assert version == shipped.id
    assert view["document_id"] == document["id"] and not view["draft"]
    assert view["text"]["kk"]["number"] == document["number"] == "2026-00001"
    assert view["text"]["kk"]["debt"]["totals"]["overdue"] == "58\u202f648,00"
    verdict = client.get(f"/v1/documents/{document['id']}/verify", headers=tenant.headers())
    assert verdict.json()["valid"] is True, verdict.json()
    assert verdict.json()["checks"]["signature"]["development_key"] is True


def test_a_tampered_object_in_the_memory_archive_fails_verify(
    doubles: Wiring, on_doubles: tuple[TestClient, Tenant]
) -> None:
    client, tenant = on_doubles
    document = client.post(
        f"/v1/cases/{CASE}/documents", json=fixture("issue-reminder.json"), headers=tenant.headers()
    ).json()
    archive = doubles.archive
    assert isinstance(archive, MemoryArchive)
    archive.tamper(document["sha256"], archive.get(document["sha256"]) + b"%% appended\n")
    body = client.get(f"/v1/documents/{document['id']}/verify", headers=tenant.headers()).json()
    assert body["valid"] is False
    assert body["checks"]["hash"]["ok"] is False
    assert body["checks"]["signature"]["modified_after_signing"] is True
