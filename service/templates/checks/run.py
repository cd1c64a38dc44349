"""``run_checks``: every check of one version, every problem at once (contract C4).

Order: what is read from the sources alone (content rules, citations, glyphs, variables read
statically), then the sample render through the version's engine with a recorder, whose
recorded reads join the variable comparison; a render that fails is itself a problem. Nothing
here raises for a bad template: a template that cannot be read is a problem too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from service.errors import RenderingFailed
from service.rendering.base import texts
from service.rendering.typst.glyphs import coverage_errors, is_covered
from service.rules.model import RuleKind
from service.templates.checks import citations, content_rules, jinja_paths, variables
from service.templates.checks.paths import Read, declared_paths, view_shape
from service.templates.checks.problem import CheckInput, Problem
from service.templates.checks.sources import Piece, decode, kind_of, pieces, typst_code_lines
from service.templates.checks.typst_paths import reachable, typst_reads

ENGINE_PROVIDED = {"typst": ("qr_svg",)}
"""Names an engine adds to the view itself (the Typst engine draws the verification QR)."""


class PathRecorder:
    """A ``Recorder`` (C1) that keeps every path the render read."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._seen: set[str] = set()

    def read(self, path: str) -> None:
        if path not in self._seen:
            self._seen.add(path)
            self.paths.append(path)


def _content_problems(found: Iterable[Piece], check: CheckInput) -> list[Problem]:
    problems = []
    for piece in found:
        for finding in content_rules.findings(piece.text):
            rule = finding.rule
            cite = ""
            if rule.provision is not None:
                provision = check.law.provisions.get(rule.provision)
                cite = f" ({rule.provision}: {provision.cite('ru')})" if provision else ""
            what = rule.what
            if finding.policy is not None:
                what = f"{what} ({finding.policy})"
            problems.append(
                Problem(
                    f"content_{rule.id.replace('-', '_')}",
                    f"«{_excerpt(finding.sentence)}» {what}{cite}",
                    file=piece.file,
                    line=piece.line,
                    where=piece.where,
                    provision=rule.provision,
                )
            )
    return problems


def _excerpt(sentence: str, limit: int = 160) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _glyph_problems(found: list[Piece], sample: Any) -> list[Problem]:
    problems = []
    characters = {c for piece in found for c in piece.text}
    if all(is_covered(c) for c in characters):
        found = []  # the common case, decided once per character
    for error in coverage_errors((str(i), piece.text) for i, piece in enumerate(found)):
        piece = found[int(error.path)]
        problems.append(
            Problem(
                "missing_glyph", error.message, file=piece.file, line=piece.line, where=piece.where
            )
        )
    if sample is not None:
        for error in coverage_errors(texts(sample)):
            problems.append(
                Problem(
                    "missing_glyph", f"sample data: {error.message}", where=f"sample {error.path}"
                )
            )
    return problems


def _static_reads(check: CheckInput) -> tuple[list[Read], list[Problem]]:
    files = check.bundle.files
    typst = [(n, files[n]) for n in reachable(files, check.bundle.entry) if kind_of(n) == "typst"]
    reads = typst_reads(typst)
    problems: list[Problem] = []
    for name, data in sorted(files.items()):
        kind = kind_of(name)
        if kind == "html":
            found, trouble = jinja_paths.html_reads(name, data)
        elif kind == "docx":
            found, trouble = jinja_paths.docx_reads(name, data)
        else:
            continue
        reads += found
        problems += trouble
    return reads, problems


_LOCATION = re.compile(r"([\w./-]+\.(?:typ|html?|docx))(?::(\d+))?")
_MISSING_KEY = re.compile(r'does not contain key "([A-Za-z_][\w-]*)"')


def _missing_key_line(check: CheckInput, message: str) -> tuple[str, int] | None:
    """Typst names a missing key but not where it is read: the first line that reads it."""
    key = _MISSING_KEY.search(message)
    if key is None:
        return None
    read = re.compile(rf"\.{re.escape(key.group(1))}(?![\w-])")
    files = check.bundle.files
    for name in reachable(files, check.bundle.entry):
        for number, text in enumerate(typst_code_lines(decode(files[name]) or ""), 1):
            if read.search(text):
                return name, number
    return None


def _render_problems(check: CheckInput, recorder: PathRecorder) -> list[Problem]:
    if check.render is None or check.sample_view is None:
        return []
    try:
        check.render(check.sample_view, recorder)
    except RenderingFailed as exc:
        message = exc.message
        place = _missing_key_line(check, message)
        if place is None:
            where = _LOCATION.search(message)
            file = where.group(1) if where else None
            line = int(where.group(2)) if where and where.group(2) else None
        else:
            file, line = place
        return [
            Problem("sample_render_failed", f"the sample does not render: {message}", file, line)
        ]
    return []


def run_checks(check: CheckInput) -> list[Problem]:
    """Every problem of the version, each with its location; ``[]`` when it is fit to approve."""
    found = list(pieces(check.bundle))
    problems: list[Problem] = []
    problems += _content_problems(found, check)
    policies = set(check.law.rulebook.settings) | {
        rule.id for rule in check.law.rulebook.rules if rule.spec.kind is not RuleKind.LAW
    }
    problems += citations.declared_problems(check.provisions, check.law.provisions, check.today)
    problems += citations.source_problems(
        citations.cited_in_source(found), check.law.provisions, policies
    )
    sample = check.sample_view
    problems += _glyph_problems(found, sample)

    reads, read_problems = _static_reads(check)
    problems += read_problems
    recorder = PathRecorder()
    problems += _render_problems(check, recorder)
    reads += [Read(path, recorded=True) for path in recorder.paths]
    declared = declared_paths(check.schema)
    shape = view_shape(sample) if sample is not None else None
    if shape is not None:
        shape.known.update(ENGINE_PROVIDED.get(check.engine, ()))
    problems += variables.compare(reads, declared, shape)

    if check.sibling is not None:
        problems += variables.sibling_difference(
            check.language, check.schema, check.sibling.language, check.sibling.schema
        )
    return problems
