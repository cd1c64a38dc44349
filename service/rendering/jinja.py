"""Jinja2 for the Word and HTML engines: a sandbox with autoescape, the template context, and a
recording render.

- **Sandbox**: a lawyer's template is data, not code: ``SandboxedEnvironment`` refuses private
  attributes and unsafe calls, so ``{{ t.__class__ }}`` or ``{{ cycler.__init__ }}`` prints nothing
  useful and cannot reach Python.
- **Autoescape** is always on: a name like ``A & B <C>`` is printed, never parsed as markup. The
  engine's ``finalize`` turns the value into its own markup (``<w:br/>`` for a newline in Word,
  ``<br>`` in HTML), escaping every piece first.
- **Recording**: the view is wrapped in ``PathMap``/``PathList`` (plain dicts and lists that know
  their dotted path); every attribute or item the template looks up on one of them is reported
  to the recorder. A loop's rows carry the path of the list (``t.debt.lines``), so a cell read in
  a ``{%tr for %}`` row is recorded as ``t.debt.lines.period`` — a table column. Headers and
  footers go through the same environment, so they are recorded too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, Undefined
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from service.rendering.engines import Recorder

LANGUAGES = ("kk", "ru")

_recorder: ContextVar[Recorder | None] = ContextVar("jinja_recorder", default=None)


class PathMap(dict[str, Any]):
    """A mapping of the view that knows its dotted path."""

    __slots__ = ("path",)

    def __init__(self, items: Mapping[str, Any], path: str) -> None:
        super().__init__(items)
        self.path = path


class PathList(list[Any]):
    """A list of the view that knows its dotted path (its rows carry the same path)."""

    __slots__ = ("path",)

    def __init__(self, items: list[Any], path: str) -> None:
        super().__init__(items)
        self.path = path


def traced(value: Any, path: str = "") -> Any:
    """``value`` with every mapping and list wrapped to know its path (rows: the list's path)."""
    if isinstance(value, Mapping):
        return PathMap(
            {str(k): traced(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()},
            path,
        )
    if isinstance(value, list | tuple):
        return PathList([traced(item, path) for item in value], path)
    return value


def template_context(view: Mapping[str, Any]) -> dict[str, Any]:
    """What a Jinja template sees (C1): the view's keys, plus ``t`` = the text of the view's
    ``language`` for a single-language template, and ``kk``/``ru`` = each language's text."""
    context = dict(view)
    text = view.get("text")
    language = view.get("language")
    if isinstance(text, Mapping):
        if isinstance(language, str) and language in text:
            context["t"] = text[language]
        for lang in LANGUAGES:
            if lang in text:
                context[lang] = text[lang]
    context.setdefault("fields", {})
    wrapped: dict[str, Any] = traced(context)
    return dict(wrapped)


def _record(path: str) -> None:
    recorder = _recorder.get()
    if recorder is not None and path:
        recorder.read(path)


class _RecordingContext(Context):
    def resolve_or_missing(self, key: str) -> Any:
        value = super().resolve_or_missing(key)
        if not isinstance(value, PathMap | PathList):
            _record(key)  # a top-level leaf (or an unknown name): containers record below
        return value


class _Undefined(ChainableUndefined):
    """In a recording render an unknown path reads as empty and goes on, so one render finds
    every path; what was looked up is already recorded."""


class TemplateEnvironment(SandboxedEnvironment):
    """The sandbox every lawyer's Jinja template runs in; ``recording(recorder)`` reports the
    paths read while it is active (per thread and task: a ``ContextVar``)."""

    context_class = _RecordingContext

    def __init__(self, finalize: Callable[[Any], Any], *, lenient: bool = False) -> None:
        undefined: type[Undefined] = _Undefined if lenient else StrictUndefined
        super().__init__(
            autoescape=True,
            finalize=finalize,
            undefined=undefined,
            keep_trailing_newline=True,
        )

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, PathMap) and (attribute in obj or not hasattr(dict, attribute)):
            _record(f"{obj.path}.{attribute}" if obj.path else attribute)
            return self.getitem(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, PathMap) and isinstance(argument, str):
            _record(f"{obj.path}.{argument}" if obj.path else argument)
            if argument in obj:
                return dict.__getitem__(obj, argument)
            return self.undefined(obj=obj, name=argument)
        return super().getitem(obj, argument)


@contextmanager
def recording(recorder: Recorder | None) -> Iterator[None]:
    token = _recorder.set(recorder)
    try:
        yield
    finally:
        _recorder.reset(token)


def as_text(value: Any) -> str:
    """What a value prints as: ``None`` prints nothing (a missing optional line stays empty)."""
    if isinstance(value, Undefined):
        return str(value)  # strict: raises, naming the path; a recording render: empty
    if value is None:
        return ""
    return str(value)


def escaped_lines(value: Any, line_break: str) -> Any:
    """A ``finalize`` for markup engines: text escaped line by line, joined by ``line_break``
    (markup); a value already markup (a filter's output) is left as it is."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return value
    lines = as_text(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup(line_break).join(Markup.escape(line) for line in lines)
