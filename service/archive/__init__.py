"""Archive adapter: content-addressed, write-once storage of issued PDFs and delivery proofs.

Public API::

    Archive                       the Protocol (put, get, exists, verify)
    StoredObject(sha256, size, location), ArchiveCheck(ok, expected, actual, problem)
    LocalArchive(root)            the default: a local directory
"""

from service.archive.base import (
    Archive,
    ArchiveCheck,
    InvalidObjectName,
    StoredObject,
    check_sha256,
)
from service.archive.local import LocalArchive

__all__ = [
    "Archive",
    "ArchiveCheck",
    "InvalidObjectName",
    "LocalArchive",
    "StoredObject",
    "check_sha256",
]
