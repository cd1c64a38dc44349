"""A version as the domain sees it (pure): its template, sources' id, schema, citations, state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from service.rendering.engines import SourceBundle
from service.templates.lifecycle import State
from service.templates.schema import EMPTY, Schema
from service.templates.stale import Cited

SHARED = "shared"


def template_id(creditor_id: str | None, kind: str, language: str) -> str:
    return f"{creditor_id or SHARED}:{kind}:{language}"


@dataclass(frozen=True, kw_only=True)
class VersionInfo(State):
    kind: str
    language: str
    creditor_id: str | None
    engine: str
    entry: str
    size: int = 0
    schema: Schema = EMPTY
    provisions: tuple[Cited, ...] = ()
    changelog: str = ""
    created_at: dt.datetime
    bundled: bool = False
    """One of the templates shipped with the service (not yet loaded into this database)."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def template_id(self) -> str:
        return template_id(self.creditor_id, self.kind, self.language)


@dataclass(frozen=True)
class LiveVersion:
    """What issuing renders with: the version picked for the issue moment and its sources."""

    info: VersionInfo
    bundle: SourceBundle

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def engine(self) -> str:
        return self.info.engine

    @property
    def schema(self) -> Schema:
        return self.info.schema
