"""The SMS that announces an issued document: kind and number, the amount, the time to pay, and
the document's public verification link (which shows the document and needs no key).

Language: the debtor's (the case's ``debtor.language``), Kazakh for a Kazakh speaker; a
bilingual document, or one in the other language, gets a bilingual SMS, Kazakh first, when it
fits. The time to pay is worded
as the letter words it — N calendar days from receipt (review #13) — never as a date the letter
does not print. The text is chosen from the richest to the leanest variant (bilingual with the
creditor's name, bilingual, one language with the name, one language) and the first one within
``MAX_SEGMENTS`` wins; the leanest is sent whatever its length.

Pure: plain data in, text out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from service.documents.wording import DOCUMENT_KINDS
from service.kernel.text import Lang
from service.kernel.words import format_amount
from service.sms.segments import Segments, count_segments

MAX_SEGMENTS = 3


@dataclass(frozen=True)
class Notice:
    """What the SMS says about one issued document (no debtor data besides the amount)."""

    kind: str
    number: str
    language: str
    """The document's: ``kk``, ``ru`` or ``bilingual``."""
    debtor_language: str
    amount: Decimal
    issue_date: dt.date
    deadline: dt.date | None
    verify_url: str
    creditor: dict[str, str]
    """The creditor's name by language (``kk``, ``ru``)."""


@dataclass(frozen=True)
class SmsText:
    text: str
    language: str
    segments: Segments


def _amount(value: Decimal) -> str:
    return format_amount(value).replace("\u202f", " ").removesuffix(",00") + " тг"


def _days_ru(days: int) -> str:
    if days % 10 == 1 and days % 100 != 11:
        return f"{days} календарного дня"
    return f"{days} календарных дней"


def part(notice: Notice, lang: Lang, *, with_name: bool) -> str:
    """One language's sentence, without the link."""
    kinds = DOCUMENT_KINDS.get(notice.kind)
    kind = kinds[lang] if kinds else notice.kind
    days = (notice.deadline - notice.issue_date).days if notice.deadline else None
    name = notice.creditor.get(lang) or next(iter(notice.creditor.values()), "")
    prefix = f"{name}. " if with_name and name else ""
    if lang == "kk":
        text = f"{prefix}{kind} № {notice.number}: берешек {_amount(notice.amount)}"
        if days is not None:
            text += f", алған күннен {days} күнтізбелік күн ішінде төлеңіз"
        return text + "."
    text = f"{prefix}{kind} № {notice.number}: задолженность {_amount(notice.amount)}"
    if days is not None:
        text += f", оплатите в течение {_days_ru(days)} со дня получения"
    return text + "."


def compose(notice: Notice) -> SmsText:
    single: Lang = "kk" if notice.debtor_language == "kk" else "ru"
    variants: list[tuple[str, str]] = []
    if notice.language != single:  # a bilingual document, or one in the other language
        kk, ru = part(notice, "kk", with_name=False), part(notice, "ru", with_name=False)
        variants.append(("bilingual", f"{kk}\n{ru}"))
    variants.append((single, part(notice, single, with_name=True)))
    variants.append((single, part(notice, single, with_name=False)))
    for language, sentence in variants:
        text = f"{sentence} {notice.verify_url}"
        segments = count_segments(text)
        if segments.count <= MAX_SEGMENTS:
            return SmsText(text, language, segments)
    text = f"{variants[-1][1]} {notice.verify_url}"
    return SmsText(text, variants[-1][0], count_segments(text))
