"""The list itself, pure: who sends, which letters to whom, and its wording in Kazakh and
Russian — one view model that the Typst template and the XLSX sheet both lay out, so the two
files always say the same (Kazakh first: language law art. 21).

The sender and every line are stored with the list when it is made (``models.py``): a list
handed to the post office is stamped there and must print the same later, whatever becomes of
the creditor's or the debtor's address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from service.creditors.creditor import Creditor
from service.documents import party
from service.kernel.text import Localized


class Channel(StrEnum):
    REGISTERED_POST = "registered_post"
    COURIER = "courier"
    HAND_DELIVERY = "hand_delivery"

    @property
    def needs_address(self) -> bool:
        """A letter sent by post or courier needs the addressee's postal address."""
        return self is not Channel.HAND_DELIVERY

    @property
    def tracked(self) -> bool:
        """Its letters carry tracking numbers (S10 for the post, the courier's own otherwise)."""
        return self is not Channel.HAND_DELIVERY


@dataclass(frozen=True)
class Sender:
    name: Localized
    bin: str
    address: Localized
    signer_title: Localized
    signer_name: str

    @classmethod
    def of(cls, creditor: Creditor) -> Sender:
        kk, ru = party.signer(creditor, "kk"), party.signer(creditor, "ru")
        return cls(
            name=creditor.name,
            bin=creditor.bin,
            address=creditor.address,
            signer_title=Localized(kk=kk["title"], ru=ru["title"]),
            signer_name=str(ru["name"]),
        )

    def wire(self) -> dict[str, Any]:
        return {
            "name": self.name.as_dict(),
            "bin": self.bin,
            "address": self.address.as_dict(),
            "signer_title": self.signer_title.as_dict(),
            "signer_name": self.signer_name,
        }

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Sender:
        return cls(
            name=Localized(**data["name"]),
            bin=str(data["bin"]),
            address=Localized(**data["address"]),
            signer_title=Localized(**data["signer_title"]),
            signer_name=str(data["signer_name"]),
        )


@dataclass(frozen=True)
class Line:
    position: int
    document_number: str
    document_date: dt.date
    addressee: str
    address: Localized | None
    """The postal address: Kazakh and Russian forms where the client gave both."""
    tracking_number: str | None


@dataclass(frozen=True)
class PostList:
    number: str
    date: dt.date
    channel: Channel
    sender: Sender
    lines: tuple[Line, ...]


def _l(kk: str, ru: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru}


TITLES: Mapping[Channel, dict[str, str]] = {
    Channel.REGISTERED_POST: _l("Тапсырыс хаттар тізілімі", "Реестр почтовых отправлений"),
    Channel.COURIER: _l("Курьерлік жөнелтілімдер тізілімі", "Реестр курьерских отправлений"),
    Channel.HAND_DELIVERY: _l(
        "Қолма-қол тапсырылатын құжаттар тізілімі", "Реестр документов, вручаемых под подпись"
    ),
}
SUBTITLES: Mapping[Channel, dict[str, str] | None] = {
    Channel.REGISTERED_POST: _l(
        "тапсыру туралы хабарламасы бар тапсырыс хаттар",
        "заказные письма с уведомлением о вручении",
    ),
    Channel.COURIER: None,
    Channel.HAND_DELIVERY: None,
}
LABELS = {
    "number": _l("Тізілім\u00a0№", "Реестр\u00a0№"),
    "date": _l("Күні", "Дата"),
    "sender": _l("Жөнелтуші", "Отправитель"),
    "bin": _l("БСН", "БИН"),
    "address": _l("Мекенжайы", "Адрес"),
    "page": _l("бет {n} / {total}", "стр. {n} из {total}"),
}
_TRACKING_COLUMN: Mapping[Channel, dict[str, str]] = {
    Channel.REGISTERED_POST: _l(
        "Пошталық сәйкестендіргіш (трек-нөмір)", "Почтовый идентификатор (трек-номер)"
    ),
    Channel.COURIER: _l("Жөнелтілім нөмірі", "Номер отправления"),
    Channel.HAND_DELIVERY: _l("Алдым (қолы, Т.А.Ә., күні)", "Получил (подпись, Ф.И.О., дата)"),
}
TOTALS: Mapping[Channel, dict[str, str]] = {
    Channel.REGISTERED_POST: _l("Барлық жөнелтілімдер саны", "Всего отправлений"),
    Channel.COURIER: _l("Барлық жөнелтілімдер саны", "Всего отправлений"),
    Channel.HAND_DELIVERY: _l("Барлық құжаттар саны", "Всего документов"),
}
RECEIVED: Mapping[Channel, dict[str, str]] = {
    Channel.REGISTERED_POST: _l(
        "Қабылдады (байланыс бөлімшесінің қызметкері): қолы, Т.А.Ә., күні, күнтізбелік "
        "мөртабан таңбасы",
        "Принял (работник отделения связи): подпись, Ф.И.О., дата, оттиск календарного штемпеля",
    ),
    Channel.COURIER: _l(
        "Қабылдады (курьер): қолы, Т.А.Ә., күні", "Принял (курьер): подпись, Ф.И.О., дата"
    ),
    Channel.HAND_DELIVERY: _l(
        "Тапсырды (тапсырған адам): қолы, Т.А.Ә.", "Вручил (вручивший): подпись, Ф.И.О."
    ),
}


def columns(channel: Channel) -> list[dict[str, str]]:
    return [
        _l("№\u00a0р/с", "№\u00a0п/п"),
        _l("Шығыс құжаттың нөмірі мен күні", "Исх. № и дата документа"),
        _l("Алушы (Т.А.Ә.)", "Адресат (Ф.И.О.)"),
        _l("Пошталық мекенжайы", "Почтовый адрес"),
        _TRACKING_COLUMN[channel],
        _l("Салмағы, ескертпе", "Вес, примечание"),
    ]


def numeric(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def both(text: Localized | None) -> list[str]:
    """Kazakh, then Russian; once when both read the same; none when there is no text."""
    if text is None:
        return []
    return [text.kk] if text.kk == text.ru else [text.kk, text.ru]


def view(post_list: PostList) -> dict[str, Any]:
    """Everything both files print, as strings (JSON for Typst's ``sys.inputs``)."""
    sender = post_list.sender
    channel = post_list.channel
    return {
        "channel": channel.value,
        "title": TITLES[channel],
        "subtitle": SUBTITLES[channel],
        "number": post_list.number,
        "date": numeric(post_list.date),
        "labels": LABELS,
        "sender": {
            "name": both(sender.name),
            "bin": sender.bin,
            "address": both(sender.address),
            "signer_title": both(sender.signer_title),
            "signer_name": sender.signer_name,
        },
        "columns": columns(channel),
        "lines": [
            {
                "position": str(line.position),
                "document": line.document_number,
                "document_date": numeric(line.document_date),
                "addressee": line.addressee,
                "address": both(line.address),
                "tracking": line.tracking_number or "",
                "notes": "",
            }
            for line in post_list.lines
        ],
        "total": {"label": TOTALS[channel], "count": str(len(post_list.lines))},
        "received": RECEIVED[channel],
    }
