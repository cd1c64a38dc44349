"""Where a page may send the browser next: only a local path under ``/ui/`` (no open redirect).

A login link carries ``next`` so the user lands where they were going; an attacker's link could
carry ``next=https://evil.example`` or ``//evil.example`` or ``/\\evil.example`` (browsers read the
last two as another host). Anything that is not plainly a path under ``/ui/`` becomes the home.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

HOME = "/ui/cases"
_MAX = 2000


def safe_next(value: str | None, default: str = HOME) -> str:
    """``value`` when it is a local ``/ui`` path (with its query), else ``default``."""
    if not value or len(value) > _MAX:
        return default
    decoded = unquote(value)
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in decoded):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        return default
    path = parts.path
    if not (path == "/ui" or path.startswith("/ui/")):
        return default
    if any(segment in (".", "..") for segment in unquote(path).split("/")):
        return default
    return value
