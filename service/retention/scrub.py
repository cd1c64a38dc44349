"""Replace a debtor's personal data wherever it sits in stored JSON. Pure.

Every string that contains one of the debtor's values (name, ИИН, e-mail, phone, address
lines) has that value replaced by ``PLACEHOLDER``; numbers, dates, hashes and ids are left as
they are, so what a hash or a number proves still stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

PLACEHOLDER = "Иесіздендірілді / Обезличено"
"""What an anonymised name or value reads (kk / ru: «depersonalised»)."""

MIN_SECRET = 4
"""Shorter values (a flat number, a one-letter initial) are not searched for inside texts."""


def secrets_of(values: Iterable[object]) -> tuple[str, ...]:
    """The texts to remove: every non-empty string among ``values`` (nested dicts and lists
    too), longest first so a full name goes before a part of it."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            if len(value.strip()) >= MIN_SECRET:
                found.add(value.strip())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for value in values:
        walk(value)
    return tuple(sorted(found, key=len, reverse=True))


def scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` with every occurrence of a secret replaced (a new object; the input is kept)."""
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, PLACEHOLDER)
        return value
    if isinstance(value, dict):
        return {key: scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, secrets) for item in value]
    return value


def anonymous_debtor(language: str) -> dict[str, Any]:
    """A snapshot's ``debtor`` block once anonymised."""
    return {
        "full_name": PLACEHOLDER,
        "iin": None,
        "language": language,
        "email": None,
        "phone": None,
        "postal_address": None,
    }
