"""Webhook endpoints as a creditor registers them, and the attempts as listed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from service.kit.fields import In, Out

EventType = Literal["document.issued", "delivery.outcome_changed", "agreement.defaulted"]
NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


def _url(value: str) -> str:
    """An absolute http(s) URL with a host (and a valid port): what the sender can post to.

    Where the host points is checked when a delivery is sent (``tasks.private_target``: DNS may
    change after registration)."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise PydanticCustomError("invalid_url", "not a URL", {}) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError("invalid_url", "an http(s) URL with a host is needed", {})
    if parts.username is not None or parts.password is not None:
        raise PydanticCustomError(
            "credentials_in_url", "no credentials in the URL: requests are signed instead", {}
        )
    if port == 0:
        raise PydanticCustomError("invalid_url", "port 0 is no port", {})
    return value


class WebhookIn(In):
    url: Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s]+$"), AfterValidator(_url)]
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
