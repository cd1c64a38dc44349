"""Typst for reports that carry files: PDF/A-3b with associated files (``pdf.attach``).

Typst reads attached files from its project root only, and files do not fit in ``sys.inputs``
(strings), so each render gets its own root in a temporary folder: the template's folder copied
in (``pack/`` for ``pack/evidence.typ``), and every attachment written under ``files/`` by its
safe name (which is also the name a reader shows; names must be unique). The view says where
each one is (``attachments.N.path``); the template attaches them with ``pdf.attach`` and their
``/AFRelationship``. Same fonts and glyph guard as the letters (``renderer.py``); a compiler per
render (the root differs each time).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import typst

from service.errors import RenderingFailed
from service.rendering.base import Attachment
from service.rendering.typst.glyphs import FONTS_DIR, require_coverage

PDF_STANDARD: Final = "a-3b"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TEMPLATE = re.compile(r"^[a-z][a-z0-9_-]*/[a-z][a-z0-9_-]*\.typ$")
RELATIONSHIPS: Final = {
    "Source": "source",
    "Supplement": "supplement",
    "Data": "data",
    "Alternative": "alternative",
}


def safe_name(name: str) -> str:
    """An attachment's name as a file name Typst and every reader accept (ASCII, no folders)."""
    cleaned = _SAFE.sub("_", name.rsplit("/", 1)[-1]).strip("._") or "file"
    return cleaned[:120]


class TypstAttachingRenderer:
    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = Path(templates_dir).resolve()
        self._fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[str(FONTS_DIR)],
        )

    def render_with(
        self,
        template: str,
        view: Mapping[str, Any],
        attachments: Sequence[Attachment],
        *,
        created: dt.datetime,
    ) -> bytes:
        source = self.templates_dir / template
        if not _TEMPLATE.match(template) or not source.is_file():
            raise RenderingFailed(f"no template {template}")
        require_coverage(view)
        unknown = {a.relationship for a in attachments} - set(RELATIONSHIPS)
        if unknown:
            raise RenderingFailed(f"unknown attachment relationship {sorted(unknown)}")
        names = [safe_name(a.name) for a in attachments]
        if len(set(names)) != len(names):
            raise RenderingFailed("two attachments have the same file name")
        with tempfile.TemporaryDirectory(prefix="talap-attach-") as folder:
            root = Path(folder)
            shutil.copytree(source.parent, root / source.parent.name)
            (root / "files").mkdir()
            listed = []
            for name, attachment in zip(names, attachments, strict=True):
                (root / "files" / name).write_bytes(attachment.data)
                listed.append(
                    {
                        "path": f"/files/{name}",
                        "name": name,
                        "mime_type": attachment.mime_type,
                        "relationship": RELATIONSHIPS[attachment.relationship],
                        "description": attachment.description,
                    }
                )
            data = json.dumps(
                {**view, "attachments": listed}, ensure_ascii=False, separators=(",", ":")
            )
            compiler = typst.Compiler(
                input=str(root / template),
                root=str(root),
                font_paths=self._fonts,
                ignore_system_fonts=True,
            )
            try:
                pdf = compiler.compile(
                    format="pdf",
                    sys_inputs={"data": data},
                    pdf_standards=[PDF_STANDARD],
                    timestamp=created.astimezone(dt.UTC).replace(microsecond=0),
                )
            except typst.TypstError as exc:
                message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()
                first = message[0] if message else "unknown error"
                raise RenderingFailed(
                    f"the report {template} could not be typeset: {first}"
                ) from exc
        if not isinstance(pdf, bytes):
            raise RenderingFailed(f"Typst returned no PDF for {template}")
        return pdf
