"""The renderer seam."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from service.errors import FieldError


@dataclass(frozen=True)
class TemplateRef:
    """Which template to typeset: a document kind in a language (``kk``, ``ru``, ``bilingual``)."""

    kind: str
    language: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.language}"


def no_template(template: TemplateRef) -> FieldError:
    """The field error for a document kind and language no template typesets."""
    return FieldError("kind", "no_template", f"no template {template}")


class Renderer(Protocol):
    def render(self, template: TemplateRef, view: Mapping[str, Any], *, created: dt.date) -> bytes:
        """A PDF of ``view`` laid out by ``template``, dated ``created`` (so the same view gives
        the same bytes); ``RenderingFailed`` for what cannot be typeset."""
        ...

    def has_template(self, template: TemplateRef) -> bool: ...

    def template_version(self, template: TemplateRef) -> str:
        """An identifier of the template's exact source (``kind/language@hash``)."""
        ...

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        """For each (field path, text) with characters the engine's fonts lack, a
        ``missing_glyph`` error naming the field: printed text must never fall back to boxes."""
        ...


@dataclass(frozen=True)
class Attachment:
    """A file a PDF/A-3 carries unchanged as an associated file (ISO 19005-3)."""

    name: str
    """The file name shown in the PDF's attachments (a safe base name, unique in the PDF)."""
    data: bytes
    mime_type: str
    relationship: str
    """``/AFRelationship``: ``Source``, ``Supplement``, ``Data``, ``Alternative``."""
    description: str


class AttachingRenderer(Protocol):
    """Typesets a report that carries files (the evidence pack): PDF/A-3b with each attachment
    embedded byte for byte and listed in the document's ``/AF``."""

    def render_with(
        self,
        template: str,
        view: Mapping[str, Any],
        attachments: Sequence[Attachment],
        *,
        created: dt.datetime,
    ) -> bytes:
        """``template`` is a path under the templates folder (``pack/evidence.typ``); the
        view reaches it as ``sys.inputs.data``, each attachment as a file ``attachments.N.path``
        names; ``RenderingFailed`` for what cannot be typeset."""
        ...


def texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (dotted path, text) in a JSON-like value: what a glyph check walks."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}.{index}" if path else str(index))
