"""The archive in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW …), through boto3.

Layout under ``TALAP_S3_PREFIX``: ``objects/<sha256>`` (the archive) and
``staging/<sha256>.<random>`` (staged copies, one per transaction that staged them).

Write-once: ``promote`` reads the staged copy back, checks that it hashes to its name, and
creates ``objects/<sha256>`` with a conditional ``PutObject`` (``If-None-Match: *``): the store
itself refuses to replace an existing object, so two racing promoters cannot both write it, and
``x-amz-checksum-sha256`` makes the store check the bytes it received against the name. Bytes
already archived make promotion a no-op (after checking that the archived copy still holds them).
A store that does not implement conditional writes (``501 NotImplemented``) gets a ``HeadObject``
then ``PutObject`` instead, with a window in which two promoters of the *same* bytes may both
write: each writes bytes that hash to the name, so the object's content is never changed, but a
versioned bucket then keeps two identical versions.

Why not a server-side ``CopyObject`` from staging: the copy's ``If-None-Match`` is recent on AWS,
absent elsewhere and ignored by moto (so the race could not be tested), and a copy cannot prove
what it copied without a checksum the store may not return; the staged copy is read back to be
re-hashed anyway (as ``LocalArchive`` does), so writing those bytes is one request more, not a
copy less.

Object lock: with ``lock_days > 0`` and a bucket created with object lock, every promoted object
is written with a retention (``COMPLIANCE`` by default: nobody, not even the account's root, can
delete or overwrite that version until it expires). A bucket without object lock is detected
once and said in the log; Talap's own write-once behaviour stays. Staged copies are written
without retention so that a rolled-back transaction's bytes can be deleted: a bucket *default*
retention would lock them too, which is also said in the log.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import re
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from service.archive.base import ArchiveCheck, StagedObject, StoredObject, check_sha256
from service.archive.s3_client import (
    ArchiveUnavailable,
    ErrorMapping,
    NotImplementedByStore,
    Precondition,
    check_bucket,
    error_code,
    make_client,
    server_time,
)
from service.errors import EvidenceMismatch, NotFound, TooLarge
from service.kit.logs import log_event

if TYPE_CHECKING:
    from types_boto3_s3 import S3Client

__all__ = ["ArchiveUnavailable", "LockStatus", "S3Archive", "S3Location", "make_client"]

log = logging.getLogger("talap.archive")

MAX_OBJECT_BYTES = 1 << 30
"""The largest object ``stage`` accepts and ``get`` reads into memory (1 GiB)."""
_CHUNK = 1 << 20
_STAGED_NAME = re.compile(r"([0-9a-f]{64})\.([0-9a-f]{32})")
_SHA256_NAME = re.compile(r"[0-9a-f]{64}")
_NO_LOCK = frozenset({"ObjectLockConfigurationNotFoundError", "404"})

LockMode = Literal["COMPLIANCE", "GOVERNANCE"]


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str = ""
    """Key prefix, ``""`` or ending in ``/`` (several deployments may share one bucket)."""


@dataclass(frozen=True)
class LockStatus:
    """What the bucket does about object lock, found out once per process."""

    mode: LockMode | None
    """The retention mode promoted objects get; None: no retention is set."""
    days: int
    reason: str
    """In words, for the log and ``describe``."""


class S3Archive:
    """``Archive`` on an S3-compatible bucket; safe for threads, processes and machines."""

    def __init__(
        self,
        client: S3Client,
        location: S3Location,
        *,
        lock_days: int = 0,
        lock_mode: LockMode = "COMPLIANCE",
        max_object_bytes: int = MAX_OBJECT_BYTES,
    ) -> None:
        prefix = location.prefix
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        self.client = client
        self.bucket = location.bucket
        self.prefix = prefix
        self.lock_days = lock_days
        self.lock_mode: LockMode = lock_mode
        self.max_object_bytes = max_object_bytes
        self._conditional_writes = True
        self._lock_status: LockStatus | None = None
        self._versioned: bool | None = None
        self._probe = threading.Lock()
        self._staged_versions: dict[str, str] = {}
        """The version id of each copy this process staged and has not discarded yet: a
        discard deletes it by id instead of listing the key's versions."""

    def __repr__(self) -> str:  # never the client (its credentials), only where objects go
        return f"S3Archive(s3://{self.bucket}/{self.prefix})"

    # -- the protocol ---------------------------------------------------------------------

    def stage(self, data: bytes) -> StagedObject:
        if len(data) > self.max_object_bytes:
            raise TooLarge(self.max_object_bytes)
        digest = hashlib.sha256(data)
        sha256 = digest.hexdigest()
        token = f"{sha256}.{uuid.uuid4().hex}"
        with self._errors("PutObject", token):
            response = self.client.put_object(
                Bucket=self.bucket,
                Key=self._staged_key(sha256, token),
                Body=data,
                ChecksumSHA256=base64.b64encode(digest.digest()).decode("ascii"),
            )
        if "VersionId" in response:
            self._staged_versions[token] = response["VersionId"]
        return StagedObject(sha256, len(data), token, server_time(response))

    def promote(self, staged: StagedObject) -> StoredObject:
        key = self._staged_key(staged.sha256, staged.token)
        try:
            data, response = self._read(key)
        except NotFound:
            if self.exists(staged.sha256):  # promoted meanwhile (the sweep, its transaction)
                return self._stored(staged.sha256, staged.size)
            raise NotFound(f"nothing is staged as {staged.token}") from None
        if hashlib.sha256(data).hexdigest() != staged.sha256:
            raise EvidenceMismatch(
                f"the staged copy {staged.token} does not hash to its name: not promoted"
            )
        stored = self._create(staged.sha256, data, server_time(response))
        self.discard(staged)
        return stored

    def discard(self, staged: StagedObject) -> None:
        key = self._staged_key(staged.sha256, staged.token)
        with self._errors("DeleteObject", staged.token):
            if not self._is_versioned():
                self.client.delete_object(Bucket=self.bucket, Key=key)
                return
            # In a versioned bucket (object lock needs one) a plain delete only hides the
            # bytes behind a delete marker: remove the staged version by its id, or (staged by
            # another process, or written over since) every version of the staged key.
            known = self._staged_versions.get(staged.token)
            if known is not None:
                self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=known)
                self._staged_versions.pop(staged.token, None)
                return  # a version written over it stays listed: the sweep removes it later
            listed = self.client.list_object_versions(Bucket=self.bucket, Prefix=key)
            versions = [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]
            for version in versions:
                if version.get("Key") == key and "VersionId" in version:
                    self.client.delete_object(
                        Bucket=self.bucket, Key=key, VersionId=version["VersionId"]
                    )

    def staged(self) -> list[StagedObject]:
        found = []
        for entry in self._list(self.prefix + "staging/"):
            name = entry["Key"][len(self.prefix) + len("staging/") :]
            match = _STAGED_NAME.fullmatch(name)
            if match is None:
                continue  # not ours: never promoted, never deleted
            found.append(StagedObject(match[1], entry["Size"], name, entry["LastModified"]))
        return sorted(found, key=lambda s: s.token)

    def put(self, data: bytes) -> StoredObject:
        return self.promote(self.stage(data))

    def get(self, sha256: str) -> bytes:
        name = check_sha256(sha256)
        return self._read(self._object_key(name))[0]

    def exists(self, sha256: str) -> bool:
        name = check_sha256(sha256)
        try:
            with self._errors("HeadObject", name):
                self.client.head_object(Bucket=self.bucket, Key=self._object_key(name))
        except NotFound:
            return False
        return True

    def verify(self, sha256: str) -> ArchiveCheck:
        expected = check_sha256(sha256)
        key = self._object_key(expected)
        digest = hashlib.sha256()
        try:
            with self._errors("GetObject", expected):
                for chunk in self._chunks(key):
                    digest.update(chunk)
        except NotFound:
            return ArchiveCheck(False, expected, None, "the archived object is missing")
        except ArchiveUnavailable as error:
            log_event(log, "archive.s3_verify_unreadable", sha256=expected, reason=error.message)
            return ArchiveCheck(
                False,
                expected,
                None,
                "the archived object cannot be read: the archive is unavailable",
            )
        actual = digest.hexdigest()
        if actual != expected:
            problem = (
                f"the stored bytes do not match their SHA-256 (the object was changed after it "
                f"was archived): expected {expected}, found {actual}"
            )
            return ArchiveCheck(False, expected, actual, problem)
        return ArchiveCheck(True, expected, actual, None)

    def names(self) -> list[str]:
        start = len(self.prefix) + len("objects/")
        found = (entry["Key"][start:] for entry in self._list(self.prefix + "objects/"))
        return sorted(name for name in found if _SHA256_NAME.fullmatch(name))

    # -- object lock ------------------------------------------------------------------------

    def lock_status(self) -> LockStatus:
        """Whether promoted objects get a retention, asked of the bucket once (and logged)."""
        with self._probe:
            if self._lock_status is None:
                self._lock_status = self._find_lock_status()
                wanted = bool(self.lock_days)
                level = logging.WARNING if wanted and not self._lock_status.mode else logging.INFO
                log.log(
                    level,
                    "archive.s3_object_lock",
                    extra={
                        "event": "archive.s3_object_lock",
                        "bucket": self.bucket,
                        "mode": self._lock_status.mode,
                        "days": self._lock_status.days,
                        "reason": self._lock_status.reason,
                    },
                )
            return self._lock_status

    def describe(self) -> str:
        """One line for the start of ``talap serve``/``worker``/``migrate``; a bucket that is
        not there, or that the credentials may not use, stops the start with what to fix."""
        check_bucket(self.client, self.bucket)
        status = self.lock_status()
        return f"archive: s3://{self.bucket}/{self.prefix} ({status.reason})"

    def _find_lock_status(self) -> LockStatus:
        if self.lock_days <= 0:
            return LockStatus(None, 0, "object lock not asked for (TALAP_S3_LOCK_DAYS=0)")
        try:
            answer = self.client.get_object_lock_configuration(Bucket=self.bucket)
        except ClientError as error:
            code = error_code(error)
            why = (
                "the bucket was created without object lock"
                if code in _NO_LOCK
                else f"the store does not tell its object lock ({code})"
            )
            return LockStatus(None, 0, f"NO object lock: {why}; objects are write-once by "
                              "Talap's conditional writes only")  # fmt: skip
        except BotoCoreError as error:
            raise ArchiveUnavailable(f"the S3 archive cannot be reached: {error}") from None
        configuration = answer.get("ObjectLockConfiguration", {})
        if configuration.get("ObjectLockEnabled") != "Enabled":
            return LockStatus(None, 0, "NO object lock: not enabled on the bucket")
        reason = f"object lock: {self.lock_mode} retention of {self.lock_days} days"
        if "Rule" in configuration:
            reason += (
                "; the bucket also has a DEFAULT retention, which locks staged copies too (they "
                "cannot be discarded after a rollback): remove it, Talap sets one per object"
            )
        return LockStatus(self.lock_mode, self.lock_days, reason)

    # -- helpers ------------------------------------------------------------------------------

    def _create(self, sha256: str, data: bytes, now: dt.datetime) -> StoredObject:
        """Write ``objects/<sha256>`` unless it exists; if it does, it must hold ``data``."""
        key = self._object_key(sha256)
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": data,
            # The store checks the bytes against the name (AWS and MinIO do; moto does not);
            # naming the algorithm also satisfies object lock's "Content-MD5 or checksum" rule.
            "ChecksumAlgorithm": "SHA256",
            "ChecksumSHA256": base64.b64encode(bytes.fromhex(sha256)).decode("ascii"),
        }
        lock = self.lock_status()
        if lock.mode is not None:
            params["ObjectLockMode"] = lock.mode
            params["ObjectLockRetainUntilDate"] = now + dt.timedelta(days=lock.days)
        if not self._conditional_writes and self.exists(sha256):
            return self._existing(sha256, data)
        try:
            with self._errors("PutObject", sha256):
                if self._conditional_writes:
                    self.client.put_object(IfNoneMatch="*", **params)
                else:
                    self.client.put_object(**params)
        except Precondition:  # the object exists (a racing promoter, or archived before)
            return self._existing(sha256, data)
        except NotImplementedByStore:
            log_event(log, "archive.s3_no_conditional_writes", bucket=self.bucket)
            self._conditional_writes = False
            return self._create(sha256, data, now)
        return self._stored(sha256, len(data))

    def _existing(self, sha256: str, data: bytes) -> StoredObject:
        """The object already stored under this name; it must still hold these bytes."""
        stored, _ = self._read(self._object_key(sha256))
        if stored != data:
            raise EvidenceMismatch(
                f"archived object {sha256} exists but its bytes differ from its name: the "
                "archive copy is damaged; it was not replaced"
            )
        return self._stored(sha256, len(stored))

    def _read(self, key: str) -> tuple[bytes, Mapping[str, Any]]:
        """The object's bytes (``NotFound`` if absent; refused over ``max_object_bytes``)."""
        with self._errors("GetObject", key.rsplit("/", 1)[-1]):
            response = self.client.get_object(Bucket=self.bucket, Key=key)
            body = response["Body"]
            try:
                if response["ContentLength"] > self.max_object_bytes:
                    raise EvidenceMismatch(
                        f"the archived object {_name(key)} holds {response['ContentLength']} "
                        f"bytes, over the {self.max_object_bytes}-byte bound: not read"
                    )
                parts = []
                read = 0
                for chunk in body.iter_chunks(_CHUNK):
                    read += len(chunk)
                    if read > self.max_object_bytes:
                        raise EvidenceMismatch(
                            f"the archived object {_name(key)} grew past the "
                            f"{self.max_object_bytes}-byte bound while it was read: not read"
                        )
                    parts.append(chunk)
            finally:
                body.close()
        return b"".join(parts), response

    def _chunks(self, key: str) -> Iterator[bytes]:
        response = self.client.get_object(Bucket=self.bucket, Key=key)
        body = response["Body"]
        try:
            yield from body.iter_chunks(_CHUNK)
        finally:
            body.close()

    def _list(self, prefix: str) -> Iterator[Mapping[str, Any]]:
        with self._errors("ListObjectsV2", prefix):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            entries = [entry for page in pages for entry in page.get("Contents", [])]
        yield from entries

    def _is_versioned(self) -> bool:
        if self._versioned is None:
            with self._errors("GetBucketVersioning", self.bucket):
                answer = self.client.get_bucket_versioning(Bucket=self.bucket)
            self._versioned = answer.get("Status") in ("Enabled", "Suspended")
        return self._versioned

    def _object_key(self, sha256: str) -> str:
        return f"{self.prefix}objects/{sha256}"

    def _staged_key(self, sha256: str, token: str) -> str:
        match = _STAGED_NAME.fullmatch(token)
        if match is None or match[1] != check_sha256(sha256):
            raise ValueError(f"not a staging name of {sha256}: {token!r:.80}")
        return f"{self.prefix}staging/{token}"

    def _uri(self, sha256: str) -> str:
        return f"s3://{self.bucket}/{self._object_key(sha256)}"

    def _stored(self, sha256: str, size: int) -> StoredObject:
        return StoredObject(sha256, size, self._uri(sha256))

    def _errors(self, operation: str, name: str) -> ErrorMapping:
        return ErrorMapping(self.bucket, operation, name)


def _name(key: str) -> str:
    """An object's name without the bucket's prefix (answers never show where it lives)."""
    return key.rsplit("/", 1)[-1]
