"""Rendering bounded in pages and time, whatever the engine (Typst, Word, HTML).

A template or data that yields more pages than ``max_pages`` (``TALAP_RENDER_MAX_PAGES``) or that
renders longer than ``seconds`` (``TALAP_RENDER_TIMEOUT_SECONDS``) is refused with a 422 naming
the limit and its setting — the document is not stored, numbered or signed.

The time bound stops the wait, not the work: a Typst or WeasyPrint render runs inside this
process and cannot be interrupted, so it finishes in its own thread and its result is dropped
(the Word engine's LibreOffice conversion is also killed by its pool's own timeout). The caller —
a request, a batch worker — is free again at the limit.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pypdfium2 as pdfium

from service.errors import FieldError, RenderingFailed
from service.rendering.engines import Engine, Recorder, Rendered, SourceBundle, render_many

T = TypeVar("T")


@dataclass(frozen=True)
class RenderBounds:
    max_pages: int = 100
    seconds: float = 120.0


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


class BoundedEngine:
    """``engine`` under ``bounds``; everything else about it (its name, ``missing``, its glyph
    check, a Word engine's reader) is the engine's own."""

    def __init__(self, engine: Engine, bounds: RenderBounds) -> None:
        self._engine = engine
        self._bounds = bounds
        self.name = engine.name

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def missing(self) -> str | None:
        return self._engine.missing()

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        check = getattr(self._engine, "glyph_errors", None)
        if check is not None:
            found: list[FieldError] = check(fields)
            return found
        from service.rendering.typst.glyphs import coverage_errors

        return coverage_errors(fields)

    def render(
        self,
        version_id: str,
        bundle: SourceBundle,
        view: Mapping[str, Any],
        *,
        created: dt.date,
        recorder: Recorder | None = None,
    ) -> Rendered:
        rendered = self._timed(
            bundle,
            lambda: self._engine.render(
                version_id, bundle, view, created=created, recorder=recorder
            ),
        )
        self._check_pages(bundle, rendered)
        return rendered

    def render_many(
        self,
        version_id: str,
        bundle: SourceBundle,
        views: Sequence[Mapping[str, Any]],
        *,
        created: dt.date,
    ) -> list[Rendered | Exception]:
        """Many views under the same bounds: the time limit is the whole call's (a batch of a
        few dozen notices takes seconds), the page limit each notice's."""
        try:
            outcomes = self._timed(
                bundle,
                lambda: render_many(self._engine, version_id, bundle, views, created=created),
            )
        except RenderingFailed as timed_out:
            return [timed_out for _ in views]
        checked: list[Rendered | Exception] = []
        for outcome in outcomes:
            if isinstance(outcome, Rendered):
                try:
                    self._check_pages(bundle, outcome)
                except RenderingFailed as too_long:
                    outcome = too_long
            checked.append(outcome)
        return checked

    def _timed(self, bundle: SourceBundle, work: Callable[[], T]) -> T:
        outcome: list[T | BaseException] = []
        context = contextvars.copy_context()  # the request id on the render's log lines

        def run() -> None:
            try:
                outcome.append(work())
            except BaseException as exc:  # handed to the caller, who is waiting
                outcome.append(exc)

        worker = threading.Thread(
            target=context.run, args=(run,), name=f"render-{self.name}", daemon=True
        )
        worker.start()
        worker.join(self._bounds.seconds)
        if not outcome:
            raise RenderingFailed(
                f"{bundle.entry} took longer than {self._bounds.seconds:g} s to render "
                "(TALAP_RENDER_TIMEOUT_SECONDS)",
                [
                    FieldError(
                        "template",
                        "render_timeout",
                        f"rendering took longer than the limit of {self._bounds.seconds:g} s "
                        "(TALAP_RENDER_TIMEOUT_SECONDS)",
                    )
                ],
            )
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _check_pages(self, bundle: SourceBundle, rendered: Rendered) -> None:
        pages = page_count(rendered.pdf)
        if pages > self._bounds.max_pages:
            message = (
                f"the document has {pages} pages, more than the limit of "
                f"{self._bounds.max_pages} (TALAP_RENDER_MAX_PAGES)"
            )
            raise RenderingFailed(
                f"{bundle.entry}: {message}", [FieldError("template", "too_many_pages", message)]
            )
