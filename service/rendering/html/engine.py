"""HTML templates (Jinja2 + WeasyPrint) behind the engine seam: a version's HTML and CSS and a
view in, PDF/A-2b out.

- Jinja2 runs in the sandbox with autoescape (``service.rendering.jinja``): data is text, a
  newline in a value becomes ``<br>``. ``{% include %}`` and ``{% extends %}`` read only the
  bundle's own files.
- WeasyPrint loads resources only through ``fetcher.BundleFetcher``: the bundle's files, the
  bundled fonts, small inline images. The document's base URL is the bundle's virtual root.
- DejaVu Serif (the service's document font, which covers Kazakh) is declared by a user
  stylesheet with ``@font-face`` from the bundled files and is the default ``font-family``; a
  template may name it in its own CSS. The glyph guard refuses data that font cannot show.
- The PDF's creation and modification dates are the issue date, like the Typst engine's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

from jinja2 import BaseLoader, TemplateError, TemplateNotFound
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from service.errors import FieldError, RenderingFailed
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.rendering.html.fetcher import FONTS_ROOT, TEMPLATE_ROOT, BundleFetcher
from service.rendering.jinja import TemplateEnvironment, escaped_lines, recording, template_context
from service.rendering.typst.glyphs import FONT_FAMILY, coverage_errors, require_coverage

PDF_VARIANT: Final = "pdf/a-2b"
_FACES = (
    ("DejaVuSerif.ttf", "normal", "normal"),
    ("DejaVuSerif-Bold.ttf", "bold", "normal"),
    ("DejaVuSerif-Italic.ttf", "normal", "italic"),
    ("DejaVuSerif-BoldItalic.ttf", "bold", "italic"),
)
FONT_CSS: Final = (
    "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{FONTS_ROOT}{name}"); '
        f"font-weight: {weight}; font-style: {style}; }}\n"
        for name, weight, style in _FACES
    )
    + f'html {{ font-family: "{FONT_FAMILY}"; }}\n'
)


def html_value(value: Any) -> Any:
    return escaped_lines(value, "<br>")


class _BundleLoader(BaseLoader):
    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        data = self.files.get(template)
        if data is None:
            raise TemplateNotFound(template)
        return data.decode("utf-8"), template, lambda: True


class HtmlEngine:
    """``html``: the entry file of the bundle is the HTML template."""

    name = "html"

    def missing(self) -> str | None:
        return None  # WeasyPrint and its Pango are dependencies of the service

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        return coverage_errors(fields)

    def fill(
        self, bundle: SourceBundle, view: Mapping[str, Any], *, recorder: Recorder | None = None
    ) -> str:
        """The HTML of ``view`` (what a recording render needs; no PDF)."""
        environment = TemplateEnvironment(html_value, lenient=recorder is not None)
        environment.loader = _BundleLoader(bundle.files)
        try:
            with recording(recorder):
                return environment.get_template(bundle.entry).render(template_context(view))
        except (TemplateError, UnicodeDecodeError) as exc:
            raise RenderingFailed(
                f"the HTML template {bundle.entry} could not be filled: {exc}"
            ) from exc

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
        markup = self.fill(bundle, view, recorder=recorder)
        fetcher = BundleFetcher(bundle.files)
        fonts = FontConfiguration()
        stylesheet = CSS(string=FONT_CSS, url_fetcher=fetcher, font_config=fonts)
        document = HTML(
            string=markup, base_url=TEMPLATE_ROOT + bundle.entry, url_fetcher=fetcher
        ).render(stylesheets=[stylesheet], font_config=fonts, pdf_variant=PDF_VARIANT)
        stamp = dt.datetime(created.year, created.month, created.day, tzinfo=dt.UTC).isoformat()
        document.metadata.created = stamp
        document.metadata.modified = stamp
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
        if not isinstance(pdf, bytes):
            raise RenderingFailed(f"WeasyPrint returned no PDF for {bundle.entry}")
        return Rendered(pdf=pdf)
