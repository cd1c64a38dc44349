"""A redline between two versions without rendering (pure): which files changed and how (a
unified diff of text files), which fields the schema added, removed or changed, which citations
changed. The side-by-side page images come from ``service.templates.redline`` (tpl-engines)
where it is installed; this is what every redline has."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from service.rendering.engines import SourceBundle
from service.templates.version import VersionInfo

MAX_DIFF_LINES = 2000


@dataclass(frozen=True)
class FileDiff:
    name: str
    change: str
    """``added`` | ``removed`` | ``changed``."""
    diff: list[str] = field(default_factory=list)
    """Unified diff lines of a text file (empty for a binary one)."""


@dataclass(frozen=True)
class Redline:
    a: str
    b: str
    files: list[FileDiff]
    schema: dict[str, list[str]]
    provisions: dict[str, list[str]]
    extra: dict[str, Any] = field(default_factory=dict)
    """What a richer redline adds (page images, Word paragraphs)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "files": [{"name": f.name, "change": f.change, "diff": f.diff} for f in self.files],
            "schema": self.schema,
            "provisions": self.provisions,
            **self.extra,
        }


def _text(name: str, data: bytes) -> list[str] | None:
    """The file as lines to compare: a Word document as «where: text» per paragraph or cell
    (python-docx through the Word engine's reader), a text file as its lines."""
    if name.lower().endswith(".docx"):
        if not data:
            return []
        from service.rendering.docx.structure import text_by_location

        try:
            return [f"{where}: {text}" for where, text in text_by_location(data)]
        except Exception:  # not a Word document after all: compared as bytes
            return None
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None


def file_diffs(a: SourceBundle, b: SourceBundle) -> list[FileDiff]:
    out = []
    for name in sorted(set(a.files) | set(b.files)):
        before, after = a.files.get(name), b.files.get(name)
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        old, new = _text(name, before or b""), _text(name, after or b"")
        lines: list[str] = []
        if old is not None and new is not None:
            lines = list(
                difflib.unified_diff(old, new, f"a/{name}", f"b/{name}", n=1, lineterm="")
            )[:MAX_DIFF_LINES]
        out.append(FileDiff(name, change, lines))
    return out


def schema_diff(a: VersionInfo, b: VersionInfo) -> dict[str, list[str]]:
    before = {f.name: f.as_dict() for f in a.schema.fields}
    after = {f.name: f.as_dict() for f in b.schema.fields}
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(n for n in set(before) & set(after) if before[n] != after[n]),
    }


def provisions_diff(a: VersionInfo, b: VersionInfo) -> dict[str, list[str]]:
    before = {c.id: c.edition_from for c in a.provisions}
    after = {c.id: c.edition_from for c in b.provisions}
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "edition_changed": sorted(n for n in set(before) & set(after) if before[n] != after[n]),
    }


def redline(a: VersionInfo, sa: SourceBundle, b: VersionInfo, sb: SourceBundle) -> Redline:
    return Redline(a.id, b.id, file_diffs(sa, sb), schema_diff(a, b), provisions_diff(a, b))
