"""Campaigns, their runs and each run's drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class CampaignRow(Base):
    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    language_rule: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    filter: Mapped[dict[str, Any]] = mapped_column()
    schedule: Mapped[dict[str, Any]] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CampaignRunRow(Base):
    """One run: ``preparing`` until a person approves (``approved``) or rejects it
    (``rejected``); what it is doing beyond that is read from its drafts."""

    __tablename__ = "campaign_runs"
    __table_args__ = (UniqueConstraint("campaign_id", "period"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(20))
    period: Mapped[str | None] = mapped_column(String(7))
    """The month a scheduled run is for (one per campaign and month); None when started."""
    state: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[dt.date] = mapped_column(Date)
    total: Mapped[int | None] = mapped_column(Integer)
    """Cases the filter took; None until they are chosen."""
    started_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    drafts_digest: Mapped[str | None] = mapped_column(String(64))
    """What the approval covered (``definition.drafts_digest``)."""
    reason: Mapped[str | None] = mapped_column(Text)


class CampaignDraftRow(Base):
    """One case of a run: ``pending`` → ``prepared`` | ``refused``; approved → ``approved`` →
    ``issued`` | ``stale`` (re-checked at issue time and refused) | ``failed``."""

    __tablename__ = "campaign_drafts"
    __table_args__ = (
        UniqueConstraint("run_id", "case_id"),
        Index("ix_campaign_drafts_run_id_status", "run_id", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("campaign_runs.id"))
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    request: Mapped[dict[str, Any] | None] = mapped_column()
    sections: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    """SHA-256 of each part of the material facts (``definition.sections``): enough to say
    what changed, without keeping the debtor's data a second time."""
    facts_digest: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    """``{"errors": [...], "violations": [...], "stale": [...]}``: why it was refused."""
    document_id: Mapped[str | None] = mapped_column(ForeignKey("issued_documents.id"), unique=True)
    number: Mapped[str | None] = mapped_column(String(40))
    delivery_id: Mapped[str | None] = mapped_column(ForeignKey("deliveries.id"), unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
