"""Web sessions: who is logged in to the pages, by which API key, until when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class WebSessionRow(Base):
    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 (hex) of the random id in the cookie: a copy of this table opens no session."""
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"), index=True)
    """The API key it was opened with (its id: the key itself is never stored)."""
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
