"""Amounts, dates and abbreviations written the way a Kazakh business letter writes them.

Pure functions, no framework imports. Two languages: ``"kk"`` (Kazakh) and ``"ru"`` (Russian).

Pitfalls this module exists to contain (research ``perf.md`` F3):

- num2words spells Kazakh with ``lang="kz"``; the ISO code ``"kk"`` raises.
- Its ``to="currency"`` mode reads an ``int`` as tiyn. We never use that mode: the tenge part is
  spelled as a plain cardinal and the tiyn are written here, so the plural forms are ours to test.

Tenge and tiyn are both spelled out by default; ``tiyn="digits"`` writes the tiyn as two digits
followed by the word in the right form (``00 тиынов``, ``01 тиын``, ``02 тиына``), the way payment
orders and accounting printouts in Kazakhstan write it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal

from num2words import num2words

from service.kernel.text import Lang

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: the thousands separator

_CENT = Decimal("0.01")

MONTHS_RU_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_RU_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTHS_KK = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip

# Kazakh case endings follow vowel harmony and the last sound of the month name; written out
# per month rather than derived, so each form can be read and checked by a Kazakh speaker.
# Locative-attributive («2026 жылғы 24 қарашадағы жағдай бойынша»).
MONTHS_KK_ATTRIBUTIVE = (
    "қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі", "мамырдағы", "маусымдағы",
    "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы", "қарашадағы", "желтоқсандағы",
)  # fmt: skip
# Dative («2026 жылғы 8 желтоқсанға дейін»).
MONTHS_KK_DATIVE = (
    "қаңтарға", "ақпанға", "наурызға", "сәуірге", "мамырға", "маусымға",
    "шілдеге", "тамызға", "қыркүйекке", "қазанға", "қарашаға", "желтоқсанға",
)  # fmt: skip

# Ablative («2026 жылғы 27 қазаннан бастап»): -дан/-ден after a vowel or voiced consonant,
# -нан/-нен after м, н, ң, -тан/-тен after a voiceless consonant.
MONTHS_KK_ABLATIVE = (
    "қаңтардан", "ақпаннан", "наурыздан", "сәуірден", "мамырдан", "маусымнан",
    "шілдеден", "тамыздан", "қыркүйектен", "қазаннан", "қарашадан", "желтоқсаннан",
)  # fmt: skip

DateForm = Literal["nominative", "attributive", "dative", "ablative"]


def _money(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError(f"amounts are Decimal, got {type(amount).__name__}")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"not a payable amount: {amount}")
    if amount != amount.quantize(_CENT):
        raise ValueError(f"more than two decimal places: {amount}")
    return amount.quantize(_CENT)


def _ru_plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _cardinal(n: int, lang: Lang) -> str:
    return str(num2words(n, lang="kz" if lang == "kk" else "ru"))


def amount_in_words(
    amount: Decimal, lang: Lang, *, tiyn: Literal["digits", "words"] = "words"
) -> str:
    """``21.05`` → ``двадцать один тенге пять тиынов``; ``tiyn="digits"`` → ``… тенге 05 тиынов``.

    Kazakh: ``жиырма бір теңге бес тиын`` (a noun after a numeral stays
    singular in Kazakh). Russian «тенге» does not decline; «тиын» does (1 тиын, 2 тиына, 5 тиынов).
    """
    value = _money(amount)
    tenge = int(value)
    cents = int((value - tenge) * 100)
    cents_text = f"{cents:02d}" if tiyn == "digits" else _cardinal(cents, lang)
    if lang == "kk":
        return f"{_cardinal(tenge, lang)} теңге {cents_text} тиын"
    if lang == "ru":
        unit = _ru_plural(cents, "тиын", "тиына", "тиынов")
        return f"{_cardinal(tenge, lang)} тенге {cents_text} {unit}"
    raise ValueError(f"unknown language: {lang}")


def format_amount(amount: Decimal) -> str:
    """``Decimal("58648.00")`` → ``58 648,00`` (narrow no-break space, decimal comma)."""
    value = _money(amount)
    whole, _, frac = f"{value:.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{NNBSP.join(groups)},{frac}"


def format_date(day: dt.date) -> str:
    """``24.11.2026``."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def date_in_words(day: dt.date, lang: Lang, form: DateForm = "nominative") -> str:
    """ru ``24 ноября 2026 г.``; kk ``2026 жылғы 24 қараша``.

    ``form`` matters only in Kazakh, where the month takes the case ending:
    ``attributive`` → ``2026 жылғы 24 қарашадағы``, ``dative`` → ``2026 жылғы 24 қарашаға``,
    ``ablative`` → ``2026 жылғы 24 қарашадан``.
    """
    m = day.month - 1
    if lang == "ru":
        return f"{day.day}{NBSP}{MONTHS_RU_GENITIVE[m]} {day.year}{NBSP}г."
    if lang == "kk":
        month = {
            "nominative": MONTHS_KK,
            "attributive": MONTHS_KK_ATTRIBUTIVE,
            "dative": MONTHS_KK_DATIVE,
            "ablative": MONTHS_KK_ABLATIVE,
        }[form][m]
        return f"{day.year}{NBSP}жылғы {day.day}{NBSP}{month}"
    raise ValueError(f"unknown language: {lang}")


def period_name(year: int, month: int, lang: Lang) -> str:
    """A billing month: ru ``март 2026``; kk ``2026 ж. наурыз``."""
    if not 1 <= month <= 12:
        raise ValueError(f"no such month: {month}")
    if lang == "ru":
        return f"{MONTHS_RU_NOMINATIVE[month - 1]} {year}"
    if lang == "kk":
        return f"{year}{NBSP}ж. {MONTHS_KK[month - 1]}"
    raise ValueError(f"unknown language: {lang}")


# An abbreviation glued to what follows: «д. 21», «кв. 45», «п. 8», «ст. 34-1», «г. Алматы».
_ABBREVIATION_BEFORE = re.compile(
    r"(?<![\w.])(д|кв|ст|п|пп|мкр|г|ул|пр|просп|пер|корп|стр|обл|тел|им)\.[ \t]+",
    re.IGNORECASE,
)
_NUMBER_SIGN = re.compile(r"№[ \t]+")
# An abbreviation glued to what precedes it: «2026 г.», «2026 ж.», «Алматы қ.», «Бостандық ауд.»,
# and the currency after a number: «58 648,00 тенге».
_ABBREVIATION_AFTER = re.compile(
    r"(?<=\S)[ \t]+(?=(г|ж|қ|ауд)\.|(тенге|теңге)\b)",
    re.IGNORECASE,
)


def nbsp_abbreviations(text: str) -> str:
    """Replace the space after «д.», «кв.», «ст.», «п.», «мкр.», «г.», «№» … with a no-break space.

    Also before «г.», «ж.», «қ.», «ауд.» (``2026 г.``, ``Алматы қ.``) and before the currency word,
    so an address or a citation never breaks between an abbreviation and its number or name.
    """
    text = _ABBREVIATION_BEFORE.sub(lambda m: m.group(0).rstrip(" \t") + NBSP, text)
    text = _NUMBER_SIGN.sub("№" + NBSP, text)
    return _ABBREVIATION_AFTER.sub(NBSP, text)


_KK_FRONT = set("әеіөүиэ")
_KK_VOWELS = set("аәеиоөұүыіэуюяё")


def kk_possessive(noun: str) -> str:
    """The Kazakh third-person possessive of a position: «төраға» → «төрағасы», «директор» →
    «директоры», «басқарма төрағасы» stays (it already is one). For «X-тің төрағасы» phrases."""
    word = noun.rstrip()
    last = word.split()[-1].lower() if word.split() else ""
    if not last or last.endswith(("сы", "сі")) or (len(word.split()) > 1 and last[-1] in "ыі"):
        return word
    vowels = [c for c in last if c in _KK_VOWELS]
    front = bool(vowels) and vowels[-1] in _KK_FRONT
    if last[-1] in _KK_VOWELS:
        return word + ("сі" if front else "сы")
    return word + ("і" if front else "ы")
