"""Texts in the document languages: a ``Localized`` value (kk, ru) and a ``Message`` (ru, kk, en).

Kazakh comes first wherever both are laid out (language law art. 21); ``Message`` adds English for
API clients and logs, never for a debtor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Lang = Literal["kk", "ru"]


@dataclass(frozen=True)
class Localized:
    """A text a document prints in its language: Kazakh and Russian."""

    kk: str
    ru: str

    def __getitem__(self, lang: Lang) -> str:
        return self.kk if lang == "kk" else self.ru

    def as_dict(self) -> dict[str, str]:
        return {"kk": self.kk, "ru": self.ru}

    @classmethod
    def given(cls, value: str | Mapping[str, str]) -> Localized:
        """A requisite a client sends either once (one string, printed as given in every
        language) or per language (``{"kk": …, "ru": …}``): a bank's name, a postal address."""
        if isinstance(value, str):
            return cls(kk=value, ru=value)
        return cls(kk=value["kk"], ru=value["ru"])

    def given_form(self) -> str | dict[str, str]:
        """The wire form ``given`` reads: one string when both languages read the same."""
        return self.ru if self.kk == self.ru else self.as_dict()


@dataclass(frozen=True)
class Message:
    """A refusal, a reason or a flag: Russian and Kazakh for people, English for API clients."""

    ru: str
    kk: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"ru": self.ru, "kk": self.kk, "en": self.en}

    def format(self, *args: str) -> Message:
        return Message(self.ru.format(*args), self.kk.format(*args), self.en.format(*args))

    def __add__(self, other: Message) -> Message:
        return Message(self.ru + other.ru, self.kk + other.kk, self.en + other.en)
