"""What the checks take and what they report (contract C4, pure).

A ``Problem`` says what is wrong and where a lawyer finds it: a file and line (Typst, HTML), or
a place in a Word document («paragraph 12», «table 1 row 2 cell 3», «header»), and for a
content rule the provision it relies on. ``CheckInput`` is everything one version's checks need;
the template domain builds it on upload, on ``:check`` and before ``:approve``.

The schema and the citations are read through small protocols (``SchemaLike``, ``CitedLike``) so
these checks depend on their shape (C3, ``service.templates.schema``; ``stale.Cited``), not on
the modules that parse them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from service.law.context import LawContext
from service.rendering.engines import Recorder, Rendered, SourceBundle


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    """A place in a Word document: ``paragraph 12``, ``table 1 row 2 cell 3``, ``header``; or
    ``sample <path>`` for a value of the sample data."""
    provision: str | None = None
    """The provision a content rule relies on (``housing-38``), or the one a citation names."""

    def location(self) -> str:
        """Where, in words: ``common/text-reminder.typ:12``, ``paragraph 3``, or ``""``."""
        place = f"{self.file}:{self.line}" if self.file and self.line else self.file or ""
        if self.where:
            place = f"{place} {self.where}".strip()
        return place

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "where": self.where,
            "provision": self.provision,
        }


class FieldLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def required(self) -> bool: ...

    @property
    def columns(self) -> Sequence[FieldLike]: ...


class SchemaLike(Protocol):
    @property
    def fields(self) -> Sequence[FieldLike]: ...


class CitedLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def edition_from(self) -> dt.date | None: ...


@dataclass(frozen=True)
class SiblingVersion:
    """The other language's version of the same template (kk ↔ ru)."""

    language: str
    schema: SchemaLike
    version_id: str | None = None


SampleRender = Callable[[Mapping[str, Any], Recorder], Rendered]
"""Renders a view through the version's engine with a recorder (``engine.render(version_id,
bundle, view, created=…, recorder=recorder)``); raises ``RenderingFailed`` when it cannot."""


@dataclass(frozen=True)
class CheckInput:
    bundle: SourceBundle
    engine: str
    """``typst`` | ``docx`` | ``html``."""
    language: str
    """``kk`` | ``ru`` | ``bilingual``."""
    schema: SchemaLike
    provisions: Sequence[CitedLike]
    """The provisions the version cites, each with the edition it was written against."""
    law: LawContext
    today: dt.date
    """Which editions are in force: a citation of an older one is superseded."""
    sample_view: Mapping[str, Any] | None = None
    """The view of the sample case (``present(facts)`` plus ``fields`` from the schema's sample)."""
    render: SampleRender | None = None
    """``None`` when the engine cannot run here (the engine registry reports that itself)."""
    sibling: SiblingVersion | None = None
