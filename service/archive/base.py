"""The archive seam: content-addressed, write-once storage of issued PDFs and delivery proofs.

An object is written in two steps so that nothing reaches the archive unless the database
recorded it (reliability review D2: a rolled-back issue used to leave a signed, numbered PDF):

1. ``stage`` keeps the bytes durably under a staging name, invisible to ``get``/``exists``;
2. after the transaction commits, ``promote`` links them into place; after a rollback,
   ``discard`` removes them. ``staged`` lists what a crash between the two left, for the sweep
   at startup (``service.kit.blobs.sweep``) to promote (recorded) or discard (not recorded).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

from service.errors import TalapError

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class InvalidObjectName(TalapError):
    """A string that is not a SHA-256 in lowercase hex was used as an object name."""

    status = 400
    code = "invalid_sha256"


@dataclass(frozen=True)
class StoredObject:
    """An object in the archive, named by its content."""

    sha256: str
    """SHA-256 of the bytes, 64 lowercase hex digits: the object's name."""
    size: int
    """Length in bytes."""
    location: str
    """Where the backend keeps it (a path, an ``s3://`` URI …): for operators, not for logic."""


@dataclass(frozen=True)
class StagedObject:
    """Bytes kept durably but not yet in the archive: promoted after commit, or discarded."""

    sha256: str
    size: int
    token: str
    """The backend's name for this staged copy (two transactions may stage the same bytes)."""
    staged_at: dt.datetime
    """When it was staged (UTC): the sweep leaves young unrecorded objects to their transaction."""


@dataclass(frozen=True)
class ArchiveCheck:
    """The result of re-hashing a stored object."""

    ok: bool
    """The object exists and its bytes hash to its name."""
    expected: str
    """The name asked for (the SHA-256 the record holds)."""
    actual: str | None
    """SHA-256 of what is stored; None if nothing could be read."""
    problem: str | None
    """Why ``ok`` is False, in words; None when ok."""


class Archive(Protocol):
    """Write-once storage: an object, once promoted, is never replaced or deleted."""

    def stage(self, data: bytes) -> StagedObject:
        """Keep ``data`` durably under a staging name; not visible until ``promote``."""
        ...

    def promote(self, staged: StagedObject) -> StoredObject:
        """Move a staged object into the archive (the same bytes already there: a no-op)."""
        ...

    def discard(self, staged: StagedObject) -> None:
        """Forget a staged object (its transaction rolled back, or nothing recorded it)."""
        ...

    def staged(self) -> list[StagedObject]:
        """Objects staged and neither promoted nor discarded (what a crash left)."""
        ...

    def put(self, data: bytes) -> StoredObject:
        """Stage and promote at once, for writers outside a database transaction."""
        ...

    def get(self, sha256: str) -> bytes:
        """The stored bytes, as stored (not re-hashed: see ``verify``); ``NotFound`` if absent."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def verify(self, sha256: str) -> ArchiveCheck:
        """Re-hash the stored object; a missing or unreadable object is a problem, not an error."""
        ...

    def names(self) -> list[str]:
        """Every object's SHA-256 (for audits and tests that nothing is unrecorded)."""
        ...


def check_sha256(sha256: str) -> str:
    """``sha256`` in lowercase if it is 64 hex digits, else ``InvalidObjectName``: nothing else
    ever becomes part of a path or key (no traversal, no separators, no empty names)."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise InvalidObjectName(f"not a SHA-256 (64 hex digits): {sha256!r:.80}")
    return sha256.lower()
