"""The template API's bodies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from service.kit.fields import In, Out
from service.templates.service import TemplateView, VersionView
from service.templates.stale import StaleReason


class StaleReasonOut(Out):
    provision: str
    cited_edition: dt.date
    new_edition: dt.date
    effective_from: dt.date
    """From this day the version may not be issued."""
    message: str

    @classmethod
    def of(cls, reason: StaleReason) -> StaleReasonOut:
        return cls(
            provision=reason.provision,
            cited_edition=reason.cited_edition,
            new_edition=reason.new_edition,
            effective_from=reason.effective_from,
            message=reason.message(),
        )


class CitedOut(Out):
    id: str
    edition_from: dt.date | None


class VersionSummaryOut(Out):
    id: str
    """SHA-256 of the canonical source ZIP."""
    status: str
    """``draft`` | ``approved`` | ``scheduled`` | ``live`` | ``superseded`` | ``retired``."""
    engine: str
    live_from: dt.datetime | None
    stale: bool
    author: str
    created_at: dt.datetime
    changelog: str

    @classmethod
    def of(cls, view: VersionView) -> VersionSummaryOut:
        info = view.info
        return cls(
            id=info.id,
            status=view.status.value,
            engine=info.engine,
            live_from=info.live_from,
            stale=bool(view.stale),
            author=info.author,
            created_at=info.created_at,
            changelog=info.changelog,
        )


class TemplateOut(Out):
    kind: str
    language: str
    creditor_id: str | None
    """``None``: the shared template; else the creditor's own, which overrides it."""
    live_version: str | None
    stale: bool
    """The live version cites a provision that has a newer edition (``stale_reasons``)."""
    stale_reasons: list[StaleReasonOut]
    versions: list[VersionSummaryOut]

    @classmethod
    def of(cls, template: TemplateView) -> TemplateOut:
        live = template.live
        return cls(
            kind=template.kind,
            language=template.language,
            creditor_id=template.creditor_id,
            live_version=live.id if live else None,
            stale=template.stale,
            stale_reasons=[StaleReasonOut.of(r) for r in live.stale] if live else [],
            versions=[VersionSummaryOut.of(v) for v in template.versions],
        )


class VersionOut(VersionSummaryOut):
    kind: str
    language: str
    creditor_id: str | None
    entry: str
    size: int
    schema_: dict[str, Any] = Field(serialization_alias="schema")
    """The field schema (C3): ``fields`` and ``sample``."""
    provisions: list[CitedOut]
    approved_by: str | None
    approved_at: dt.datetime | None
    retired_by: str | None
    retired_at: dt.datetime | None
    stale_reasons: list[StaleReasonOut]
    breaking: list[str]
    """Request fields (``fields.*``) this version requires and the live version did not:
    callers that do not send them get a 422 once it is live."""
    live_version: str | None
    """The template's live version now (what a redline compares with)."""

    @classmethod
    def of(cls, view: VersionView) -> VersionOut:
        info = view.info
        summary = VersionSummaryOut.of(view).model_dump()
        return cls(
            **summary,
            kind=info.kind,
            language=info.language,
            creditor_id=info.creditor_id,
            entry=info.entry,
            size=info.size,
            schema_=info.schema.as_dict(),
            provisions=[CitedOut(id=c.id, edition_from=c.edition_from) for c in info.provisions],
            approved_by=info.approved_by,
            approved_at=info.approved_at,
            retired_by=info.retired_by,
            retired_at=info.retired_at,
            stale_reasons=[StaleReasonOut.of(r) for r in view.stale],
            breaking=list(view.breaking),
            live_version=view.live_id,
        )


class ProblemOut(Out):
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    provision: str | None = None


class CheckOut(Out):
    version: str
    ok: bool
    problems: list[ProblemOut]


class ScheduleIn(In):
    live_from: dt.datetime
    """The moment the version goes live, with its offset (``2026-12-01T00:00:00+05:00``); not
    in the past."""


class FileDiffOut(Out):
    name: str
    change: str
    diff: list[str]


class RedlineOut(Out):
    """Two versions compared: sources, schema, citations (and, where the redline module of the
    engines is installed, the sample's pages side by side)."""

    a: str
    b: str
    files: list[FileDiffOut]
    schema_: dict[str, list[str]] = Field(serialization_alias="schema")
    provisions: dict[str, list[str]]
    pages: list[dict[str, Any]] = Field(default_factory=list)
    paragraphs: list[dict[str, Any]] = Field(default_factory=list)
