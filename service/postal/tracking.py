"""Tracking numbers of registered letters: the UPU S10 form Kazpost uses (``RR123456785KZ``).

Two service letters, eight serial digits, a check digit, the ISO country code of the post that
accepted it. The check digit: the serial digits weighted 8 6 4 2 3 5 9 7, summed; 11 minus the
sum modulo 11, where 10 gives 0 and 11 gives 5 (UPU standard S10).
"""

from __future__ import annotations

import re

_S10 = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def normalized(number: str) -> str:
    """As printed on a label or typed: spaces dropped, letters upper case."""
    return "".join(number.split()).upper()


def check_digit(serial: str) -> int:
    """The S10 check digit of eight serial digits."""
    total = sum(int(digit) * weight for digit, weight in zip(serial, _WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def s10_problem(number: str) -> tuple[str, str] | None:
    """(code, message) when ``number`` (normalized) is not a valid S10 tracking number."""
    if not _S10.match(number):
        return "invalid_format", (
            f"{number!r} is not a tracking number like RR123456785KZ "
            "(2 letters, 9 digits, 2 letters)"
        )
    expected = check_digit(number[2:10])
    if int(number[10]) != expected:
        return "check_digit", f"{number}: check digit is {number[10]}, expected {expected}"
    return None
