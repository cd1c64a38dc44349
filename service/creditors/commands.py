"""``talap keys create|list|revoke|rotate``: API keys from the command line.

A key is printed once, when it is made; ``list`` shows ids and prefixes, never a key. Revoking
and rotating are written to the audit log (``ApiKeyRevoked``; a rotation's new key also as
``ApiKeyCreated``) with the actor ``cli``. ``list`` changes nothing and records nothing.
"""

from __future__ import annotations

import argparse
import json
import sys

from service.bootstrap import Wiring
from service.creditors.auth import KeyInfo


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("keys", help="manage API keys").add_subparsers(dest="action")
    create = keys.add_parser("create", help="create an API key (printed once)")
    create.add_argument("--creditor", help="creditor id (optional only for admin and lawyer keys)")
    create.add_argument("--role", required=True, help="system | lawyer | auditor | admin")
    create.set_defaults(handler=create_command)

    listing = keys.add_parser("list", help="list keys: id, prefix, role, creditor, revoked")
    whose = listing.add_mutually_exclusive_group()
    whose.add_argument("--creditor", help="only this creditor's keys")
    whose.add_argument("--unbound", action="store_true", help="only keys bound to no creditor")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(handler=list_command)

    revoke = keys.add_parser("revoke", help="revoke a key at once (recorded in the audit log)")
    revoke.add_argument("key", help="the key's id, or its prefix as `keys list` shows it")
    revoke.set_defaults(handler=revoke_command)

    rotate = keys.add_parser(
        "rotate", help="replace a key by a new one of the same role and creditor (printed once)"
    )
    rotate.add_argument("key", help="the key's id, or its prefix as `keys list` shows it")
    rotate.set_defaults(handler=rotate_command)


def _wire(key: KeyInfo) -> dict[str, str | None]:
    return {
        "id": key.id,
        "prefix": key.prefix,
        "role": key.role.value,
        "creditor_id": key.creditor_id,
        "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


def create_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.creditors.service import create_key

    with wiring.db.transaction() as session:
        key = create_key(session, wiring.clock, creditor_id=args.creditor, role=args.role)
    print(f"{args.role} key created; it is shown only once:", file=sys.stderr)
    print(key)
    return 0


def list_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.creditors.service import list_keys

    with wiring.db.transaction(read_only=True) as session:
        found = list_keys(session, creditor_id=args.creditor, unbound_only=args.unbound)
    if args.json:
        print(json.dumps([_wire(k) for k in found], indent=2))
        return 0
    for key in found:
        state = f"revoked {key.revoked_at.isoformat()}" if key.revoked_at else "live"
        creditor = key.creditor_id or "-"
        print(f"{key.id}  {key.prefix}  {key.role.value:<7}  {creditor}  {state}")
    print(f"{len(found)} keys", file=sys.stderr)
    return 0


def revoke_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.creditors.service import revoke_key

    with wiring.db.transaction() as session:
        revoked = revoke_key(session, wiring.clock, args.key)
    print(f"{revoked.role.value} key {revoked.id} ({revoked.prefix}) revoked", file=sys.stderr)
    return 0


def rotate_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.creditors.service import rotate_key

    with wiring.db.transaction() as session:
        token, old = rotate_key(session, wiring.clock, args.key)
    print(
        f"{old.role.value} key {old.id} ({old.prefix}) revoked; its replacement is shown only "
        "once:",
        file=sys.stderr,
    )
    print(token)
    return 0
