"""Steps the workbench tests share: two lawyers of the tenant's creditor, the bundled Word
reminder and a copy with one sentence changed (python-docx), and making a version live through
the API (upload by one lawyer, approve and schedule by the other, the clock moved past it)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from docx import Document

from service.bootstrap import Wiring
from service.clock import FixedClock
from tests.api import Tenant, key_for

WORD_REMINDER = Path(__file__).resolve().parents[2] / "templates" / "word" / "ru" / "reminder.docx"
OLD_SENTENCE = (
    "Если задолженность уже погашена, просим не принимать настоящее напоминание во внимание."
)
NEW_SENTENCE = "Если задолженность уже погашена, настоящее напоминание можно не учитывать."
NEW_WORDS = "можнонеучитывать"
"""The new sentence's tail as ``squashed`` PDF text reads it."""


@dataclass(frozen=True)
class Lawyers:
    author: str
    reviewer: str


def lawyers(wiring: Wiring, tenant: Tenant) -> Lawyers:
    return Lawyers(
        key_for(wiring, tenant.creditor_id, "lawyer"), key_for(wiring, tenant.creditor_id, "lawyer")
    )


def word_missing(wiring: Wiring) -> str | None:
    """Why Word versions cannot be uploaded here (they render their sample), or None."""
    if not WORD_REMINDER.exists():
        return f"no bundled Word reminder at {WORD_REMINDER}"
    engine = wiring.engines.find("docx")
    if engine is None:
        return "no Word engine (docx) is registered in this build"
    return engine.missing()


def word_reminder() -> bytes:
    return WORD_REMINDER.read_bytes()


def with_changed_sentence(source: bytes, old: str = OLD_SENTENCE, new: str = NEW_SENTENCE) -> bytes:
    """The Word document with one sentence replaced inside its run (formatting kept)."""
    document = Document(io.BytesIO(source))
    replaced = 0
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                replaced += 1
    assert replaced == 1, f"the sentence is in one run of the bundled reminder: {replaced}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Http(Protocol):
    def post(self, url: str, **kwargs: Any) -> Any: ...


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def upload_version(
    http: Http, key: str, data: bytes, changelog: str, kind: str = "reminder", language: str = "ru"
) -> dict[str, Any]:
    response = http.post(
        f"/v1/templates/{kind}/{language}/versions",
        headers=bearer(key),
        data={"engine": "docx", "changelog": changelog},
        files=[("source", ("reminder.docx", data, DOCX))],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def make_live(http: Http, team: Lawyers, version_id: str, clock: FixedClock) -> dt.datetime:
    """Approved by the second lawyer, live a minute from now; the clock moved past it."""
    approved = http.post(
        f"/v1/template-versions/{version_id}:approve", headers=bearer(team.reviewer)
    )
    assert approved.status_code == 200, approved.text
    live_from = clock.now() + dt.timedelta(minutes=1)
    scheduled = http.post(
        f"/v1/template-versions/{version_id}:schedule",
        headers=bearer(team.reviewer),
        json={"live_from": live_from.isoformat()},
    )
    assert scheduled.status_code == 200, scheduled.text
    clock.advance(dt.timedelta(minutes=2))
    return live_from


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
