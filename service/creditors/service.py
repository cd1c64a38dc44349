"""Registering creditors, creating API keys, and authenticating a request's key."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.events import ApiKeyCreated, CreditorRegistered
from service.clock import Clock
from service.creditors import repository
from service.creditors.auth import Principal, Role, hash_key, new_key
from service.creditors.models import ApiKeyRow, CreditorRow
from service.creditors.schemas import CreditorIn
from service.errors import FieldError, Unauthorized, ValidationFailed


def register_creditor(session: Session, clock: Clock, creditor: CreditorIn, *, actor: str) -> str:
    now = clock.now()
    row = CreditorRow(
        id=str(uuid.uuid4()),
        bin=creditor.bin,
        form=creditor.form,
        profile=creditor.model_dump(mode="json"),
        created_at=now,
    )
    session.add(row)
    session.flush()
    event = CreditorRegistered(row.id, row.bin, row.form)
    audit.record(session, event, creditor_id=row.id, actor=actor, at=now)
    return row.id


def create_key(
    session: Session, clock: Clock, *, creditor_id: str | None, role: str, actor: str = "cli"
) -> str:
    """Create a key and return its plaintext (the only time it exists outside the caller)."""
    try:
        parsed_role = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            [FieldError("role", "unknown_value", f"must be one of {allowed}")]
        ) from None
    if creditor_id is None and parsed_role is not Role.ADMIN:
        raise ValidationFailed(
            [FieldError("creditor", "required", "every key except an admin key needs a creditor")]
        )
    if creditor_id is not None:
        repository.get_row(session, creditor_id)
    token = new_key()
    now = clock.now()
    row = ApiKeyRow(
        id=str(uuid.uuid4()),
        creditor_id=creditor_id,
        role=parsed_role.value,
        key_hash=hash_key(token),
        prefix=token[:10],
        created_at=now,
    )
    session.add(row)
    event = ApiKeyCreated(row.id, parsed_role.value, row.prefix)
    audit.record(session, event, creditor_id=creditor_id, actor=actor, at=now)
    return token


def authenticate(session: Session, authorization: str | None) -> Principal:
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized("send 'Authorization: Bearer <api key>'")
    token = authorization.removeprefix("Bearer ").strip()
    row = repository.find_key_by_hash(session, hash_key(token))
    if row is None:
        raise Unauthorized("unknown or revoked API key")
    return Principal(key_id=row.id, role=Role(row.role), creditor_id=row.creditor_id)
