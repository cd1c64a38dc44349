"""Typst: a view model in, PDF/A-2b out.

- The data reaches Typst only as JSON in ``sys.inputs.data`` (read with
  ``json(bytes(sys.inputs.data))``); nothing is spliced into markup, so a name like ``#read(...)``
  or ``]#[`` is printed, not evaluated.
- Only the bundled fonts are visible to Typst (no system fonts, no Typst-embedded fonts), and the
  glyph guard refuses any text they cannot typeset before Typst runs.
- ``typst.Compiler``s per template file, reused: a new compiler per document costs ≈ 48 ms
  instead of 20–32 ms (research ``perf.md`` F4). A compiler serves one thread at a time; up to
  ``COMPILERS_PER_TEMPLATE`` are kept per template, so threads rendering the same template
  (bulk issuing) compile side by side (Typst leaves the GIL while it compiles).
- The PDF creation date is the issue date (midnight UTC), so the same view gives the same bytes.
- The verification QR code is drawn here (``qr.py``): it is how Typst shows a URL, not content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import typst

from service.errors import FieldError, RenderingFailed
from service.rendering.base import TemplateRef, no_template
from service.rendering.typst.compilers import CompilerPool, typst_input
from service.rendering.typst.glyphs import FONTS_DIR, coverage_errors, require_coverage

PDF_STANDARD: Final = "a-2b"
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class TypstRenderer:
    """Renders ``templates_dir/{language}/{kind}.typ`` (``templates_dir`` is the Typst root)."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = Path(templates_dir).resolve()
        self._fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[str(FONTS_DIR)],
        )
        self._pool = CompilerPool(self._fonts)
        self._versions: dict[TemplateRef, str] = {}
        self._registry_lock = threading.Lock()

    def _path(self, template: TemplateRef) -> Path | None:
        if _NAME.match(template.kind) and _NAME.match(template.language):
            path = self.templates_dir / template.language / f"{template.kind}.typ"
            if path.is_file():
                return path
        return None

    def has_template(self, template: TemplateRef) -> bool:
        return self._path(template) is not None

    def template_path(self, template: TemplateRef) -> Path:
        """The entry file of ``template``; ``RenderingFailed`` if there is none."""
        path = self._path(template)
        if path is None:
            raise RenderingFailed(f"no template {template}", [no_template(template)])
        return path

    def template_version(self, template: TemplateRef) -> str:
        """``kind/language@<hash>``: the content hash of the entry file and the shared blocks,
        computed once per process (a running service's templates change only with a deploy)."""
        with self._registry_lock:
            version = self._versions.get(template)
        if version is None:
            digest = hashlib.sha256()
            for path in [self.template_path(template), *self._shared_blocks()]:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
            version = f"{template}@{digest.hexdigest()[:12]}"
            with self._registry_lock:
                self._versions[template] = version
        return version

    def _shared_blocks(self) -> list[Path]:
        return sorted((self.templates_dir / "common").glob("*.typ"))

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        return coverage_errors(fields)

    def _compiler(self, path: Path) -> contextlib.AbstractContextManager[typst.Compiler]:
        return self._pool.compiler(str(path), lambda: (path, self.templates_dir))

    def render(self, template: TemplateRef, view: Mapping[str, Any], *, created: dt.date) -> bytes:
        path = self.template_path(template)
        require_coverage(view)
        data = typst_input(view)
        try:
            with self._compiler(path) as compiler:
                pdf = compiler.compile(
                    format="pdf",
                    sys_inputs={"data": data},
                    pdf_standards=[PDF_STANDARD],
                    timestamp=dt.datetime(created.year, created.month, created.day, tzinfo=dt.UTC),
                )
        except typst.TypstError as exc:
            raise RenderingFailed(_describe(exc, path, self.templates_dir)) from exc
        if not isinstance(pdf, bytes):
            raise RenderingFailed(f"Typst returned no PDF for {path.name}")
        return pdf


def _describe(exc: typst.TypstError, path: Path, root: Path) -> str:
    """One line a person can act on: the template and Typst's first message (no Rust trace)."""
    message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()
    first = message[0] if message else "unknown error"
    hints = getattr(exc, "hints", None) or []
    hint = f" (hint: {hints[0]})" if hints else ""
    return f"the template {path.relative_to(root)} could not be typeset: {first}{hint}"
