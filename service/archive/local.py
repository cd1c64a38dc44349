"""The default archive: a local directory, content-addressed and write-once.

Layout: ``root/sha256/ab/cd/abcd…`` (the full 64-hex name; no extension, because delivery proofs
— JSON, scans, photos — are archived beside the PDFs), files mode 0444; staged objects wait in
``root/staging/<sha256>.<random>.staged``.

Write-once: ``stage`` writes and fsyncs a file in the staging directory; ``promote`` hard-links it
into place with ``os.link``, which fails if the name exists — so an existing object is never
replaced, even by a racing writer, and readers never see a half-written file. Promoting bytes that
are already archived is a no-op (after checking that the archived copy still holds them).
Directories are fsynced after every new name so it survives a crash; a discarded staged copy that
a crash brings back is left to the sweep.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from service.archive.base import ArchiveCheck, StagedObject, StoredObject, check_sha256
from service.errors import EvidenceMismatch, NotFound
from service.kit.files import fsync_directory, write_new_file

FILE_MODE = 0o444
_SHA256_NAME = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20
_STAGED = ".staged"


class LocalArchive:
    """``Archive`` on a local (POSIX) file system; safe for concurrent threads and processes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.staging = self.root / "staging"

    def path_for(self, sha256: str) -> Path:
        name = check_sha256(sha256)
        return self.root / "sha256" / name[:2] / name[2:4] / name

    def stage(self, data: bytes) -> StagedObject:
        sha256 = hashlib.sha256(data).hexdigest()
        self._make_directories(self.staging)
        path = write_new_file(
            self.staging, data, prefix=f"{sha256}.", suffix=_STAGED, mode=FILE_MODE
        )
        fsync_directory(self.staging)
        return StagedObject(sha256, len(data), path.name, dt.datetime.now(dt.UTC))

    def promote(self, staged: StagedObject) -> StoredObject:
        source = self._staged_path(staged)
        path = self.path_for(staged.sha256)
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            if path.is_file():  # promoted meanwhile (by the sweep, or its own transaction)
                return StoredObject(staged.sha256, path.stat().st_size, str(path))
            raise NotFound(f"nothing is staged as {staged.token}") from None
        if hashlib.sha256(data).hexdigest() != staged.sha256:
            raise EvidenceMismatch(
                f"the staged copy {staged.token} does not hash to its name: not promoted"
            )
        if path.exists():
            stored = self._existing(path, staged.sha256, data)
        else:
            self._make_directories(path.parent)
            try:
                os.link(source, path)
                fsync_directory(path.parent)
            except FileExistsError:  # a concurrent promote of the same bytes won the race
                self._existing(path, staged.sha256, data)
            stored = StoredObject(staged.sha256, staged.size, str(path))
        self.discard(staged)
        return stored

    def discard(self, staged: StagedObject) -> None:
        # Not fsynced: a staged copy that a crash brings back is finished by the sweep (promoted
        # if a record holds it, which is a no-op once archived, then discarded).
        with contextlib.suppress(FileNotFoundError):
            self._staged_path(staged).unlink()

    def staged(self) -> list[StagedObject]:
        if not self.staging.is_dir():
            return []
        found = []
        for path in sorted(self.staging.glob(f"*{_STAGED}")):
            sha256 = path.name.split(".", 1)[0]
            if not _SHA256_NAME.fullmatch(sha256):
                continue  # not ours: never promoted, never deleted
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                when = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
                found.append(StagedObject(sha256, stat.st_size, path.name, when))
        return found

    def put(self, data: bytes) -> StoredObject:
        return self.promote(self.stage(data))

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
            return ArchiveCheck(False, expected, None, "the archived object is missing")
        except OSError as error:
            problem = f"the archived object cannot be read: {error.strerror or 'I/O error'}"
            return ArchiveCheck(False, expected, None, problem)
        if actual != expected:
            problem = (
                f"the stored bytes do not match their SHA-256 (the file was changed after it was "
                f"archived): expected {expected}, found {actual}"
            )
            return ArchiveCheck(False, expected, actual, problem)
        return ArchiveCheck(True, expected, actual, None)

    def names(self) -> list[str]:
        return sorted(p.name for p in (self.root / "sha256").glob("*/*/*") if p.is_file())

    def _staged_path(self, staged: StagedObject) -> Path:
        token = staged.token
        if "/" in token or not token.startswith(check_sha256(staged.sha256)):
            raise ValueError(f"not a staging name of {staged.sha256}: {token!r:.80}")
        return self.staging / token

    def _existing(self, path: Path, sha256: str, data: bytes) -> StoredObject:
        """The object already stored under this name; it must still hold these bytes."""
        stored = path.read_bytes()
        if stored != data:
            raise EvidenceMismatch(
                f"archived object {sha256} exists but its bytes differ from its name: "
                "the archive copy is damaged; it was not replaced"
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
            fsync_directory(created.parent)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
