"""The auditor pages' renderer: the kit's layout with this domain's templates and labels, and
the helpers its templates use to show names, moments and an event's facts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from service.auditor.labels import (
    ACTIONS,
    CHANNELS,
    ENTRY_EVENTS,
    ENTRY_KINDS,
    FACT_NAMES,
    LABELS,
    LANGUAGES,
    STATUSES,
)
from service.cases.case import UnitType
from service.clock import ALMATY
from service.documents.wording import DOCUMENT_KINDS, unit_label
from service.kernel.text import Lang
from service.kernel.words import format_amount
from service.web.pages import Renderer

RENDERER = Renderer(Path(__file__).parent / "html", LABELS)


def when(moment: dt.datetime | None) -> str:
    """A moment in Kazakhstan time, as the pages show it."""
    return moment.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") if moment else ""


def day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def unit(unit_type: str, number: str, lang: Lang) -> str:
    """``№ 45 пәтер`` (kk), ``квартира № 45`` (ru), as the letters name a unit."""
    try:
        return unit_label(UnitType(unit_type), number, lang)
    except ValueError:
        return f"№\u00a0{number}"


def money(value: str) -> str:
    """An amount as the documents print it: ``82 179,00``."""
    return format_amount(Decimal(value))


_LINKED = {"document_id"}
"""Shown as the row's link, not again among its facts."""
_VERBOSE = {"rules"}
"""A decision's whole rule trace: its failed rules are listed (``failed``), the rest is in the
API's history."""


def facts(payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An entry's details or an event's payload as (name, value) lines, empty values left out;
    nested values as compact JSON."""
    return [
        (name, _fact_value(name, value))
        for name, value in payload.items()
        if name not in _LINKED | _VERBOSE and value not in (None, "", [], {})
    ]


_AMOUNTS = {"amount"}
"""Facts that are sums of money (decimal strings), printed as the documents print them."""
_DAYS = {"due_date", "legal_date", "promised_date", "until", "answered_on", "passes_on", "deadline"}
"""Facts that are days (ISO strings), printed as ``dd.mm.yyyy`` like the rest of the page."""


def _fact_value(name: str, value: Any) -> str:
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        if name in _AMOUNTS:
            return money(value)
        if name in _DAYS:
            return day(dt.date.fromisoformat(value))
    except (ArithmeticError, ValueError):  # not what its name says after all: shown as recorded
        return value
    return value


def fact_name(name: str, lang: Lang) -> str:
    """A fact's name in the page's language; one without a label shows its API name."""
    return FACT_NAMES[name][lang] if name in FACT_NAMES else name


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return RENDERER.render(
        request,
        template,
        kinds=DOCUMENT_KINDS,
        actions=ACTIONS,
        statuses=STATUSES,
        entry_kinds=ENTRY_KINDS,
        entry_events=ENTRY_EVENTS,
        channels=CHANNELS,
        document_languages=LANGUAGES,
        unit=unit,
        when=when,
        day=day,
        money=money,
        facts=facts,
        fact_name=fact_name,
        **context,
    )
