"""The HTML engine: Jinja2 in the sandbox with autoescape, WeasyPrint to PDF/A-2b, loading only
the template's own files. Read back with pypdf; the confinement is proved with a loopback server
that counts the requests it gets (none)."""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import io
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from PIL import Image
from pypdf import PdfReader

from service.bundled import bundled_dir
from service.errors import RenderingFailed
from service.rendering.engines import Engine, SourceBundle
from service.rendering.html import HtmlEngine
from service.rendering.html.fetcher import BundleFetcher
from tests.pdftext import contains, pdf_text
from tests.rendering.pdfa import fonts_without_file, pdfa_part
from tests.rendering.word import KAZAKH_LETTERS, Paths, sample_view

CREATED = dt.date(2026, 11, 24)
HTML_DIR = bundled_dir("templates") / "html" / "ru"


def reminder() -> SourceBundle:
    files = {p.name: p.read_bytes() for p in HTML_DIR.iterdir() if p.is_file()}
    return SourceBundle(files, "reminder.html")


def page(body: str, **files: bytes) -> SourceBundle:
    html = f'<!doctype html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    return SourceBundle({"index.html": html.encode(), **files}, "index.html")


def png(size: int = 4) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def image_count(pdf: bytes) -> int:
    return sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages)


class Counting(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    Counting.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_engine_is_an_engine() -> None:
    engine = HtmlEngine()
    assert isinstance(engine, Engine)
    assert (engine.name, engine.missing()) == ("html", None)


def test_the_html_reminder_gives_pdfa_with_embedded_fonts_and_kazakh() -> None:
    view = sample_view("ru")
    t = view["text"]["ru"]
    name = "Әбілқайыр Ғалымжан Қоңыр-Өмір Ұлан Үміт Шаһмардан Іңкәр"
    t["debtor"]["full_name"] = name
    t["creditor"]["name"] = 'ОСИ "Дом & Сад" <script>alert(1)</script>'
    t["debtor"]["postal_address"] = "Алматы қ.\nКөктем-3, 21-үй"

    pdf = HtmlEngine().render("v-html", reminder(), view, created=CREATED).pdf

    assert pdfa_part(pdf) == "2"
    assert fonts_without_file(pdf) == []
    text = pdf_text(pdf)
    assert all(letter in text.lower() for letter in KAZAKH_LETTERS)
    assert contains(pdf, "НАПОМИНАНИЕ", name, t["debt"]["totals"]["overdue"], "стр. 1 из")
    assert contains(pdf, 'ОСИ "Дом & Сад" <script>alert(1)</script>')
    assert "Алматы қ.\nКөктем-3, 21-үй" in text  # the newline became a line break
    assert {font.replace("-", "") for font in _fonts(pdf)} == {"DejaVuSerif", "DejaVuSerifBold"}


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page_ in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page_["/Resources"].get_object().get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_a_template_reads_nothing_outside_its_folder_and_requests_nothing(
    loopback: str,
) -> None:
    body = f"""
      <link rel="stylesheet" href="/etc/passwd">
      <link rel="stylesheet" href="../../../../etc/passwd">
      <link rel="stylesheet" href="file:///etc/hostname">
      <link rel="stylesheet" href="{loopback}/sheet.css">
      <style>@import url("{loopback}/imported.css");
        p {{ background: url("{loopback}/bg.png") }}</style>
      <p>Текст</p>
      <img src="{loopback}/img.png"><img src="//127.0.0.1:1/x.png"><img src="/etc/passwd">
      <img src="data:text/html;base64,{base64.b64encode(b"<b>x</b>").decode()}">
      <img src="logo.png"><img src="img/../logo.png">
      <img src="data:image/png;base64,{base64.b64encode(png(6)).decode()}">
    """
    bundle = page(body, **{"logo.png": png()})
    pdf = HtmlEngine().render("v", bundle, sample_view(), created=CREATED).pdf
    assert Counting.hits == []
    assert "root:" not in pdf_text(pdf)
    assert image_count(pdf) == 2  # its own logo (shown twice, stored once), the inline image


def test_the_fetcher_refuses_before_any_io() -> None:
    fetcher = BundleFetcher({"a.css": b"p {}"})
    assert fetcher.fetch("file:///talap-template/a.css").read() == b"p {}"
    for url in (
        "file:///etc/passwd",
        "file:///talap-template/../etc/passwd",
        "file:///talap-template/b.css",
        "file://evil/talap-template/a.css",
        "file:///talap-fonts/../../etc/passwd",
        "http://127.0.0.1:9/x",
        "ftp://127.0.0.1/x",
        "data:text/css,p{}",
        "data:image/png;base64," + "A" * 200_000,
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 9


def test_the_sandbox_keeps_python_out() -> None:
    with pytest.raises(RenderingFailed):
        HtmlEngine().fill(page("{{ t.__class__.__mro__[1].__subclasses__() }}"), sample_view())


def test_includes_read_only_the_bundle() -> None:
    bundle = page('{% include "part.html" %}', **{"part.html": b"<p>{{ t.number }}</p>"})
    assert sample_view()["text"]["ru"]["number"] in HtmlEngine().fill(bundle, sample_view())
    with pytest.raises(RenderingFailed, match="passwd"):
        HtmlEngine().fill(page('{% include "/etc/passwd" %}'), sample_view())


def test_a_recording_render_sees_loops_and_conditions() -> None:
    paths = Paths()
    HtmlEngine().render("v", reminder(), sample_view(), created=CREATED, recorder=paths)
    assert {
        "t.creditor.name",
        "t.debt.lines",
        "t.debt.lines.period_numeric",
        "t.payment.bic",
        "t.debt.totals.charged",
    } <= paths.read_paths


def test_text_the_fonts_cannot_show_is_refused_with_its_field() -> None:
    view = sample_view("ru")
    view["text"]["ru"]["creditor"]["name"] = "ОСИ 😀"
    with pytest.raises(RenderingFailed) as refused:
        HtmlEngine().render("v", reminder(), view, created=CREATED)
    assert [e.path for e in refused.value.errors] == ["text.ru.creditor.name"]
