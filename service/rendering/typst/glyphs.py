"""The document fonts and the glyph guard.

Typst scans font folders itself and ignores fontconfig; on a host with Debian's Liberation 1.x it
silently fell back to another font for ә ғ қ … (research ``perf.md`` F1). So the service ships its
own fonts (DejaVu Serif 2.37, ``fonts/``, licence in ``fonts/LICENSE-DejaVu.txt``), Typst sees only
them, and before typesetting every text is checked against their character maps: a character no
face covers is refused with the path of the field, instead of printing a tofu box.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

from service.errors import FieldError, RenderingFailed
from service.rendering.base import texts

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu Serif"
FONT_FILES = (
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
)

# Layout characters Typst handles itself (line breaks, tabs) and never asks a font for.
_LAYOUT = frozenset("\n\r\t")


@lru_cache(maxsize=1)
def covered_codepoints() -> frozenset[int]:
    """Code points every face covers: any field may be set in bold or italic, so intersect."""
    faces: list[set[int]] = []
    for name in FONT_FILES:
        font = TTFont(FONTS_DIR / name, lazy=True)
        try:
            faces.append(set(font.getBestCmap()))
        finally:
            font.close()
    return frozenset(set.intersection(*faces))


@lru_cache(maxsize=1)
def covered_characters() -> frozenset[str]:
    """The same as characters, with the layout ones: what a whole text is checked against at
    once (a set difference in C instead of a Python loop per character; every text of every
    document passes here, twice)."""
    return frozenset(map(chr, covered_codepoints())) | _LAYOUT


def is_covered(char: str) -> bool:
    return char in _LAYOUT or ord(char) in covered_codepoints()


def uncovered(text: str) -> list[str]:
    """The distinct characters of ``text`` the fonts lack, in order of first appearance."""
    if covered_characters().issuperset(text):
        return []
    seen: dict[str, None] = {}
    for char in text:
        if char not in seen and not is_covered(char):
            seen[char] = None
    return list(seen)


def describe(char: str) -> str:
    return f"U+{ord(char):04X} {char!r}"


def coverage_errors(texts: Iterable[tuple[str, str]]) -> list[FieldError]:
    """One ``missing_glyph`` error per field that has a character the fonts do not cover."""
    errors = []
    for path, text in texts:
        missing = uncovered(text)
        if missing:
            chars = ", ".join(describe(c) for c in missing)
            verb = "is" if len(missing) == 1 else "are"
            errors.append(
                FieldError(
                    path, "missing_glyph", f"{chars} {verb} not covered by the document fonts"
                )
            )
    return errors


def require_coverage(view: Mapping[str, Any]) -> None:
    """Refuse to render a view with any text the fonts cannot show, naming every such field:
    the same guard before each engine (Typst, Word, HTML, the evidence pack)."""
    uncovered = coverage_errors(texts(view))
    if uncovered:
        fields = ", ".join(e.path for e in uncovered)
        raise RenderingFailed(
            f"characters not covered by the document fonts ({FONT_FAMILY}) in: {fields}",
            uncovered,
        )
