"""HMAC signatures over HTTP bodies: the one scheme for SMS gateway callbacks (in) and client
webhooks (out).

The signed string is ``f"{timestamp}.{body}"`` — the timestamp (Unix seconds, header
``Talap-Timestamp``) is inside the MAC, so a captured request cannot be re-dated — and the
signature travels as ``Talap-Signature: v1=<hex HMAC-SHA256>``. Several ``v1=`` values separated
by commas are accepted (a sender rotating its secret signs with both). Verification compares in
constant time (``hmac.compare_digest``) and refuses a timestamp more than ``tolerance`` away from
the injected clock. Replays inside the window are the caller's to refuse: it stores what it
accepted (``sms`` stores the signature, unique per gateway).

Pure: no framework, no clock of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

TIMESTAMP_HEADER = "Talap-Timestamp"
SIGNATURE_HEADER = "Talap-Signature"
SCHEME = "v1"
TOLERANCE = dt.timedelta(minutes=5)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``timestamp + "." + body`` under ``secret``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, at: dt.datetime) -> dict[str, str]:
    """The two headers that authenticate ``body`` sent at ``at``."""
    timestamp = int(at.timestamp())
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: f"{SCHEME}={signature(secret, timestamp, body)}",
    }


@dataclass(frozen=True)
class Verified:
    timestamp: int
    signature: str
    """The hex signature that matched: what a replay store keeps."""


class SignatureRefused(Exception):
    """Why a request is not authentic: a missing or malformed header, a stale timestamp, no
    matching signature. The message names which, never the expected value."""


def verify(
    secrets: tuple[str, ...],
    body: bytes,
    timestamp_header: str | None,
    signature_header: str | None,
    now: dt.datetime,
    tolerance: dt.timedelta = TOLERANCE,
) -> Verified:
    """Check ``body`` against any of ``secrets``; raise ``SignatureRefused`` otherwise."""
    if not timestamp_header or not signature_header:
        raise SignatureRefused(f"{TIMESTAMP_HEADER} and {SIGNATURE_HEADER} headers are required")
    try:
        timestamp = int(timestamp_header.strip())
    except ValueError:
        raise SignatureRefused(f"{TIMESTAMP_HEADER} is not Unix seconds") from None
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC) if 0 < timestamp < 2**33 else None
    if moment is None or abs(moment - now) > tolerance:
        raise SignatureRefused(
            f"{TIMESTAMP_HEADER} is more than {int(tolerance.total_seconds())} s from now"
        )
    offered = [
        value.strip()[len(SCHEME) + 1 :]
        for value in signature_header.split(",")
        if value.strip().startswith(f"{SCHEME}=")
    ]
    if not offered:
        raise SignatureRefused(f"{SIGNATURE_HEADER} has no {SCHEME}= value")
    for secret in secrets:
        expected = signature(secret, timestamp, body)
        for candidate in offered:
            if hmac.compare_digest(expected.encode(), candidate.lower().encode()):
                return Verified(timestamp, expected)
    raise SignatureRefused("the signature does not match")
