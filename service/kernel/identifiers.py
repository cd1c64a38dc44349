"""Kazakh identifiers: ИИН/БИН and KZ IBAN (ИИК).

ИИН/БИН (research §9.2): 12 digits, the 12th is a check digit. Weights 1..11 over digits 1..11,
sum mod 11; if that is 10, weights 3..11,1,2 instead; if it is 10 again the number is never
assigned, so it is invalid. The digits are deliberately NOT tied to a birth date: that link was
removed by Постановление № 853 of 26.08.2013 (research §9.3).

KZ IBAN (research §9.5): 20 characters, ``KZ`` + 2 check digits + 3-digit bank code + 13
alphanumerics, ISO 13616 mod 97 == 1.
"""

from __future__ import annotations

import re

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_IBAN_KZ = re.compile(r"^KZ[0-9]{2}[0-9]{3}[0-9A-Z]{13}$")


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid ИИН/БИН, or ``None`` when it is."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return "must be exactly 12 digits"
    digits = [int(c) for c in value]
    check = _check_digit(digits[:11])
    if check is None:
        return "is not a number that can be assigned (check digit computes to 10 twice)"
    if check != digits[11]:
        return f"check digit is {digits[11]}, expected {check}"
    return None


def _check_digit(first_eleven: list[int]) -> int | None:
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(first_eleven, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


def normalize_iban(value: str) -> str:
    return value.replace(" ", "").upper()


def iban_problem(value: str) -> str | None:
    """Why ``value`` is not a valid Kazakh IBAN, or ``None`` when it is (spaces are allowed)."""
    iban = normalize_iban(value)
    if not iban.startswith("KZ"):
        return "must start with KZ"
    if len(iban) != 20:
        return f"must be 20 characters, got {len(iban)}"
    if not _IBAN_KZ.match(iban):
        return "must be KZ, 2 check digits, a 3-digit bank code and 13 letters or digits"
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    if int(number) % 97 != 1:
        return "check digits do not match (mod 97)"
    return None


def bank_code(iban: str) -> str:
    """Characters 5–7 of a KZ IBAN: the bank code."""
    return normalize_iban(iban)[4:7]
