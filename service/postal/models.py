"""Lists of letters sent by post, courier or by hand, and their lines.

Each list keeps what it printed (the sender, each addressee and address) so that it prints the
same later: it is the copy the post office stamped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, UtcDateTime


class PostListRow(Base):
    __tablename__ = "post_lists"
    __table_args__ = (UniqueConstraint("creditor_id", "year", "sequence"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    creditor_id: Mapped[str] = mapped_column(ForeignKey("creditors.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    """Gapless per creditor and year (the ``post_list`` register of ``document_counters``)."""
    number: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(32))
    sender: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The creditor as printed: names, БИН, address, who signs (``listing.Sender.wire``)."""
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class PostListLineRow(Base):
    __tablename__ = "post_list_lines"
    __table_args__ = (UniqueConstraint("list_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    list_id: Mapped[str] = mapped_column(ForeignKey("post_lists.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[str] = mapped_column(ForeignKey("issued_documents.id"), index=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id"), index=True)
    """The delivery attempt the line started."""
    document_number: Mapped[str] = mapped_column(String(32))
    document_date: Mapped[dt.date] = mapped_column(Date)
    addressee: Mapped[str] = mapped_column(String(500))
    address: Mapped[dict[str, str] | None] = mapped_column(JSON)
    """``{"kk", "ru"}`` (the same text twice when the client gave one)."""
    tracking_number: Mapped[str | None] = mapped_column(String(100))
