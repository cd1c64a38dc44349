"""Registering creditors, creating API keys, and authenticating a request's key."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.events import ApiKeyCreated, ApiKeyRevoked, CreditorRegistered, MandateRecorded
from service.clock import Clock
from service.creditors import repository
from service.creditors.auth import KeyInfo, Permission, Principal, Role, hash_key, new_key
from service.creditors.creditor import Mandate, MandateBody, MandatePower
from service.creditors.models import ApiKeyRow, CreditorRow
from service.creditors.schemas import (
    CreditorIn,
    MandateIn,
    MandateOut,
    MandatePowerName,
    MandatesOut,
    ProtocolOut,
)
from service.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
)


class CreditorExists(Conflict):
    """A creditor with this БИН is registered: one creditor per БИН, one number sequence."""

    code = "creditor_exists"

    def __init__(self, bin_: str, existing_id: str) -> None:
        super().__init__(f"a creditor with БИН {bin_} is registered already: {existing_id}")
        self.existing_id = existing_id

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["error"]["existing_id"] = self.existing_id
        return body


def register_creditor(session: Session, clock: Clock, creditor: CreditorIn, *, actor: str) -> str:
    """Register ``creditor`` and return its id; ``CreditorExists`` (409) if its БИН is taken."""
    now = clock.now()
    row = CreditorRow(
        id=str(uuid.uuid4()),
        bin=creditor.bin,
        form=creditor.form,
        profile=creditor.model_dump(mode="json"),
        created_at=now,
    )
    existing = repository.add_unless_bin_taken(session, row)
    if existing is not None:
        raise CreditorExists(row.bin, existing.id)
    event = CreditorRegistered(row.id, row.bin, row.form)
    audit.record(session, event, creditor_id=row.id, actor=actor, at=now)
    return row.id


def acting_creditor(session: Session, caller: Principal, creditor: str | None) -> str:
    """The creditor a request is about: the key's own, or ``creditor`` for an admin key."""
    if caller.creditor_id is not None:
        if creditor is not None and creditor != caller.creditor_id:
            raise Forbidden("this key acts for another creditor")
        return caller.creditor_id
    if caller.role is not Role.ADMIN:
        raise Forbidden("this key is not bound to a creditor")
    if creditor is None:
        raise ValidationFailed(
            [FieldError("creditor", "required", "an admin key names the creditor: ?creditor=")]
        )
    return repository.get_row(session, creditor).id


def set_mandate(
    session: Session,
    clock: Clock,
    caller: Principal,
    power: MandatePowerName,
    mandate: MandateIn,
    creditor: str | None = None,
) -> MandatesOut:
    """Record (or replace) the decision giving the chairman ``power`` (``MandateRecorded``).

    Kept in the creditor's profile as creditor policy; a document that uses the power prints the
    decision's body, protocol number and date (research C.11).
    """
    caller.require(Permission.MANAGE_POLICY)
    today = clock.today()
    if mandate.protocol.date > today:
        raise ValidationFailed(
            [FieldError("protocol.date", "in_future", "a decision cannot be dated in the future")]
        )
    creditor_id = acting_creditor(session, caller, creditor)
    row = repository.get_row(session, creditor_id)
    recorded = Mandate(
        power=MandatePower(power),
        body=MandateBody(mandate.body),
        protocol_number=mandate.protocol.number,
        protocol_date=mandate.protocol.date,
    )
    profile = dict(row.profile)
    profile["mandates"] = {**(profile.get("mandates") or {}), power: recorded.wire()}
    row.profile = profile  # a new dict: the JSON column sees the change
    event = MandateRecorded(
        creditor_id, power, mandate.body, mandate.protocol.number, mandate.protocol.date
    )
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=clock.now())
    session.flush()
    return mandates_of(session, caller, creditor_id)


def mandates_of(session: Session, caller: Principal, creditor: str | None = None) -> MandatesOut:
    caller.require(Permission.READ)
    creditor_id = acting_creditor(session, caller, creditor)
    recorded = repository.get(session, creditor_id).mandates
    return MandatesOut(
        creditor=creditor_id,
        mandates=[
            MandateOut(
                power=m.power.value,
                body=m.body.value,
                protocol=ProtocolOut(number=m.protocol_number, date=m.protocol_date),
            )
            for m in recorded.values()
        ],
    )


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
    if creditor_id is None and parsed_role not in (Role.ADMIN, Role.LAWYER):
        # an unbound lawyer key manages the shared templates (service.templates)
        message = "every key except an admin or lawyer key needs a creditor"
        raise ValidationFailed([FieldError("creditor", "required", message)])
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


def _info(row: ApiKeyRow) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        prefix=row.prefix,
        role=Role(row.role),
        creditor_id=row.creditor_id,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def list_keys(
    session: Session, *, creditor_id: str | None = None, unbound_only: bool = False
) -> list[KeyInfo]:
    """Keys as ``talap keys list`` shows them (revoked ones too, with the moment)."""
    if creditor_id is not None:
        repository.get_row(session, creditor_id)
    return [_info(r) for r in repository.keys(session, creditor_id, unbound_only=unbound_only)]


def _one_live_key(session: Session, ref: str) -> ApiKeyRow:
    found = repository.keys_named(session, ref)
    if not found:
        raise NotFound(f"no API key with id or prefix {ref[:40]!r}")
    if len(found) > 1:
        ids = ", ".join(sorted(r.id for r in found))
        raise Conflict(f"several keys have the prefix {ref!r}; name one by its id: {ids}")
    row = found[0]
    if row.revoked_at is not None:
        raise Conflict(f"key {row.id} was revoked at {row.revoked_at.isoformat()}")
    return row


def revoke_key(
    session: Session, clock: Clock, ref: str, *, actor: str = "cli", replaced_by: str | None = None
) -> KeyInfo:
    """Revoke the key whose id or prefix is ``ref``; it stops working at once (API and web
    sessions), and ``ApiKeyRevoked`` goes into its creditor's audit log (the global one for an
    unbound key)."""
    row = _one_live_key(session, ref)
    now = clock.now()
    row.revoked_at = now
    event = ApiKeyRevoked(row.id, row.role, row.prefix, replaced_by)
    audit.record(session, event, creditor_id=row.creditor_id, actor=actor, at=now)
    session.flush()
    return _info(row)


def rotate_key(
    session: Session, clock: Clock, ref: str, *, actor: str = "cli"
) -> tuple[str, KeyInfo]:
    """Replace the key ``ref`` by a new one of the same role and creditor: the new key's
    plaintext (shown once) and the old key, now revoked. Both events are in one transaction."""
    old = _one_live_key(session, ref)
    token = create_key(session, clock, creditor_id=old.creditor_id, role=old.role, actor=actor)
    new = repository.find_key_by_hash(session, hash_key(token))
    assert new is not None  # just added in this transaction
    return token, revoke_key(session, clock, old.id, actor=actor, replaced_by=new.id)


def authenticate(session: Session, authorization: str | None) -> Principal:
    # the scheme's name is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are "Bearer"
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send 'Authorization: Bearer <api key>'")
    row = repository.find_key_by_hash(session, hash_key(token))
    if row is None:
        raise Unauthorized("unknown or revoked API key")
    return Principal(key_id=row.id, role=Role(row.role), creditor_id=row.creditor_id)
