"""Archive adapter: content-addressed, write-once storage of issued PDFs and delivery proofs.

``Archive`` (``base``) is the seam; ``LocalArchive`` (a directory, the default) and
``MemoryArchive`` (the double for fast tests) implement it.
"""

from service.archive.base import (
    Archive,
    ArchiveCheck,
    ArchiveMismatch,
    InvalidObjectName,
    StagedObject,
    StoredObject,
    check_sha256,
    read_checked,
)
from service.archive.local import LocalArchive
from service.archive.memory import MemoryArchive

__all__ = [
    "Archive",
    "ArchiveCheck",
    "ArchiveMismatch",
    "InvalidObjectName",
    "LocalArchive",
    "MemoryArchive",
    "StagedObject",
    "StoredObject",
    "check_sha256",
    "read_checked",
]
