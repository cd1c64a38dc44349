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
import hashlib
import re
from dataclasses import dataclass
from typing import Protocol

from service.errors import NotFound, TalapError

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class InvalidObjectName(TalapError):
    """A string that is not a SHA-256 in lowercase hex was used as an object name."""

    status = 400
    code = "invalid_sha256"


class ArchiveMismatch(TalapError):
    """Archived bytes that a record names are missing or no longer hash to the record's SHA-256.

    Never caused by the request, and never served: the caller learns that the record exists
    but its bytes cannot be vouched for (not a 404, which would say the record is unknown), by
    object name only — never a path or bucket key (reliability review D12)."""

    status = 409
    code = "archive_mismatch"

    def __init__(self, sha256: str, problem: str) -> None:
        super().__init__(
            f"the archived object {sha256} {_PROBLEMS[problem]}: it is not served, "
            f"and the mismatch is recorded in the audit log"
        )
        self.sha256 = sha256
        self.problem = problem
        """``missing`` or ``altered``."""


_PROBLEMS = {
    "missing": "is missing from the archive",
    "altered": "no longer matches its recorded SHA-256 (it was changed after it was archived)",
}


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


def read_checked(archive: Archive, sha256: str) -> bytes:
    """The object's bytes after re-hashing them against ``sha256`` (the name a record holds):
    what every reader that hands archived bytes on (an HTTP answer, a template's sources) uses
    instead of ``get``. ``ArchiveMismatch`` when they are missing or altered.

    Hashing on read costs about 0.3 ms for a 130 KB PDF (review D12), little beside serving it."""
    name = check_sha256(sha256)
    try:
        data = archive.get(name)
    except NotFound:
        raise ArchiveMismatch(name, "missing") from None
    if hashlib.sha256(data).hexdigest() != name:
        raise ArchiveMismatch(name, "altered")
    return data
