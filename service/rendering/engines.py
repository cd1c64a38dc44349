"""The engine seam (contract C1): a template version's sources and a view in, PDF/A out.

A version names its engine (``typst``, ``docx``, ``html``); issuing looks the engine up by that
name in the ``EngineRegistry`` the composition root builds, and hands it the version's complete,
self-contained ``SourceBundle``. An engine that cannot run on this machine (LibreOffice absent)
says what to install in ``missing()``; the registry turns that into a 422 naming it instead of a
failure deep inside a render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from service.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from service.rendering.bounds import RenderBounds


@dataclass(frozen=True)
class SourceBundle:
    """A version's sources, complete and self-contained."""

    files: Mapping[str, bytes]
    """Relative POSIX path → bytes (``common/letter.typ``, ``reminder.docx``)."""
    entry: str
    """The file the engine starts from."""


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    """PDF/A, unsigned."""
    native: bytes | None = None
    """The engine's own output beside the PDF (the Word engine keeps the filled DOCX here)."""
    native_type: str | None = None


class Recorder(Protocol):
    """A recording render: every dotted path the template read."""

    def read(self, path: str) -> None: ...


@runtime_checkable
class Engine(Protocol):
    name: str
    """``typst`` | ``docx`` | ``html``."""

    def missing(self) -> str | None:
        """``None`` when usable; else what to install, in words."""
        ...

    def render(
        self,
        version_id: str,
        bundle: SourceBundle,
        view: Mapping[str, Any],
        *,
        created: dt.date,
        recorder: Recorder | None = None,
    ) -> Rendered: ...


class BatchRendering(Protocol):
    """Optional on an engine: many views of one version in one go (Typst compiles them together
    and splits the result), each outcome a ``Rendered`` or the ``Exception`` that view alone
    met, in the views' order. ``render_many`` below gives every engine this shape."""

    def render_many(
        self,
        version_id: str,
        bundle: SourceBundle,
        views: Sequence[Mapping[str, Any]],
        *,
        created: dt.date,
    ) -> list[Rendered | Exception]: ...


def render_many(
    engine: Engine,
    version_id: str,
    bundle: SourceBundle,
    views: Sequence[Mapping[str, Any]],
    *,
    created: dt.date,
) -> list[Rendered | Exception]:
    """Every view rendered by ``engine``: together where it can (``BatchRendering``), else one
    by one; a view's failure is its outcome and never stops the others."""
    many = getattr(engine, "render_many", None)
    if many is not None:
        outcomes: list[Rendered | Exception] = many(version_id, bundle, views, created=created)
        return outcomes
    return [_one(engine, version_id, bundle, view, created) for view in views]


def _one(
    engine: Engine,
    version_id: str,
    bundle: SourceBundle,
    view: Mapping[str, Any],
    created: dt.date,
) -> Rendered | Exception:
    try:
        return engine.render(version_id, bundle, view, created=created)
    except Exception as failed:  # the view's own outcome: the caller voids or refuses it
        return failed


class GlyphChecking(Protocol):
    """Optional on an engine: the fields whose characters its fonts lack (``missing_glyph``).
    An engine without it is checked against the bundled document fonts (``typst.glyphs``)."""

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]: ...


def unknown_engine(name: str, known: Iterable[str]) -> FieldError:
    names = ", ".join(sorted(known)) or "none"
    return FieldError("engine", "unknown_engine", f"no engine {name!r}; this service has: {names}")


class EngineRegistry:
    """The engines this service renders with, by name."""

    def __init__(self, engines: Iterable[Engine] = (), bounds: RenderBounds | None = None) -> None:
        """``bounds``: every render through ``get``/``find`` is held to them (pages, time)."""
        self._engines: dict[str, Engine] = {}
        self._bounds = bounds
        for engine in engines:
            self.register(engine)

    def register(self, engine: Engine) -> None:
        self._engines[engine.name] = engine

    def names(self) -> list[str]:
        return sorted(self._engines)

    def find(self, name: str) -> Engine | None:
        engine = self._engines.get(name)
        return None if engine is None else self._bounded(engine)

    def _bounded(self, engine: Engine) -> Engine:
        if self._bounds is None:
            return engine
        from service.rendering.bounds import BoundedEngine

        return BoundedEngine(engine, self._bounds)

    def problem(self, name: str) -> FieldError | None:
        """Why ``name`` cannot render here (unknown, or what to install), or ``None``."""
        engine = self._engines.get(name)
        if engine is None:
            return unknown_engine(name, self._engines)
        missing = engine.missing()
        if missing:
            return FieldError(
                "engine", "engine_unavailable", f"the {name} engine cannot run here: {missing}"
            )
        return None

    def get(self, name: str) -> Engine:
        """The usable engine ``name``; ``ValidationFailed`` (422, path ``engine``) if it is
        unknown or not installed, naming what to install."""
        problem = self.problem(name)
        if problem is not None:
            raise ValidationFailed([problem])
        return self._bounded(self._engines[name])

    def glyph_errors(self, name: str, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        engine = self._engines.get(name)
        check = getattr(engine, "glyph_errors", None)
        if check is not None:
            result: list[FieldError] = check(fields)
            return result
        from service.rendering.typst.glyphs import coverage_errors

        return coverage_errors(fields)
