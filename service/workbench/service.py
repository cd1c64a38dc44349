"""The workbench's one door to the template domain: each page calls one of these, and each
calls one function of ``service.templates.service`` (contract C2) with the session's
``Principal`` — the same checks, permissions and creditor boundary as the API — and shapes the
answer for the pages (``views``)."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import pypdfium2 as pdfium
from sqlalchemy.orm import Session

from service.bootstrap import Wiring
from service.creditors.auth import Principal
from service.errors import RenderingFailed, ValidationFailed
from service.templates import service as templates
from service.templates.service import Templating
from service.workbench import views


def _flat(view: templates.VersionView) -> dict[str, Any]:
    """A version's facts and what follows from the moment (shown status, stale, breaking)."""
    return {
        **views.as_mapping(view.info),
        "status": view.status,
        "stale": view.stale,
        "breaking": view.breaking,
    }


def overview(session: Session, wiring: Wiring, caller: Principal) -> list[views.TemplateRow]:
    found = templates.list_templates(session, wiring.templating(), caller)
    own_first = sorted(found, key=lambda t: t.creditor_id is None)
    return [
        views.template_row(
            {
                "kind": t.kind,
                "language": t.language,
                "creditor_id": t.creditor_id,
                "versions": [_flat(v) for v in reversed(t.versions)],
            }
        )
        for t in own_first
    ]


def version(
    session: Session, wiring: Wiring, caller: Principal, version_id: str
) -> views.VersionPage:
    found = templates.get_version(session, wiring.templating(), caller, version_id)
    return views.version_page(_flat(found), found.live_id)


def upload(
    session: Session,
    wiring: Wiring,
    caller: Principal,
    *,
    kind: str,
    language: str,
    filename: str,
    data: bytes,
    engine: str,
    changelog: str,
    schema: str | None,
    provisions: str | None,
) -> str:
    """The new draft's id; ``ValidationFailed`` with every problem when refused."""
    created = templates.upload(
        session,
        wiring.templating(),
        caller,
        kind,
        language,
        filename=filename,
        data=data,
        engine=engine,
        changelog=changelog,
        schema=schema or None,
        provisions=provisions or None,
    )
    return created.id


def check(
    session: Session, wiring: Wiring, caller: Principal, version_id: str
) -> list[views.ProblemLine]:
    return views.problems(templates.check(session, wiring.templating(), caller, version_id))


def approve(session: Session, wiring: Wiring, caller: Principal, version_id: str) -> None:
    templates.approve(session, wiring.templating(), caller, version_id)


def schedule(
    session: Session, wiring: Wiring, caller: Principal, version_id: str, live_from: dt.datetime
) -> None:
    templates.schedule(session, wiring.templating(), caller, version_id, live_from)


def retire(session: Session, wiring: Wiring, caller: Principal, version_id: str) -> None:
    templates.retire(session, wiring.templating(), caller, version_id)


def source(session: Session, wiring: Wiring, caller: Principal, version_id: str) -> bytes:
    _info, data = templates.source(session, wiring.templating(), caller, version_id)
    return data


def preview(
    session: Session, wiring: Wiring, caller: Principal, version_id: str, case: str | None
) -> bytes:
    ports = wiring.templating()
    if not case:
        return templates.preview(session, ports, caller, version_id)
    return templates.preview(session, ports, caller, version_id, case, issuing=wiring.issuing())


class RedlineCache:
    """The last few redlines, so the page's images do not render both versions again each; a
    redline of two immutable versions never changes. Keyed by the caller's creditor too: every
    read still goes through the domain's access check first (``redline_images``)."""

    def __init__(self, size: int = 8) -> None:
        self._found: OrderedDict[tuple[str | None, str, str], Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str | None, str, str]) -> Any:
        with self._lock:
            if key in self._found:
                self._found.move_to_end(key)
                return self._found[key]
            return None

    def put(self, key: tuple[str | None, str, str], found: Any) -> None:
        with self._lock:
            self._found[key] = found
            while len(self._found) > self._size:
                self._found.popitem(last=False)


REDLINES = RedlineCache()


def _redline(
    session: Session, wiring: Wiring, caller: Principal, a: str, b: str
) -> Mapping[str, Any]:
    key = (caller.creditor_id, a, b)
    found: dict[str, Any] | None = REDLINES.get(key)
    if found is None:
        ports = wiring.templating()
        found = dict(templates.redline(session, ports, caller, a, b))
        if views.word_changes(found) is None:
            paragraphs = _word_paragraphs(session, ports, caller, a, b)
            if paragraphs:
                found["paragraphs"] = paragraphs
        if not views.page_images(found):
            found["pages"] = _sample_pages(session, ports, caller, a, b)
        REDLINES.put(key, found)
    return found


def _word_paragraphs(
    session: Session, ports: Templating, caller: Principal, a: str, b: str
) -> list[dict[str, str | None]] | None:
    """Where the engines' redline gives no Word paragraphs: the two entry documents' texts by
    location (``rendering.docx.structure``, where the Word engine is installed), compared."""
    try:
        structure = importlib.import_module("service.rendering.docx.structure")
    except ModuleNotFoundError:
        return None
    texts = []
    for version_id in (a, b):
        info, data = templates.source(session, ports, caller, version_id)
        if not info.entry.lower().endswith(".docx"):
            return None
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            docx = bundle.read(info.entry)
        texts.append(structure.text_by_location(docx))
    return views.located_diff(texts[0], texts[1])


PAGE_SCALE = 1.0
"""72 dpi: an A4 page is 595 × 842 px, enough to see the layout beside the other version."""


def _sample_pages(
    session: Session, ports: Templating, caller: Principal, a: str, b: str
) -> dict[str, list[bytes]]:
    """Where the engines' redline gives no page images: each version's preview with the sample
    data, its pages as PNG (pypdfium2). A version that cannot render here has none."""
    sides: list[list[bytes]] = []
    for version_id in (a, b):
        try:
            pdf = templates.preview(session, ports, caller, version_id)
        except (RenderingFailed, ValidationFailed):
            sides.append([])
            continue
        sides.append(_pngs(pdf))
    return {"a": sides[0], "b": sides[1]}


def _pngs(pdf: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(pdf)
    try:
        out = []
        for index in range(len(document)):
            image = document[index].render(scale=PAGE_SCALE).to_pil()
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="PNG", optimize=True)
            out.append(buffer.getvalue())
        return out
    finally:
        document.close()


def redline(
    session: Session, wiring: Wiring, caller: Principal, a: str, b: str
) -> views.RedlineView:
    return views.redline_view(a, b, _redline(session, wiring, caller, a, b))


def redline_image(
    session: Session, wiring: Wiring, caller: Principal, a: str, b: str, side: str, page: int
) -> bytes | None:
    ports = wiring.templating()
    templates.get_version(session, ports, caller, a)  # the caller may read both (404 otherwise)
    templates.get_version(session, ports, caller, b)
    return views.page_image(_redline(session, wiring, caller, a, b), side, page)
