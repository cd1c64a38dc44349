"""Webhook endpoints as a creditor registers them, and the attempts as listed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from service.kit.fields import In, Out

EventType = Literal["document.issued", "delivery.outcome_changed", "agreement.defaulted"]
NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class WebhookIn(In):
    url: Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s]+$")]
    events: Annotated[list[EventType], Field(min_length=1, max_length=3)]
    secret: Annotated[str, Field(min_length=16, max_length=200)] | None = None
    """Given: used as it is. Left out: a new endpoint gets a generated one (shown once), an
    existing one keeps its own."""


class WebhookOut(Out):
    name: str
    url: str
    events: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    secret: str | None = None
    """Only in the answer that created or replaced it: it is never shown again."""


class WebhookAttemptOut(Out):
    attempt: int
    event_id: str
    event_type: str
    at: dt.datetime
    outcome: str
    """``delivered``, ``retry`` (tried again later) or ``failed`` (given up)."""
    status_code: int | None
    duration_ms: int
    error: str | None


class WebhookAttemptsOut(Out):
    name: str
    attempts: list[WebhookAttemptOut]
    """Newest first."""


WebhookName = Annotated[str, Field(pattern=NAME)]
