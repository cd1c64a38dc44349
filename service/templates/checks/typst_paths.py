"""The view paths a Typst template reads, found in its source (pure).

The bundled templates read the view as ``data`` (``load-data()``: the whole view) and ``t`` (one
language's text, ``data.text.at(lang)``; ``ts.first()`` is the first one). A chain such as
``t.debt.totals.overdue`` is a read of ``t.debt.totals.overdue``; a method call ends a chain
(``t.basis.map(…)`` reads ``t.basis``, ``t.cites.at(id)`` reads ``t.cites``). What a template
reads through a name of its own (``let c = t.creditor`` then ``c.address``) is seen as the read
of ``t.creditor``: Typst has no recording render (it reads the data as one JSON value), so such
a prefix counts as reading everything under it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

from service.templates.checks.paths import Read
from service.templates.checks.sources import decode, typst_code_lines

_CHAIN = re.compile(r"(?<![\w.-])(t|data|ts\.first\(\))((?:\.[A-Za-z_][A-Za-z0-9_]*)+)(\()?")


_IMPORT = re.compile(r'(?:import|include)\s+"([^"]+)"')


def reachable(files: Mapping[str, bytes], entry: str) -> list[str]:
    """The Typst files the entry imports or includes, directly or not (itself first): a
    bundle's other files are never typeset, whatever they read."""
    order: list[str] = []
    pending = [entry]
    while pending:
        name = pending.pop(0)
        if name in order or name not in files:
            continue
        order.append(name)
        source = decode(files[name]) or ""
        for text in typst_code_lines(source):
            for match in _IMPORT.finditer(text):
                target = match.group(1)
                if target.startswith("/"):
                    resolved = posixpath.normpath(target.lstrip("/"))
                else:
                    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
                pending.append(resolved)
    return order


def reads_in_line(text: str) -> list[str]:
    """The dotted paths of one line of Typst code, relative to the view (``t.…`` for a
    language's text)."""
    found = []
    for match in _CHAIN.finditer(text):
        root, chain, call = match.group(1), match.group(2), match.group(3)
        parts = chain[1:].split(".")
        if call:
            parts = parts[:-1]  # a method: `.map(`, `.at(`, `.len(`
        if not parts:
            continue
        if root == "data":
            if parts[0] == "text" and len(parts) >= 2 and parts[1] in ("kk", "ru"):
                parts = ["t", *parts[2:]]
            found.append(".".join(parts))
        else:
            found.append(".".join(["t", *parts]))
    return found


def typst_reads(files: Iterable[tuple[str, bytes]]) -> list[Read]:
    reads = []
    for name, data in files:
        source = decode(data)
        if source is None:
            continue
        for number, text in enumerate(typst_code_lines(source), 1):
            for path in reads_in_line(text):
                reads.append(Read(path, file=name, line=number, covers_below=True))
    return reads
