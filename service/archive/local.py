"""The default archive: a local directory, content-addressed and write-once.

Layout: ``root/sha256/ab/cd/abcd…`` (the full 64-hex name; no extension, because delivery proofs
— JSON, scans, photos — are archived beside the PDFs). Files are mode 0444.

Write-once: bytes go to a temporary file in the target directory, are fsynced, then hard-linked
into place with ``os.link``, which fails if the name exists — so an existing object is never
replaced, even by a racing writer, and readers never see a half-written file. Putting the same bytes
again is a no-op returning the existing object (after checking that it still holds those bytes).
The directory is fsynced after the link so the name survives a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from service.archive.base import ArchiveCheck, StoredObject, check_sha256
from service.errors import IntegrityError, NotFound

FILE_MODE = 0o444
_CHUNK = 1 << 20


class LocalArchive:
    """``Archive`` on a local (POSIX) file system; safe for concurrent threads and processes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        name = check_sha256(sha256)
        return self.root / "sha256" / name[:2] / name[2:4] / name

    def put(self, data: bytes) -> StoredObject:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256)
        if path.exists():
            return self._existing(path, sha256, data)
        self._make_directories(path.parent)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, FILE_MODE)
            try:
                os.link(temporary, path)
            except FileExistsError:  # a concurrent put of the same bytes won the race
                return self._existing(path, sha256, data)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        _fsync_directory(path.parent)
        return StoredObject(sha256, len(data), str(path))

    def get(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"archived object {sha256} not found") from None

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def verify(self, sha256: str) -> ArchiveCheck:
        path = self.path_for(sha256)
        expected = path.name
        try:
            actual = _hash_file(path)
        except FileNotFoundError:
            return ArchiveCheck(False, expected, None, f"the archived object is missing: {path}")
        except OSError as error:
            problem = f"the archived object cannot be read: {path}: {error.strerror or error}"
            return ArchiveCheck(False, expected, None, problem)
        if actual != expected:
            problem = (
                f"the stored bytes do not match their SHA-256 (the file was changed after it was "
                f"archived): expected {expected}, found {actual}"
            )
            return ArchiveCheck(False, expected, actual, problem)
        return ArchiveCheck(True, expected, actual, None)

    def _existing(self, path: Path, sha256: str, data: bytes) -> StoredObject:
        """The object already stored under this name; it must still hold these bytes."""
        stored = path.read_bytes()
        if stored != data:
            raise IntegrityError(
                f"archived object {sha256} exists but its bytes differ from its name: "
                f"the archive copy at {path} is damaged; it was not replaced"
            )
        return StoredObject(sha256, len(stored), str(path))

    def _make_directories(self, directory: Path) -> None:
        missing = []
        current = directory
        while not current.exists():
            missing.append(current)
            current = current.parent
        directory.mkdir(parents=True, exist_ok=True)
        for created in reversed(missing):  # make each new directory entry durable
            _fsync_directory(created.parent)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
