"""Audit events of campaigns: defined, a run started, approved (by whom, when, and exactly which
drafts: their count and the digest over each case's facts digest), rejected. Identifiers,
digests and counts only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from service.audit.events import AuditEvent


@dataclass(frozen=True)
class CampaignDefined(AuditEvent):
    action: ClassVar[str] = "CampaignDefined"
    campaign_id: str
    kind: str
    channel: str
    language: str
    schedule: dict[str, Any]

    @property
    def subject(self) -> str:
        return f"campaign:{self.campaign_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "channel": self.channel,
            "language": self.language,
            "schedule": dict(self.schedule),
        }


@dataclass(frozen=True)
class CampaignRunStarted(AuditEvent):
    action: ClassVar[str] = "CampaignRunStarted"
    campaign_id: str
    run_id: str
    trigger: str
    period: str | None

    @property
    def subject(self) -> str:
        return f"campaign_run:{self.run_id}"

    def payload(self) -> dict[str, Any]:
        return {"campaign": self.campaign_id, "trigger": self.trigger, "period": self.period}


@dataclass(frozen=True)
class CampaignRunApproved(AuditEvent):
    """A person approved a run's prepared drafts: ``drafts_digest`` is the SHA-256 over the
    sorted ``case<TAB>facts digest`` lines (``campaigns.definition.drafts_digest``), so the
    approval names exactly what was approved; the drafts keep their digests."""

    action: ClassVar[str] = "CampaignRunApproved"
    campaign_id: str
    run_id: str
    drafts: int
    drafts_digest: str
    refused: int

    @property
    def subject(self) -> str:
        return f"campaign_run:{self.run_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign_id,
            "drafts": self.drafts,
            "drafts_digest": self.drafts_digest,
            "refused": self.refused,
        }


@dataclass(frozen=True)
class CampaignRunRejected(AuditEvent):
    action: ClassVar[str] = "CampaignRunRejected"
    campaign_id: str
    run_id: str
    drafts: int

    @property
    def subject(self) -> str:
        return f"campaign_run:{self.run_id}"

    def payload(self) -> dict[str, Any]:
        return {"campaign": self.campaign_id, "drafts": self.drafts}
