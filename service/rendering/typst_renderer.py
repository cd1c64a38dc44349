"""Typst: facts in, PDF/A-2b out.

- The data reaches Typst only as JSON in ``sys.inputs.data`` (read with
  ``json(bytes(sys.inputs.data))``); nothing is spliced into markup, so a name like ``#read(...)``
  or ``]#[`` is printed, not evaluated.
- Only the bundled fonts are visible to Typst (no system fonts, no Typst-embedded fonts), and the
  glyph guard refuses any field they cannot typeset before Typst runs.
- One ``typst.Compiler`` per template file, reused: a new compiler per document costs ≈ 48 ms
  instead of 20–32 ms (research ``perf.md`` F4). A compiler is not shared between threads at
  once: each has its own lock, so different templates still render in parallel.
- The kind's required fields (``schema``) are checked first, all at once.
- The PDF creation date is the issue date (midnight UTC), so the same facts give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import typst

from service.errors import FieldError, RenderingFailed
from service.rendering.fonts import FONTS_DIR, check_coverage
from service.rendering.present import present
from service.rendering.qr import qr_svg
from service.rendering.schema import missing_fields

PDF_STANDARD: Final = "a-2b"
_NAME = re.compile(r"^[a-z][a-z_]*$")


class TypstRenderer:
    """Renders ``templates/{language}/{kind}.typ`` (``templates_dir`` is the Typst root)."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = Path(templates_dir).resolve()
        self._fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[str(FONTS_DIR)],
        )
        self._compilers: dict[Path, tuple[typst.Compiler, threading.Lock]] = {}
        self._registry_lock = threading.Lock()

    def template_path(self, kind: Any, language: Any) -> Path:
        """The template for a kind and language; ``RenderingFailed`` if there is none."""
        if (
            isinstance(kind, str)
            and isinstance(language, str)
            and _NAME.match(kind)
            and _NAME.match(language)
        ):
            path = self.templates_dir / language / f"{kind}.typ"
            if path.is_file():
                return path
        raise RenderingFailed(
            f"no template for kind {kind!r} in language {language!r}",
            [FieldError("kind", "no_template", f"no template {language}/{kind}")],
        )

    def _compiler(self, path: Path) -> tuple[typst.Compiler, threading.Lock]:
        with self._registry_lock:
            entry = self._compilers.get(path)
            if entry is None:
                compiler = typst.Compiler(
                    input=str(path),
                    root=str(self.templates_dir),
                    font_paths=self._fonts,
                    ignore_system_fonts=True,
                )
                entry = (compiler, threading.Lock())
                self._compilers[path] = entry
            return entry

    def view_model(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON the template reads: checked for glyphs, presented, with the QR code."""
        check_coverage(facts)
        view = present(facts)
        url = view.get("verify_url")
        view["qr_svg"] = qr_svg(url) if isinstance(url, str) and url else None
        return view

    def render(self, facts: Mapping[str, Any]) -> bytes:
        path = self.template_path(facts.get("kind"), facts.get("language"))
        missing = missing_fields(facts)
        if missing:
            fields = ", ".join(e.path for e in missing)
            raise RenderingFailed(f"required fields are missing: {fields}", missing)
        view = self.view_model(facts)
        data = json.dumps(view, ensure_ascii=False, separators=(",", ":"))
        compiler, lock = self._compiler(path)
        try:
            with lock:
                pdf = compiler.compile(
                    format="pdf",
                    sys_inputs={"data": data},
                    pdf_standards=[PDF_STANDARD],
                    timestamp=_creation_time(facts.get("issue_date")),
                )
        except typst.TypstError as exc:
            raise RenderingFailed(_describe(exc, path, self.templates_dir)) from exc
        if not isinstance(pdf, bytes):
            raise RenderingFailed(f"Typst returned no PDF for {path.name}")
        return pdf


def _creation_time(issue_date: Any) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(str(issue_date))
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _describe(exc: typst.TypstError, path: Path, root: Path) -> str:
    """One line a person can act on: the template and Typst's first message (no Rust trace)."""
    message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()
    first = message[0] if message else "unknown error"
    hints = getattr(exc, "hints", None) or []
    hint = f" (hint: {hints[0]})" if hints else ""
    return f"the template {path.relative_to(root)} could not be typeset: {first}{hint}"
