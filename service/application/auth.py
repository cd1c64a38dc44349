"""API keys: created once (shown once), stored as SHA-256, each bound to one creditor."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from service.clock import Clock
from service.db import repositories as repo
from service.db.models import ApiKeyRow
from service.errors import FieldError, Forbidden, Unauthorized, ValidationFailed

KEY_PREFIX = "tlp_"


class Role(StrEnum):
    SYSTEM = "system"
    LAWYER = "lawyer"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    MANAGE_CREDITORS = "manage_creditors"
    WRITE_CASES = "write_cases"
    ISSUE = "issue"
    PREVIEW = "preview"
    READ = "read"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SYSTEM: frozenset(
        {Permission.WRITE_CASES, Permission.ISSUE, Permission.PREVIEW, Permission.READ}
    ),
    Role.LAWYER: frozenset({Permission.PREVIEW, Permission.READ}),
    Role.AUDITOR: frozenset({Permission.READ}),
}


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: Role
    creditor_id: str | None

    def require(self, permission: Permission) -> None:
        if permission not in GRANTS[self.role]:
            raise Forbidden(f"a {self.role.value} key may not {permission.value.replace('_', ' ')}")

    def creditor(self) -> str:
        """The creditor this key acts for; admin keys without one cannot touch cases."""
        if self.creditor_id is None:
            raise Forbidden("this key is not bound to a creditor; use a creditor's key")
        return self.creditor_id

    def may_see(self, creditor_id: str) -> bool:
        return (self.creditor_id is None and self.role is Role.ADMIN) or (
            self.creditor_id == creditor_id
        )


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_key(session: Session, clock: Clock, *, creditor_id: str | None, role: str) -> str:
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
        repo.get_creditor(session, creditor_id)
    token = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKeyRow(
        id=str(uuid.uuid4()),
        creditor_id=creditor_id,
        role=parsed_role.value,
        key_hash=hash_key(token),
        prefix=token[:10],
        created_at=clock.now(),
    )
    session.add(row)
    repo.append_event(
        session,
        creditor_id=creditor_id,
        actor="cli",
        action="ApiKeyCreated",
        subject=f"api_key:{row.id}",
        payload={"role": parsed_role.value, "prefix": row.prefix},
        occurred_at=clock.now(),
    )
    return token


def authenticate(session: Session, authorization: str | None) -> Principal:
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized("send 'Authorization: Bearer <api key>'")
    token = authorization.removeprefix("Bearer ").strip()
    row = repo.find_key_by_hash(session, hash_key(token))
    if row is None:
        raise Unauthorized("unknown or revoked API key")
    return Principal(key_id=row.id, role=Role(row.role), creditor_id=row.creditor_id)
