"""How many SMS segments a text costs (3GPP TS 23.038): GSM-7 when every character is in the
default alphabet (160 per single message, 153 per part of a long one; the extension characters
count twice), UCS-2 otherwise (70, or 67 per part, in UTF-16 code units). Kazakh and Russian
are Cyrillic, so always UCS-2: a Kazakh notice pays 70 characters a segment.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Segments:
    encoding: str
    """``GSM-7`` or ``UCS-2``."""
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2)."""
    count: int


def count_segments(text: str) -> Segments:
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        return Segments("GSM-7", units, 1 if units <= 160 else -(-units // 153))
    units = len(text.encode("utf-16-le")) // 2
    return Segments("UCS-2", units, 1 if units <= 70 else -(-units // 67))
