"""An in-memory archive with the same write-once and staging behaviour as ``LocalArchive``: the
double for fast tests, and a reference for what every backend must do."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import threading

from service.archive.base import ArchiveCheck, StagedObject, StoredObject, check_sha256
from service.errors import EvidenceMismatch, NotFound


class MemoryArchive:
    def __init__(self) -> None:
        self._objects: dict[str, bytes] = {}
        self._staged: dict[str, tuple[StagedObject, bytes]] = {}
        self._tokens = itertools.count(1)
        self._lock = threading.Lock()

    def stage(self, data: bytes) -> StagedObject:
        sha256 = hashlib.sha256(data).hexdigest()
        with self._lock:
            token = f"{sha256}.{next(self._tokens)}"
            staged = StagedObject(sha256, len(data), token, dt.datetime.now(dt.UTC))
            self._staged[token] = (staged, bytes(data))
        return staged

    def promote(self, staged: StagedObject) -> StoredObject:
        with self._lock:
            entry = self._staged.pop(staged.token, None)
            if entry is None:
                if staged.sha256 in self._objects:  # promoted meanwhile
                    size = len(self._objects[staged.sha256])
                    return StoredObject(staged.sha256, size, f"memory:{staged.sha256}")
                raise NotFound(f"nothing is staged as {staged.token}")
            data = entry[1]
            existing = self._objects.setdefault(staged.sha256, data)
            if existing != data:
                raise EvidenceMismatch(f"archived object {staged.sha256} differs from its name")
        return StoredObject(staged.sha256, len(data), f"memory:{staged.sha256}")

    def discard(self, staged: StagedObject) -> None:
        with self._lock:
            self._staged.pop(staged.token, None)

    def staged(self) -> list[StagedObject]:
        with self._lock:
            return [staged for staged, _ in self._staged.values()]

    def put(self, data: bytes) -> StoredObject:
        return self.promote(self.stage(data))

    def get(self, sha256: str) -> bytes:
        try:
            return self._objects[check_sha256(sha256)]
        except KeyError:
            raise NotFound(f"archived object {sha256} not found") from None

    def exists(self, sha256: str) -> bool:
        return check_sha256(sha256) in self._objects

    def verify(self, sha256: str) -> ArchiveCheck:
        name = check_sha256(sha256)
        data = self._objects.get(name)
        if data is None:
            return ArchiveCheck(False, name, None, "the archived object is missing")
        actual = hashlib.sha256(data).hexdigest()
        if actual != name:
            return ArchiveCheck(False, name, actual, "the stored bytes do not match their SHA-256")
        return ArchiveCheck(True, name, actual, None)

    def names(self) -> list[str]:
        return sorted(self._objects)

    def tamper(self, sha256: str, data: bytes) -> None:
        """Replace an object's bytes behind the archive's back (tests of ``verify``)."""
        self._objects[check_sha256(sha256)] = data
