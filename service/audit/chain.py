"""The hash chain: each event's hash covers its content and the previous event's hash.

``GENESIS`` starts every chain (one per creditor, one for events of no creditor). Altering,
reordering or removing an event breaks a link that ``chain_problems`` reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    """An event as stored, for re-hashing."""

    id: int
    creditor_id: str | None
    occurred_at: dt.datetime
    actor: str
    action: str
    subject: str
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str


def event_body(
    creditor_id: str | None,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    occurred_at: dt.datetime,
) -> dict[str, Any]:
    """What the hash covers; the time in UTC to the microsecond (both databases keep that)."""
    if occurred_at.tzinfo is None:
        raise ValueError("a naive time: the audit chain hashes moments in UTC")
    stamp = occurred_at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    return {
        "creditor_id": creditor_id,
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": dict(payload),
        "occurred_at": stamp,
    }


def canonical_bytes(prev_hash: str, body: Mapping[str, Any]) -> bytes:
    """What an event's hash covers: the previous hash, then the body as canonical JSON. The
    Merkle tree's leaf is these same bytes, so the chain and the tree prove the same thing."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (prev_hash + canonical).encode()


def event_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(prev_hash, body)).hexdigest()


def body_of(entry: ChainEntry) -> dict[str, Any]:
    return event_body(
        entry.creditor_id,
        entry.actor,
        entry.action,
        entry.subject,
        entry.payload,
        entry.occurred_at,
    )


def leaf_data(entry: ChainEntry) -> bytes:
    """The event's leaf in its creditor's Merkle tree: the bytes its chain hash covers, as the
    row holds them now (an altered row gives another leaf)."""
    return canonical_bytes(entry.prev_hash, body_of(entry))


def chain_problems(
    entries: Sequence[ChainEntry], head_hash: str | None = None, *, start: str = GENESIS
) -> list[str]:
    """Re-hash a chain in order; every broken link is reported, and a chain that stops before
    its recorded head (``head_hash``) is reported as cut short. ``start``: the hash the first
    entry follows (``GENESIS`` for a whole chain; a verified event's for a suffix)."""
    problems = []
    prev = start
    for entry in entries:
        body = body_of(entry)
        if entry.prev_hash != prev:
            problems.append(f"audit event {entry.id} does not follow the previous event")
        if event_hash(entry.prev_hash, body) != entry.hash:
            problems.append(f"audit event {entry.id} was altered after it was written")
        prev = entry.hash
    if head_hash is not None and head_hash != prev:
        problems.append("the audit chain ends before its recorded head: events were removed")
    return problems
