"""The workbench pages' renderer: the kit's layout with this domain's templates and labels, and
the names its templates show for kinds, languages, engines and statuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from service.auditor.labels import LANGUAGES
from service.clock import ALMATY
from service.documents.wording import DOCUMENT_KINDS
from service.kernel.text import Lang
from service.web.pages import Renderer, language_of
from service.workbench.labels import ENGINES, LABELS
from service.workbench.views import place

RENDERER = Renderer(Path(__file__).parent / "html", LABELS)


def when(moment: dt.datetime | None) -> str:
    """A moment in Kazakhstan time (UTC+5), as every page shows it."""
    return moment.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") if moment else ""


def day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    lang: Lang = language_of(request)

    def named(prefix: str, code: str) -> str:
        key = f"{prefix}.{code}"
        return RENDERER.label(key, lang) if key in RENDERER.labels else code

    return RENDERER.render(
        request,
        template,
        status=status,
        kinds=DOCUMENT_KINDS,
        document_languages=LANGUAGES,
        engines=ENGINES,
        kind_name=lambda code: DOCUMENT_KINDS[code][lang] if code in DOCUMENT_KINDS else code,
        language_name=lambda code: LANGUAGES[code][lang] if code in LANGUAGES else code,
        engine_name=lambda code: named("engine", code),
        status_name=lambda code: named("status", code),
        when=when,
        day=day,
        place=place,
        **context,
    )
