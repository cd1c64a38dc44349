"""Typst behind the engine seam (C1): a template version's bundle in, PDF/A-2b out.

What ``TypstRenderer`` guarantees stays: the data reaches Typst only as JSON in
``sys.inputs.data``, only the bundled fonts are visible and the glyph guard runs first, the PDF is
PDF/A-2b dated by the issue date. What changes is where the sources come from: a version's bundle
is written once under ``cache_dir/<version_id>/`` (the id is the SHA-256 of the sources, so a
folder once complete never changes and may be shared by processes and tests), and that folder is
the Typst root, so a template can read nothing outside its own version. Up to two compilers per
version id (the cores: bulk threads compile side by side), reused (a new compiler per document
costs ≈ 48 ms instead of 20–32 ms, research F4).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import typst

from service.errors import FieldError, RenderingFailed
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.rendering.typst.compilers import CompilerPool, typst_input
from service.rendering.typst.glyphs import FONTS_DIR, coverage_errors, require_coverage
from service.rendering.typst.renderer import PDF_STANDARD
from service.rendering.typst.split import split_notices

log = logging.getLogger("talap.rendering.typst")

NOTICE_END = "<talap-notice-end>"
"""The label ending each notice of a batch compile, its value the notice's last page."""

_VERSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_COMPLETE = ".complete"


class TypstEngine:
    name = "typst"

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = Path(cache_dir)
        self._fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[str(FONTS_DIR)],
        )
        self._pool = CompilerPool(self._fonts)
        self._single_only: set[str] = set()
        """Versions whose templates have no batch entry (found by a batch that fell back)."""

    def missing(self) -> str | None:
        return None  # the typst wheel is a dependency of the service

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
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
        # A recorder is not fed: Typst reads the data as one JSON value, so which paths a
        # template uses is found by reading its source (the checks' static analysis).
        require_coverage(view)
        pdf, _ = self._compile(version_id, bundle, {"data": typst_input(view)}, created)
        return Rendered(pdf=pdf)

    def render_many(
        self,
        version_id: str,
        bundle: SourceBundle,
        views: Sequence[Mapping[str, Any]],
        *,
        created: dt.date,
    ) -> list[Rendered | Exception]:
        """The views in one compile (``sys.inputs.batch``), split into one PDF per notice
        (``split.py``); whether that pays depends on the template (on the bundled notices it did
        not: ``TALAP_RENDER_BATCH``, README *Batches*). A version
        whose templates read only ``sys.inputs.data`` (no batch entry), or a compile one view
        breaks, falls back to one compile per view, so only the breaking view fails."""
        outcomes: list[Rendered | Exception | None] = [None] * len(views)
        ready: list[int] = []
        for index, view in enumerate(views):
            try:
                require_coverage(view)
            except RenderingFailed as refused:
                outcomes[index] = refused
                continue
            ready.append(index)
        if len(ready) > 1 and version_id not in self._single_only:
            together = self._together(version_id, bundle, [views[i] for i in ready], created)
            if together is not None:
                for index, pdf in zip(ready, together, strict=True):
                    outcomes[index] = Rendered(pdf=pdf)
                ready = []
        alone_failed = False
        for index in ready:
            try:
                outcomes[index] = self.render(version_id, bundle, views[index], created=created)
            except Exception as failed:  # this view's own outcome
                outcomes[index] = failed
                alone_failed = True
        if len(ready) > 1 and not alone_failed:
            # every view rendered alone but not together: the version has no batch entry
            self._single_only.add(version_id)
        return [outcome for outcome in outcomes if outcome is not None]

    def _together(
        self,
        version_id: str,
        bundle: SourceBundle,
        views: Sequence[Mapping[str, Any]],
        created: dt.date,
    ) -> list[bytes] | None:
        batch = typst_input(views)
        try:
            pdf, ends = self._compile(version_id, bundle, {"batch": batch}, created, ends=True)
            return split_notices(pdf, ends, len(views))
        except RenderingFailed as failed:
            log.info(
                "batch compile of %s fell back to one compile a notice: %s", version_id[:12], failed
            )
            return None

    def _compile(
        self,
        version_id: str,
        bundle: SourceBundle,
        inputs: dict[str, str],
        created: dt.date,
        *,
        ends: bool = False,
    ) -> tuple[bytes, list[int]]:
        """The PDF and, with ``ends``, the last page of each notice of a batch: the query reads
        the document just laid out (Typst memoizes it: it costs well under a millisecond)."""
        try:
            with self._compiler(version_id, bundle) as compiler:
                pdf = compiler.compile(
                    format="pdf",
                    sys_inputs=inputs,
                    pdf_standards=[PDF_STANDARD],
                    timestamp=dt.datetime(created.year, created.month, created.day, tzinfo=dt.UTC),
                )
                found = compiler.query(NOTICE_END, field="value") if ends else "[]"
        except typst.TypstError as exc:
            raise RenderingFailed(_describe(exc, bundle.entry, version_id)) from exc
        if not isinstance(pdf, bytes):
            raise RenderingFailed(f"Typst returned no PDF for {bundle.entry}")
        pages = json.loads(found)
        if not isinstance(pages, list) or not all(isinstance(p, int) for p in pages):
            raise RenderingFailed(f"{bundle.entry}: the notice ends are not page numbers")
        return pdf, pages

    def _compiler(
        self, version_id: str, bundle: SourceBundle
    ) -> contextlib.AbstractContextManager[typst.Compiler]:
        def where() -> tuple[Path, Path]:
            root = materialise(self.cache_dir, version_id, bundle)
            return root / bundle.entry, root

        return self._pool.compiler(version_id, where)


def materialise(cache_dir: Path, version_id: str, bundle: SourceBundle) -> Path:
    """The folder holding ``bundle``'s files, written once: into a temporary folder first and
    renamed into place, so a reader never sees half a version (two writers: the second's copy is
    dropped, the bytes are the same)."""
    if not _VERSION_ID.match(version_id):
        raise RenderingFailed(f"not a version id: {version_id!r}")
    target = cache_dir / version_id
    if (target / _COMPLETE).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{version_id[:12]}-", dir=cache_dir))
    try:
        for name, data in bundle.files.items():
            relative = PurePosixPath(name)
            if relative.is_absolute() or ".." in relative.parts:
                raise RenderingFailed(f"a source outside its version: {name!r}")
            path = scratch.joinpath(*relative.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (scratch / _COMPLETE).write_text(version_id)
        if target.exists():  # an incomplete folder a crash left
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.rename(scratch, target)
        except OSError:
            if not (target / _COMPLETE).is_file():
                raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def _describe(exc: typst.TypstError, entry: str, version_id: str) -> str:
    """One line a person can act on: the version, the file and Typst's first message."""
    message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()
    first = message[0] if message else "unknown error"
    hints = getattr(exc, "hints", None) or []
    hint = f" (hint: {hints[0]})" if hints else ""
    return f"the template {entry} (version {version_id[:12]}) could not be typeset: {first}{hint}"
