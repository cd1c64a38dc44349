"""Which language a page speaks: the user's choice (a cookie), else the first of Kazakh or
Russian the browser asks for (``Accept-Language``), else Kazakh (the state language)."""

from __future__ import annotations

from service.kernel.text import Lang

LANGUAGES: tuple[Lang, ...] = ("kk", "ru")
DEFAULT: Lang = "kk"


def chosen(cookie: str | None, accept_language: str | None) -> Lang:
    if cookie in LANGUAGES:
        return "kk" if cookie == "kk" else "ru"
    return from_accept_language(accept_language or "")


def from_accept_language(header: str) -> Lang:
    """The supported language with the highest weight (``ru-RU;q=0.9, kk;q=0.8`` → ``ru``)."""
    best: tuple[float, int, Lang] | None = None
    for position, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight <= 0:
            continue
        lang: Lang = "kk" if primary == "kk" else "ru"
        candidate = (weight, -position, lang)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else DEFAULT
