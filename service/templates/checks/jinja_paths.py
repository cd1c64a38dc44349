"""The view paths a Jinja template reads, from its syntax tree (pure): HTML templates and Word
templates (docxtpl), with file and line or the Word paragraph / cell / header / footer.

A chain of attribute and item look-ups from a name the template does not define itself
(``jinja2.meta``) is a read: ``{{ t.creditor.name }}``, ``{{ fields["meeting_date"] }}``. A loop
variable stands for a row of its list, so ``{% for row in t.debt.lines %}{{ row.period }}`` reads
``t.debt.lines.period``; ``{% set c = t.creditor %}`` makes ``c.address`` a read of
``t.creditor.address``. A method call ends a chain (``t.basis.items()`` reads ``t.basis``).

Word: docxtpl joins the runs of a tag inside one paragraph before Jinja reads it (Word stores
``{{ t.creditor.name }}`` in several runs whenever formatting or spell-check marks change inside
it), so each paragraph's joined text is what is parsed, one paragraph or cell per line, the
docxtpl tag forms (``{%tr``, ``{%tc``, ``{%p``, ``{%r``, ``{{r``) and curly quotes inside tags made
plain as docxtpl does. A tag opened in one paragraph and closed in another docxtpl cannot join:
that is a ``split_tag`` problem at each of those paragraphs (the Word engine's ``split_tags``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from service.rendering.docx.tags import split_tags
from service.rendering.engines import SourceBundle
from service.templates.checks import word
from service.templates.checks.paths import Read
from service.templates.checks.problem import Problem
from service.templates.checks.sources import decode

Locate = Callable[[int], tuple[str | None, int | None, str | None]]
"""A template line → (file, line, where)."""

_ENV = Environment(autoescape=True)


class _Walker:
    def __init__(self, context_names: set[str], locate: Locate) -> None:
        self.context_names = context_names
        self.aliases: dict[str, str] = {}
        self.locate = locate
        self.reads: list[Read] = []

    def path_of(self, node: nodes.Node) -> str | None:
        if isinstance(node, nodes.Name):
            if node.name in self.aliases:
                return self.aliases[node.name]
            return node.name if node.name in self.context_names else None
        if isinstance(node, nodes.Getattr):
            base = self.path_of(node.node)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem):
            base = self.path_of(node.node)
            if base is None:
                return None
            argument = node.arg
            if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
                return f"{base}.{argument.value}"
            return base  # a row by index, or a computed key: the list or mapping itself
        return None

    def record(self, node: nodes.Node, path: str) -> None:
        file, line, where = self.locate(node.lineno)
        self.reads.append(Read(path, file=file, line=line, where=where))

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            path = self.path_of(node)
            if path is not None:
                self.record(node, path)
                if isinstance(node, nodes.Getitem):
                    self.visit(node.arg)
                return
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            self.visit(node.node.node)  # `t.basis.items()`: a method ends the chain
            for child in (*node.args, *node.kwargs):
                self.visit(child)
            return
        if isinstance(node, nodes.For):
            self.visit(node.iter)
            source = self.path_of(node.iter)
            self._bind(node.target, source)
            for child in (*node.body, *node.else_):
                self.visit(child)
            if node.test is not None:
                self.visit(node.test)
            return
        if isinstance(node, nodes.Assign):
            self.visit(node.node)
            self._bind(node.target, self.path_of(node.node))
            return
        if isinstance(node, nodes.With):
            for target, value in zip(node.targets, node.values, strict=False):
                self.visit(value)
                self._bind(target, self.path_of(value))
            for child in node.body:
                self.visit(child)
            return
        for child in node.iter_child_nodes():
            self.visit(child)

    def _bind(self, target: nodes.Node, source: str | None) -> None:
        if isinstance(target, nodes.Name) and source is not None:
            self.aliases[target.name] = source
        elif isinstance(target, nodes.Tuple) and source is not None:
            # `for key, value in t.x.items()`: the values are under the mapping
            for item in target.items:
                if isinstance(item, nodes.Name):
                    self.aliases.pop(item.name, None)


def template_reads(source: str, locate: Locate) -> tuple[list[Read], list[Problem]]:
    """The reads of a Jinja source, or the syntax error where it is."""
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        file, line, where = locate(exc.lineno or 1)
        return [], [
            Problem("template_syntax", f"not a valid template: {exc.message}", file, line, where)
        ]
    walker = _Walker(set(meta.find_undeclared_variables(tree)), locate)
    walker.visit(tree)
    return walker.reads, []


def html_reads(name: str, data: bytes) -> tuple[list[Read], list[Problem]]:
    source = decode(data)
    if source is None:
        return [], [Problem("not_utf8", f"{name} is not UTF-8 text", file=name)]
    return template_reads(source, lambda line: (name, line, None))


# --- Word ---------------------------------------------------------------------------------

_DOCXTPL_BLOCK = re.compile(r"\{%\s*(?:tr|tc|p|r)\s")
_DOCXTPL_VAR = re.compile(r"\{\{\s*(?:p|r)\s")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# As the Word engine straightens them (docxtpl: ‘ ’ “ ”; the engine also «» and „).
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def plain_tags(text: str) -> str:
    """A paragraph's tags as Jinja reads them after docxtpl: its tag forms and curly quotes
    made plain."""
    text = _DOCXTPL_BLOCK.sub("{% ", text)
    text = _DOCXTPL_VAR.sub("{{ ", text)
    return _TAG.sub(lambda m: m.group(0).translate(_QUOTES), text)


def docx_reads(name: str, data: bytes) -> tuple[list[Read], list[Problem]]:
    try:
        found = word.blocks(data)
    except word.NotWord as exc:
        return [], [
            Problem("not_word", f"{name} is not a readable Word document: {exc}", file=name)
        ]
    problems = [
        Problem(
            "split_tag",
            f"a tag is split across paragraphs or cells here («{text[:40]}»): Word's template "
            "engine joins a tag's pieces only inside one paragraph; type it in one paragraph",
            file=name,
            where=where,
        )
        for where, text in split_tags(SourceBundle({name: data}, name))
    ]
    lines = [plain_tags(" ".join(block.paragraphs)).replace("\n", " ") for block in found]
    if problems:
        return [], problems

    def locate(line: int) -> tuple[str | None, int | None, str | None]:
        where = found[line - 1].where if 0 < line <= len(found) else None
        return name, None, where

    return template_reads("\n".join(lines), locate)
