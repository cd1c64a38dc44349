"""Rendering bounded in pages and time (issue 13 item 1): a template or data that yields too many
pages, or a render that runs too long, is a 422 naming the limit and its setting."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring, build_engines, build_wiring
from service.clock import FixedClock
from service.errors import RenderingFailed
from service.law.context import LawContext
from service.main import create_app
from service.rendering.bounds import RenderBounds, page_count
from service.rendering.engines import EngineRegistry, Recorder, Rendered, SourceBundle
from service.rendering.typst import TypstRenderer
from service.settings import Settings
from service.signing import Pkcs12Signer
from tests.api import fixture, issue, make_tenant

DAY = dt.date(2026, 11, 2)


def _pages() -> SourceBundle:
    """A Typst template whose data says how many pages it has."""
    source = (
        "#let data = json(bytes(sys.inputs.data))\n"
        "#for i in range(data.pages) [Page #(i + 1) #if i + 1 < data.pages { pagebreak() }]\n"
    )
    return SourceBundle(files={"main.typ": source.encode()}, entry="main.typ")


@pytest.fixture
def bounded(tmp_path: Path) -> EngineRegistry:
    settings = Settings(data_dir=tmp_path, render_max_pages=5)
    return build_engines(settings)


def test_a_render_within_the_page_limit_is_returned(bounded: EngineRegistry) -> None:
    rendered = bounded.get("typst").render("bounds-pages", _pages(), {"pages": 5}, created=DAY)
    assert page_count(rendered.pdf) == 5


def test_data_that_yields_too_many_pages_is_refused_naming_the_limit(
    bounded: EngineRegistry,
) -> None:
    with pytest.raises(RenderingFailed) as refused:
        bounded.get("typst").render("bounds-pages", _pages(), {"pages": 6}, created=DAY)
    assert refused.value.status == 422
    (error,) = refused.value.errors
    assert (error.path, error.code) == ("template", "too_many_pages")
    assert "6 pages" in error.message
    assert "limit of 5 (TALAP_RENDER_MAX_PAGES)" in error.message


class Stuck:
    """An engine whose render waits until the test lets it go (a template that runs long)."""

    name = "stuck"

    def __init__(self) -> None:
        self.release = threading.Event()

    def missing(self) -> str | None:
        return None

    def render(
        self,
        version_id: str,
        bundle: SourceBundle,
        view: Mapping[str, Any],
        *,
        created: dt.date,
        recorder: Recorder | None = None,
    ) -> Rendered:
        self.release.wait(60)
        return Rendered(pdf=b"")


@pytest.fixture
def stuck() -> Iterator[Stuck]:
    engine = Stuck()
    yield engine
    engine.release.set()


def test_a_render_that_runs_too_long_is_refused_naming_the_limit(stuck: Stuck) -> None:
    registry = EngineRegistry([stuck], bounds=RenderBounds(seconds=0.2))
    with pytest.raises(RenderingFailed) as refused:
        registry.get("stuck").render("v", _pages(), {}, created=DAY)
    (error,) = refused.value.errors
    assert (error.path, error.code) == ("template", "render_timeout")
    assert "0.2 s (TALAP_RENDER_TIMEOUT_SECONDS)" in error.message


def test_an_engines_own_refusal_passes_through(bounded: EngineRegistry) -> None:
    broken = SourceBundle(files={"main.typ": b"#let x = (\n"}, entry="main.typ")
    with pytest.raises(RenderingFailed) as refused:
        bounded.get("typst").render("bounds-broken", broken, {}, created=DAY)
    assert "TALAP_RENDER" not in refused.value.message


@pytest.fixture
def three_pages_wiring(
    settings: Settings,
    clock: FixedClock,
    law: LawContext,
    renderer: TypstRenderer,
    signer: Pkcs12Signer,
) -> Iterator[Wiring]:
    limited = settings.model_copy(update={"render_max_pages": 3})
    built = build_wiring(
        limited,
        clock=clock,
        law=law,
        renderer=renderer,
        signer=signer,
        engines=build_engines(limited),
    )
    yield built
    built.close()


def test_issuing_a_document_over_the_page_limit_is_a_422_and_nothing_is_stored(
    three_pages_wiring: Wiring,
) -> None:
    """Through the API: the bilingual reminder has more than three pages, the limit is three;
    the same reminder in Kazakh has three and is issued."""
    tenant = make_tenant(three_pages_wiring)
    case = fixture("case.json")
    with TestClient(create_app(three_pages_wiring)) as client:
        put = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=tenant.headers())
        assert put.status_code == 201, put.text
        response = issue(client, tenant, {"kind": "reminder", "language": "bilingual"})
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error"]["code"] == "rendering_failed"
        (error,) = body["errors"]
        assert (error["path"], error["code"]) == ("template", "too_many_pages")
        assert "limit of 3 (TALAP_RENDER_MAX_PAGES)" in error["message"]
        # The three-page Kazakh reminder is issued with the first number: the refused one took
        # none (nothing was stored or numbered for it).
        within = issue(client, tenant, {"kind": "reminder", "language": "kk"})
    assert within.status_code == 201, within.text
    assert within.json()["number"].endswith("-00001"), within.json()["number"]
