"""Word templates (docxtpl) behind the engine seam: a lawyer's DOCX and a view in, the filled
DOCX and a PDF/A-2b from LibreOffice out.

- docxtpl renders the DOCX's body, tables, headers and footers with Jinja2; we hand it our
  sandboxed, autoescaping environment (``service.rendering.jinja``), so ``A & B <C> "D"`` in the
  data stays text and the DOCX stays valid XML. A newline in a value becomes a Word line break
  (``<w:br/>``), a tab a ``<w:tab/>``; characters XML 1.0 forbids are dropped.
- Word's typing aids inside tags are undone before Jinja sees them: curly quotes typed in
  ``{{ “x” }}`` become straight quotes (docxtpl does it for ‘ ’ “ ” too; we do it for the
  Kazakh/Russian «» and „ “ as well), and docxtpl joins a tag that Word split across runs in one
  paragraph. A tag that spans paragraphs it cannot join: ``tags.split_tags`` finds those for
  the checks.
- The glyph guard of the Typst engine runs first: a character the bundled DejaVu Serif lacks is
  refused with its field, and LibreOffice sees that font (``pool.py``), which the bundled Word
  templates use.
- The PDF comes from LibreOffice through the warm pool with the PDF/A-2b export filter; the
  result is checked to declare PDF/A (its XMP ``pdfaid:part``) before it is returned.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from markupsafe import Markup

from service.errors import FieldError, RenderingFailed
from service.rendering.docx import pool
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.rendering.jinja import TemplateEnvironment, as_text, recording, template_context
from service.rendering.typst.glyphs import FONTS_DIR, coverage_errors, require_coverage

DOCX_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDFA_OPTIONS: Final = (
    "SelectPdfVersion=2",  # PDF/A-2b
    "UseTaggedPDF=true",
    "ExportFormFields=false",
)
_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 but the surrogates
# and U+FFFE/U+FFFF; anything else would make the DOCX unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Quotes Word's autocorrect types inside a tag, and what Jinja needs there.
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def word_value(value: Any) -> Any:
    """The ``finalize`` of the Word environment: a value as WordprocessingML run text."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return value
    plain = _NOT_XML.sub("", as_text(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [
        Markup(_TAB).join(Markup.escape(piece) for piece in line.split("\t"))
        for line in plain.split("\n")
    ]
    return Markup(_LINE_BREAK).join(lines)


def straight_quotes(xml: str) -> str:
    """Curly quotes inside Jinja tags made straight (outside the tags they are wording)."""

    def straighten(match: re.Match[str]) -> str:
        tag = match.group(0).replace("&quot;", '"').replace("&apos;", "'")
        return tag.translate(_QUOTES)

    return _TAG.sub(straighten, xml)


class _Template(DocxTemplate):  # type: ignore[misc]
    def patch_xml(self, src_xml: str) -> str:
        patched: str = super().patch_xml(src_xml)
        return straight_quotes(patched)


class DocxEngine:
    """``docx``: the entry file of the bundle is the DOCX template."""

    name = "docx"

    def __init__(self, work_dir: Path, *, pool_size: int = 2, timeout: float = 60.0) -> None:
        self.pool = pool.UnoPool(
            Path(work_dir) / "unoserver", fonts_dir=FONTS_DIR, size=pool_size, timeout=timeout
        )
        self._strict = TemplateEnvironment(word_value)
        self._lenient = TemplateEnvironment(word_value, lenient=True)
        self._missing: str | None = None
        self._checked = False
        self._lock = threading.Lock()

    def missing(self) -> str | None:
        with self._lock:
            if not self._checked:
                self._missing = pool.missing()
                self._checked = True
            return self._missing

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        return coverage_errors(fields)

    def fill(
        self, bundle: SourceBundle, view: Mapping[str, Any], *, recorder: Recorder | None = None
    ) -> bytes:
        """The filled DOCX (no LibreOffice needed): what a recording render and the checks use."""
        source = bundle.files.get(bundle.entry)
        if source is None:
            raise RenderingFailed(f"the bundle has no entry file {bundle.entry}")
        try:
            template = _Template(io.BytesIO(source))
            environment = self._lenient if recorder is not None else self._strict
            with recording(recorder):
                template.render(template_context(view), environment, autoescape=True)
            out = io.BytesIO()
            template.save(out)
        except TemplateError as exc:
            raise RenderingFailed(
                f"the Word template {bundle.entry} could not be filled: {exc}"
            ) from exc
        except (KeyError, ValueError) as exc:  # not a DOCX (zip without word/document.xml …)
            raise RenderingFailed(f"{bundle.entry} is not a readable Word document: {exc}") from exc
        return out.getvalue()

    def render(
        self,
        version_id: str,
        bundle: SourceBundle,
        view: Mapping[str, Any],
        *,
        created: dt.date,
        recorder: Recorder | None = None,
    ) -> Rendered:
        require_coverage(view)
        filled = self.fill(bundle, view, recorder=recorder)
        problem = self.missing()
        if problem is not None:
            raise RenderingFailed(f"the docx engine cannot run here: {problem}")
        pdf = self.pool.convert(filled, convert_to="pdf", filter_options=PDFA_OPTIONS)
        if b"pdfaid:part" not in pdf:
            raise RenderingFailed("LibreOffice produced a PDF that does not declare PDF/A")
        return Rendered(pdf=pdf, native=filled, native_type=DOCX_TYPE)

    def close(self) -> None:
        self.pool.close()
