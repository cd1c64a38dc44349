"""Audit events of the template versions: a version uploaded, approved, scheduled, retired.
As every event: identifiers, hashes and dates only (the version id is the sources' SHA-256)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from service.audit.events import AuditEvent


@dataclass(frozen=True)
class _VersionEvent(AuditEvent):
    version_id: str
    template: str
    """``scope:kind:language``."""

    @property
    def subject(self) -> str:
        return f"template-version:{self.version_id}"

    def payload(self) -> dict[str, Any]:
        return {"template": self.template}


@dataclass(frozen=True)
class TemplateVersionUploaded(_VersionEvent):
    action: ClassVar[str] = "TemplateVersionUploaded"
    engine: str = "typst"
    breaking: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {"template": self.template, "engine": self.engine, "breaking": list(self.breaking)}


@dataclass(frozen=True)
class TemplateVersionApproved(_VersionEvent):
    action: ClassVar[str] = "TemplateVersionApproved"


@dataclass(frozen=True)
class TemplateVersionScheduled(_VersionEvent):
    action: ClassVar[str] = "TemplateVersionScheduled"
    live_from: dt.datetime | None = None

    def payload(self) -> dict[str, Any]:
        moment = self.live_from.isoformat() if self.live_from else None
        return {"template": self.template, "live_from": moment}


@dataclass(frozen=True)
class TemplateVersionRetired(_VersionEvent):
    action: ClassVar[str] = "TemplateVersionRetired"
