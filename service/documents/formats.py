"""How values read in a letter: amounts in digits and words, dates in every form the letters
use, names shortened for a signature line. The one set of presenter helpers every part uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from service.kernel.period import Period
from service.kernel.text import Lang
from service.kernel.words import (
    amount_in_words,
    date_in_words,
    format_amount,
    format_date,
    period_name,
)


def amount(value: Decimal) -> str:
    """``58 648,00``."""
    return format_amount(value)


def words(value: Decimal, lang: Lang) -> str:
    # Tiyn as digits, as payment orders and accounting printouts in Kazakhstan write them.
    return amount_in_words(value, lang, tiyn="digits")


def money(value: Decimal, lang: Lang) -> dict[str, str]:
    """An amount as the letters print it: digits and words."""
    return {"digits": amount(value), "words": words(value, lang)}


def day(value: dt.date, lang: Lang) -> dict[str, str]:
    """A date in every form the letters need (numeric, and in words with the Kazakh cases)."""
    return {
        "numeric": format_date(value),
        "words": date_in_words(value, lang),
        "attributive": date_in_words(value, lang, "attributive"),
        "dative": date_in_words(value, lang, "dative"),
        "ablative": date_in_words(value, lang, "ablative"),
    }


def flat_day(key: str, value: dt.date, lang: Lang) -> dict[str, str]:
    """``day`` as top-level keys: ``issue_date``, ``issue_date_words``, ``issue_date_dative`` …"""
    forms = day(value, lang)
    flat = {key: forms.pop("numeric")}
    flat.update({f"{key}_{form}": text for form, text in forms.items()})
    return flat


def month(period: Period, lang: Lang) -> str:
    return period_name(period.year, period.month, lang)


def blank_to_none(value: str | None) -> str | None:
    """An optional text: absent and blank both mean "do not print the label"."""
    return value if value and value.strip() else None


def phone(value: str | None) -> str | None:
    """A phone number never breaks across lines."""
    value = blank_to_none(value)
    return value.replace(" ", "\u00a0") if value else None


def short_name(full_name: str) -> str | None:
    """``Сәрсенбаева Ләззат Мұратқызы`` → ``Сәрсенбаева Л. М.`` (for the signature line)."""
    if not full_name.strip():
        return None
    surname, *given = full_name.split()
    initials = "\u00a0".join(f"{part[0]}." for part in given if part[:1].isalpha())
    return f"{surname}\u00a0{initials}" if initials else surname


def initials_first(full_name: str) -> str | None:
    """``Сәрсенбаева Ләззат Мұратқызы`` → ``Л. М. Сәрсенбаева`` (a signature line, #20)."""
    if not full_name.strip():
        return None
    surname, *given = full_name.split()
    initials = "\u00a0".join(f"{part[0]}." for part in given if part[:1].isalpha())
    return f"{initials}\u00a0{surname}" if initials else surname


def lower_first(text: str) -> str:
    """«Председатель правления» → «председатель правления» (a position inside a sentence)."""
    return text[:1].lower() + text[1:]
