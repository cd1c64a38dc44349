"""Templates (kind, language, whose) and their immutable versions with their schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class TemplateRow(Base):
    """A document kind in a language, shared (``creditor_id`` NULL) or one creditor's own.

    The id is ``scope:kind:language`` (scope = the creditor id or ``shared``), so the pair
    stays unique on every database although NULLs never collide in a unique index."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("scope", "kind", "language"),)
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    creditor_id: Mapped[str | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class TemplateVersionRow(Base):
    """An immutable version: its sources are the archive object named ``id`` (the SHA-256 of
    the canonical ZIP); only the approval, the schedule and the retirement are ever written
    after it is created."""

    __tablename__ = "template_versions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    template_id: Mapped[str] = mapped_column(ForeignKey("templates.id"), index=True)
    engine: Mapped[str] = mapped_column(String(16))
    entry: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    schema: Mapped[dict[str, Any]] = mapped_column(JSON)
    provisions: Mapped[list[Any]] = mapped_column(JSON)
    """``[{"id", "edition_from"}]``: the provisions the wording cites, in the cited edition."""
    changelog: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(80))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    live_from: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    retired_by: Mapped[str | None] = mapped_column(String(80))
    retired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
