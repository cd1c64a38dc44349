"""Typst with attachments: PDF/A-3b whose associated files come out byte for byte."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from service.bundled import bundled_dir
from service.errors import RenderingFailed
from service.rendering.base import Attachment
from service.rendering.typst.attaching import TypstAttachingRenderer, safe_name

CREATED = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def renderer() -> TypstAttachingRenderer:
    return TypstAttachingRenderer(bundled_dir("templates"))


def proof_view(image: bool) -> dict[str, object]:
    return {"title": "notice", "kk": "дәлел", "ru": "доказательство", "sha256": "0" * 64,
            "image": image}  # fmt: skip


def test_an_image_is_placed_on_a_page_and_nothing_is_attached(
    renderer: TypstAttachingRenderer, tmp_path: Path
) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 10)).save(buffer, format="PNG")
    png = Attachment("photo.png", buffer.getvalue(), "image/png", "Source", "")
    pdf = renderer.render_with("pack/proof.typ", proof_view(True), [png], created=CREATED)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and not reader.attachments
    assert reader.pages[0].images  # the photo is on the page


def test_refusals_name_what_is_wrong(renderer: TypstAttachingRenderer) -> None:
    with pytest.raises(RenderingFailed, match="no template"):
        renderer.render_with("../etc/passwd.typ", {}, [], created=CREATED)
    with pytest.raises(RenderingFailed, match="same file name"):
        twice = [Attachment("a.pdf", b"1", "application/pdf", "Source", "")] * 2
        renderer.render_with("pack/proof.typ", proof_view(False), twice, created=CREATED)
    with pytest.raises(RenderingFailed, match="not covered") as refused:
        renderer.render_with(
            "pack/proof.typ", {**proof_view(False), "title": "\U0001f4e8"}, [], created=CREATED
        )
    assert refused.value.errors[0].path == "title"


def test_safe_names_keep_ascii_and_drop_folders() -> None:
    assert safe_name("proofs/01-a b.pdf") == "01-a_b.pdf"
    assert safe_name("../../x") == "x"
