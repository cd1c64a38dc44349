"""A renderer double for fast tests: a real, minimal one-page PDF (pyHanko can sign it), no
typesetting. It records what it was asked to render, so a test can look at the view model."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from service.errors import FieldError, RenderingFailed
from service.rendering.base import TemplateRef, no_template
from service.rendering.engines import Recorder, Rendered, SourceBundle


class FakeRenderer:
    def __init__(self, templates: Iterable[TemplateRef] | None = None) -> None:
        self._templates = set(templates) if templates is not None else None
        self.rendered: list[tuple[TemplateRef, Mapping[str, Any]]] = []

    def has_template(self, template: TemplateRef) -> bool:
        return self._templates is None or template in self._templates

    def template_version(self, template: TemplateRef) -> str:
        return f"{template}@fake"

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        return []

    def render(self, template: TemplateRef, view: Mapping[str, Any], *, created: dt.date) -> bytes:
        if not self.has_template(template):
            raise RenderingFailed(f"no template {template}", [no_template(template)])
        self.rendered.append((template, view))
        line = json.dumps(
            {"template": str(template), "document": view.get("document_id")}, ensure_ascii=True
        )
        return minimal_pdf(line)


def minimal_pdf(line: str) -> bytes:
    """A valid one-page PDF showing ``line`` (ASCII) in Helvetica."""
    text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 10 Tf 40 800 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class FakeEngine:
    """An engine double (C1): the minimal PDF naming the version, no typesetting; it records
    what it was asked to render."""

    def __init__(self, name: str = "typst") -> None:
        self.name = name
        self.rendered: list[tuple[str, Mapping[str, Any]]] = []

    def missing(self) -> str | None:
        return None

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        return []

    def render(
        self,
        version_id: str,
        bundle: SourceBundle,
        view: Mapping[str, Any],
        *,
        created: dt.date,
        recorder: Recorder | None = None,
    ) -> Rendered:
        self.rendered.append((version_id, view))
        line = json.dumps(
            {"version": version_id[:12], "document": view.get("document_id")}, ensure_ascii=True
        )
        return Rendered(minimal_pdf(line))
