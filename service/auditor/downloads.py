"""How a file leaves the pages: its type read from its first bytes (never from the name a
client gave it), always as an attachment with a safe name. Pure."""

from __future__ import annotations

import re
from urllib.parse import quote

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_UNSAFE = re.compile(r"[^\w.\-]+")


def sniff(data: bytes) -> str:
    for magic, media in _SIGNATURES:
        if data.startswith(magic):
            return media
    return "application/octet-stream"


def attachment(filename: str) -> str:
    """``Content-Disposition`` for ``filename``: an ASCII fallback and the UTF-8 name."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    base = "".join(c for c in base if c.isprintable())[:150] or "file"
    ascii_name = _UNSAFE.sub("_", base.encode("ascii", "ignore").decode()).strip("._") or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(base, safe='')}"
