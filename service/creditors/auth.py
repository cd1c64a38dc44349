"""Who may do what: roles, their permissions, and the principal a request acts as.

API keys are created once (shown once) and stored only as SHA-256; each is bound to one creditor
(an admin key may be unbound, for registering creditors; a lawyer key, for the shared templates).

An unbound admin key manages creditors and their policy and reads; it never acts in a creditor's
name (issuing, deliveries, signatures, campaigns, templates): those need the creditor's own key,
so nothing starts a creditor's deadlines that the creditor did not record (review D13).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from service.errors import Forbidden

KEY_PREFIX = "tlp_"


class Role(StrEnum):
    SYSTEM = "system"
    LAWYER = "lawyer"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    MANAGE_CREDITORS = "manage_creditors"
    MANAGE_POLICY = "manage_policy"
    WRITE_CASES = "write_cases"
    ISSUE = "issue"
    PREVIEW = "preview"
    READ = "read"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    APPROVE_CAMPAIGNS = "approve_campaigns"
    """A person's decision (personal-data law art. 19-1): never a system key's."""
    AUTHOR_TEMPLATES = "author_templates"
    APPROVE_TEMPLATES = "approve_templates"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SYSTEM: frozenset(
        {
            Permission.WRITE_CASES,
            Permission.ISSUE,
            Permission.PREVIEW,
            Permission.READ,
            Permission.MANAGE_POLICY,
            Permission.MANAGE_CAMPAIGNS,
        }
    ),
    Role.LAWYER: frozenset(
        {
            Permission.PREVIEW,
            Permission.READ,
            Permission.MANAGE_CAMPAIGNS,
            Permission.APPROVE_CAMPAIGNS,
            Permission.AUTHOR_TEMPLATES,
            Permission.APPROVE_TEMPLATES,
        }
    ),
    Role.AUDITOR: frozenset({Permission.READ}),
}

UNBOUND_ADMIN_GRANTS: frozenset[Permission] = frozenset(
    {Permission.MANAGE_CREDITORS, Permission.MANAGE_POLICY, Permission.READ}
)
"""What an admin key bound to no creditor may do: register creditors, set a creditor's policy
(``?creditor=``), read."""


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: Role
    creditor_id: str | None

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"api_key:{self.key_id}"

    @property
    def permissions(self) -> frozenset[Permission]:
        if self.role is Role.ADMIN and self.creditor_id is None:
            return UNBOUND_ADMIN_GRANTS
        return GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            unbound = " without a creditor" if self.creditor_id is None else ""
            doing = permission.value.replace("_", " ")
            raise Forbidden(f"a {self.role.value} key{unbound} may not {doing}")

    def creditor(self) -> str:
        """The creditor this key acts for; admin keys without one cannot touch cases."""
        if self.creditor_id is None:
            raise Forbidden("this key is not bound to a creditor; use a creditor's key")
        return self.creditor_id

    def may_see(self, creditor_id: str) -> bool:
        return (self.creditor_id is None and self.role is Role.ADMIN) or (
            self.creditor_id == creditor_id
        )


@dataclass(frozen=True)
class KeyInfo:
    """What may be shown about a key: never the key nor its hash."""

    id: str
    prefix: str
    role: Role
    creditor_id: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
