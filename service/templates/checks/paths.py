"""Dotted view paths as the schema writes them (pure): ``t.creditor.name`` (a language's text),
``fields.meeting_date`` (the request's fields), ``draft`` (the view's top level).

A row of a list has the list's path (``t.debt.lines.period`` is the ``period`` of every row of
``t.debt.lines``), as the recording render and a schema's table columns write it. Bilingual
templates read ``kk.…`` and ``ru.…``, Typst reads ``data.text.at(lang)``: all are ``t.…``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from service.templates.checks.problem import SchemaLike

LANGUAGES = ("kk", "ru")


@dataclass(frozen=True)
class Read:
    """A path a template reads, and where (a static read has a location; a recorded one not)."""

    path: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    covers_below: bool = False
    """A read of a whole part through a name of the template's own (Typst ``let c =
    t.creditor``): everything under it may be read."""
    recorded: bool = False


def normalise(path: str) -> str:
    """``kk.x`` / ``ru.x`` / ``text.kk.x`` → ``t.x``; anything else unchanged."""
    parts = path.split(".")
    if parts[0] in LANGUAGES:
        return ".".join(["t", *parts[1:]])
    if parts[0] == "text" and len(parts) >= 2 and parts[1] in LANGUAGES:
        return ".".join(["t", *parts[2:]])
    return path


def declared_paths(schema: SchemaLike) -> list[str]:
    """Every declared name, a table's columns under the table (``t.debt.lines.period``)."""
    out = []
    for spec in schema.fields:
        name = normalise(spec.name)
        out.append(name)
        out.extend(f"{name}.{column.name}" for column in spec.columns)
    return out


@dataclass
class ViewShape:
    """What Talap provides, as seen in a sample view: every path present (``known``), and the
    paths whose value is ``None`` or an empty list there (``open``: a part the sample does not
    state, whose inside cannot be checked against it)."""

    known: set[str] = field(default_factory=set)
    open: set[str] = field(default_factory=set)

    def provides(self, path: str) -> bool:
        if path in self.known:
            return True
        parts = path.split(".")
        return any(".".join(parts[:i]) in self.open for i in range(1, len(parts)))


def _walk(value: Any, path: str, shape: ViewShape) -> None:
    if path:
        shape.known.add(path)
    if value is None:
        if path:
            shape.open.add(path)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), shape)
    elif isinstance(value, list | tuple):
        if not value and path:
            shape.open.add(path)
        for item in value:
            _walk(item, path, shape)


def view_shape(view: Mapping[str, Any]) -> ViewShape:
    """The shape of a view as a template sees it (C1): its keys, ``t`` (every language's text
    merged), ``fields``."""
    shape = ViewShape()
    _walk({k: v for k, v in view.items() if k != "text"}, "", shape)
    shape.known.add("text")
    text = view.get("text")
    if isinstance(text, Mapping):
        for language, value in text.items():
            shape.known.add(f"text.{language}")
            _walk(value, "t", shape)
    shape.known.add("fields")
    return shape


def shape_of_views(views: Iterable[Mapping[str, Any]]) -> ViewShape:
    """The union of several views' shapes (samples of several kinds or parts)."""
    merged = ViewShape()
    for view in views:
        shape = view_shape(view)
        merged.known |= shape.known
        merged.open |= shape.open
    # a part stated in one sample is checked against that sample
    merged.open -= {p for p in merged.open if any(k.startswith(p + ".") for k in merged.known)}
    return merged
