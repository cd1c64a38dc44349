"""Logging in to the pages with an API key, and the session that follows.

The key is checked exactly as the API checks it (``creditors.service.authenticate``); the
session row keeps the key's id, never the key, and is found again by the SHA-256 of the random
id the browser holds. A session ends at logout or after ``LIFETIME`` (the row is then useless
and swept at the next login); revoking the key ends its sessions at once (the lookup joins it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.record_events import WebSessionEnded, WebSessionStarted
from service.clock import Clock
from service.creditors.auth import Principal, Role
from service.creditors.service import authenticate
from service.web import repository
from service.web.models import WebSessionRow

LIFETIME = dt.timedelta(hours=8)
"""A working day; after it the user pastes the key again."""
_KEY_LIMIT = 200


@dataclass(frozen=True)
class WebSession:
    principal: Principal
    csrf_token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Started:
    cookie: str
    """The random session id for the cookie: shown once, stored only as its SHA-256."""
    session: WebSession


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def start(session: Session, clock: Clock, api_key: str) -> Started:
    """Check the key like the API does (``Unauthorized`` if unknown or revoked) and open a
    session for it (``WebSessionStarted``)."""
    key = api_key.strip()
    if not key or len(key) > _KEY_LIMIT or any(c.isspace() for c in key):
        key = "-"  # still looked up: an unknown key costs the same as a wrong one
    principal = authenticate(session, f"Bearer {key}")
    now = clock.now()
    repository.remove_expired(session, now)
    cookie = secrets.token_urlsafe(32)
    row = WebSessionRow(
        id=_digest(cookie),
        key_id=principal.key_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + LIFETIME,
    )
    repository.add(session, row)
    event = WebSessionStarted(principal.key_id, principal.role.value, row.expires_at)
    audit.record(session, event, creditor_id=principal.creditor_id, actor=principal.actor, at=now)
    return Started(cookie, WebSession(principal, row.csrf_token, row.expires_at))


def find(session: Session, clock: Clock, cookie: str | None) -> WebSession | None:
    """The live session behind a cookie, or None (no cookie, unknown, expired, key revoked)."""
    if not cookie or len(cookie) > 100:
        return None
    found = repository.active(session, _digest(cookie), clock.now())
    if found is None:
        return None
    row, key = found
    principal = Principal(key_id=key.id, role=Role(key.role), creditor_id=key.creditor_id)
    return WebSession(principal, row.csrf_token, row.expires_at)


def end(session: Session, clock: Clock, cookie: str, principal: Principal) -> None:
    """Delete the session (``WebSessionEnded``); the cookie is worthless afterwards."""
    row = repository.remove(session, _digest(cookie))
    if row is None:
        return
    event = WebSessionEnded(principal.key_id, principal.role.value)
    audit.record(
        session, event, creditor_id=principal.creditor_id, actor=principal.actor, at=clock.now()
    )
