"""What the engines add to a redline between two versions (tpl-core's ``diffing`` gives the files'
line diffs and citations): for Word sources the paragraph- and cell-level text changes,
the schema diff with its breaking changes, and the sample rendered by each version, page by page,
side by side (PNG images, as ``data:`` URLs in the API).

A side that cannot be rendered here (its engine missing, or its template failing on the sample)
has no images, and ``problems`` says why; the rest of the redline is still given.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, Final, Protocol

from service.errors import RenderingFailed, ValidationFailed
from service.rendering.engines import EngineRegistry, SourceBundle
from service.rendering.pages import page_pngs
from service.templates.paragraphs import BlockChange, block_changes


class FieldLike(Protocol):
    """A field of a version's schema (C3 ``FieldSpec``)."""

    @property
    def name(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def from_request(self) -> bool: ...
    def as_dict(self) -> dict[str, Any]: ...


class SchemaLike(Protocol):
    @property
    def fields(self) -> Sequence[FieldLike]: ...


class InfoLike(Protocol):
    @property
    def engine(self) -> str: ...
    @property
    def schema(self) -> SchemaLike: ...


class LiveVersion(Protocol):
    """What tpl-core's ``service.templates.version.LiveVersion`` gives: ``id``, ``info`` (engine,
    schema) and ``bundle``."""

    @property
    def id(self) -> str: ...
    @property
    def info(self) -> InfoLike: ...
    @property
    def bundle(self) -> SourceBundle: ...


SAMPLE_DATE: Final = dt.date(2026, 11, 24)
"""The PDF's creation date (metadata only: the pages show the sample view's own dates)."""


@dataclass(frozen=True)
class PagePair:
    page: int
    a: bytes | None
    b: bytes | None

    def as_dict(self) -> dict[str, Any]:
        return {"page": self.page, "a": _data_url(self.a), "b": _data_url(self.b)}


@dataclass(frozen=True)
class EngineRedline:
    paragraphs: list[BlockChange]
    pages: list[PagePair]
    schema: dict[str, list[str]]
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "paragraphs": [change.as_dict() for change in self.paragraphs],
            "pages": [pair.as_dict() for pair in self.pages],
            "schema": self.schema,
            "render_problems": self.problems,
        }


def _data_url(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode()


def word_changes(a: LiveVersion, b: LiveVersion) -> list[BlockChange]:
    """Paragraph and cell changes when both versions are Word documents; else none (their
    sources are compared line by line)."""
    if not (_is_docx(a) and _is_docx(b)):
        return []
    from service.rendering.docx.structure import text_by_location

    old = text_by_location(a.bundle.files[a.bundle.entry])
    new = text_by_location(b.bundle.files[b.bundle.entry])
    return block_changes(old, new)


def _is_docx(version: LiveVersion) -> bool:
    return version.bundle.entry.lower().endswith(".docx") and version.bundle.entry in (
        version.bundle.files
    )


def schema_changes(a: LiveVersion, b: LiveVersion) -> dict[str, list[str]]:
    """Fields added, removed or changed (type, required, label, columns), and ``breaking``:
    request fields ``b`` requires that ``a`` did not (callers that do not send them start
    getting 422 once ``b`` is live)."""
    before = {f.name: f for f in a.info.schema.fields}
    after = {f.name: f for f in b.info.schema.fields}
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(
            n for n in set(before) & set(after) if before[n].as_dict() != after[n].as_dict()
        ),
        "breaking": sorted(
            n
            for n, f in after.items()
            if f.from_request and f.required and not (n in before and before[n].required)
        ),
    }


def _pages(
    version: LiveVersion, engines: EngineRegistry, view: Mapping[str, Any]
) -> tuple[list[bytes] | None, str | None]:
    try:
        engine = engines.get(version.info.engine)
        rendered = engine.render(version.id, version.bundle, view, created=SAMPLE_DATE)
    except (RenderingFailed, ValidationFailed) as exc:
        return None, f"{version.id[:12]}: {exc}"
    return page_pngs(rendered.pdf), None


def redline(
    a: LiveVersion, b: LiveVersion, engines: EngineRegistry, sample_view: Mapping[str, Any]
) -> EngineRedline:
    """``a`` (older, usually the live version) against ``b``, both rendered with ``sample_view``."""
    old, old_problem = _pages(a, engines, sample_view)
    new, new_problem = _pages(b, engines, sample_view)
    pages = [
        PagePair(number, first, second)
        for number, (first, second) in enumerate(zip_longest(old or [], new or []), 1)
    ]
    return EngineRedline(
        paragraphs=word_changes(a, b),
        pages=pages,
        schema=schema_changes(a, b),
        problems=[p for p in (old_problem, new_problem) if p],
    )
