"""The archive contract, held by every backend: the local directory, the S3 bucket (moto's server
on loopback, over HTTP) and the in-memory double — content-addressed, write-once, safe under
concurrent puts, self-checking. What only a backend can show (file modes, object lock) is tested
on that backend alone (here, and in ``test_s3.py``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service.archive import Archive, InvalidObjectName, LocalArchive, MemoryArchive
from service.archive.s3 import S3Archive
from service.errors import EvidenceMismatch, NotFound
from service.kit.blobs import sweep
from tests.s3 import s3_archive

PDF = b"%PDF-1.7\n% a signed notice\n%%EOF\n"


@pytest.fixture
def archive(tmp_path: Path) -> LocalArchive:
    return LocalArchive(tmp_path / "archive")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


class Backend:
    """An archive and what a test does behind its back: damage a stored object, count what
    the store holds (every file, every object version)."""

    def __init__(self, archive: LocalArchive | S3Archive) -> None:
        self.archive = archive

    def damage(self, sha256: str, data: bytes) -> None:
        if isinstance(self.archive, LocalArchive):
            path = self.archive.path_for(sha256)
            os.chmod(path, 0o644)
            path.write_bytes(data)
            os.chmod(path, 0o444)
        else:  # a new version over the object (object lock keeps versions, not keys)
            key = f"{self.archive.prefix}objects/{sha256}"
            self.archive.client.put_object(Bucket=self.archive.bucket, Key=key, Body=data)

    def stored(self) -> list[str]:
        """Every stored file or object version, staging included."""
        if isinstance(self.archive, LocalArchive):
            return sorted(str(p) for p in stored_files(self.archive.root))
        listed = self.archive.client.list_object_versions(Bucket=self.archive.bucket)
        return sorted(f"{v['Key']}@{v['VersionId']}" for v in listed.get("Versions", []))


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """The contract tests run on the directory and on an S3 bucket with object lock."""
    if request.param == "local":
        return Backend(LocalArchive(tmp_path / "archive"))
    return Backend(s3_archive(request.getfixturevalue("moto_endpoint")))


def test_put_stores_under_the_sha256_read_only(archive: LocalArchive) -> None:
    stored = archive.put(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()
    assert (stored.sha256, stored.size) == (sha256, len(PDF))
    path = Path(stored.location)
    assert path == archive.root / "sha256" / sha256[:2] / sha256[2:4] / sha256
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert archive.get(sha256) == PDF
    assert archive.exists(sha256)
    assert stored_files(archive.root) == [path]  # no temporary files left behind


def test_the_same_bytes_twice_is_a_no_op(backend: Backend) -> None:
    archive = backend.archive
    first = archive.put(PDF)
    before = backend.stored()
    second = archive.put(PDF)
    assert second == first
    assert backend.stored() == before  # nothing rewritten: the same file, the same version


def test_the_same_local_file_is_kept(archive: LocalArchive) -> None:
    first = archive.put(PDF)
    before = os.stat(first.location)
    after = os.stat(archive.put(PDF).location)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_put_never_replaces_a_stored_object(backend: Backend) -> None:
    """If the stored copy was damaged, a put of the right bytes says so and leaves it alone."""
    archive = backend.archive
    stored = archive.put(PDF)
    backend.damage(stored.sha256, b"damaged")
    before = backend.stored()
    with pytest.raises(EvidenceMismatch, match="damaged"):
        archive.put(PDF)
    assert archive.get(stored.sha256) == b"damaged"
    assert [s for s in backend.stored() if "staging" not in s] == [
        s for s in before if "staging" not in s
    ]


def test_concurrent_puts_of_the_same_bytes_store_one_object(backend: Backend) -> None:
    archive = backend.archive
    barrier = threading.Barrier(16)

    def put(_: int) -> str:
        barrier.wait()
        return archive.put(PDF).location

    with ThreadPoolExecutor(16) as pool:
        locations = set(pool.map(put, range(64)))
    assert len(locations) == 1
    assert len(backend.stored()) == 1  # one file, one object version: no second write
    assert archive.verify(hashlib.sha256(PDF).hexdigest()).ok
    assert archive.staged() == []


def test_concurrent_puts_of_different_bytes_all_land(backend: Backend) -> None:
    archive = backend.archive
    count = 200 if isinstance(archive, LocalArchive) else 48  # moto serves a request at a time
    blobs = [PDF + str(i).encode() for i in range(count)]
    with ThreadPoolExecutor(16) as pool:
        stored = list(pool.map(archive.put, blobs))
    assert len({s.sha256 for s in stored}) == count
    assert all(archive.get(s.sha256) == blob for s, blob in zip(stored, blobs, strict=True))
    assert len(backend.stored()) == count
    assert archive.names() == sorted(s.sha256 for s in stored)


def test_verify_detects_a_changed_byte(backend: Backend) -> None:
    archive = backend.archive
    stored = archive.put(PDF)
    assert archive.verify(stored.sha256).ok
    data = bytearray(PDF)
    data[len(data) // 2] ^= 0x01
    backend.damage(stored.sha256, bytes(data))
    check = archive.verify(stored.sha256)
    assert not check.ok
    assert check.expected == stored.sha256
    assert check.actual == hashlib.sha256(bytes(data)).hexdigest()
    assert check.problem is not None and "do not match their SHA-256" in check.problem
    assert archive.get(stored.sha256) == bytes(data)  # get returns what is stored, unchecked


def test_a_missing_object_is_a_problem_for_verify_and_not_found_for_get(
    backend: Backend,
) -> None:
    archive = backend.archive
    missing = hashlib.sha256(b"never stored").hexdigest()
    check = archive.verify(missing)
    assert (check.ok, check.actual) == (False, None)
    assert check.problem is not None and "missing" in check.problem
    assert not archive.exists(missing)
    with pytest.raises(NotFound):
        archive.get(missing)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "../../etc/passwd",
        "a" * 63,
        "a" * 65,
        "g" * 64,
        "a" * 63 + "/",
        "a" * 64 + "\n",
        "/" + "a" * 63,
    ],
)
def test_names_that_are_not_sha256_are_refused(backend: Backend, name: str) -> None:
    archive = backend.archive
    for operation in (archive.get, archive.exists, archive.verify):
        with pytest.raises(InvalidObjectName):
            operation(name)


def test_uppercase_hex_names_the_same_object(backend: Backend) -> None:
    stored = backend.archive.put(PDF)
    archive = backend.archive
    assert archive.get(stored.sha256.upper()) == PDF


@pytest.fixture(params=["local", "s3", "memory"])
def any_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Archive:
    """Every backend must behave alike: the directory, the S3 bucket and the in-memory double."""
    if request.param == "local":
        return LocalArchive(tmp_path / "archive")
    if request.param == "s3":
        return s3_archive(request.getfixturevalue("moto_endpoint"))
    return MemoryArchive()


def test_a_staged_object_is_invisible_until_promoted(any_archive: Archive) -> None:
    staged = any_archive.stage(PDF)
    assert staged.sha256 == hashlib.sha256(PDF).hexdigest()
    assert not any_archive.exists(staged.sha256)
    assert any_archive.names() == []
    assert [s.token for s in any_archive.staged()] == [staged.token]
    stored = any_archive.promote(staged)
    assert any_archive.get(stored.sha256) == PDF
    assert any_archive.verify(stored.sha256).ok
    assert any_archive.staged() == []
    assert any_archive.names() == [stored.sha256]


def test_a_discarded_object_never_reaches_the_archive(any_archive: Archive) -> None:
    staged = any_archive.stage(PDF)
    any_archive.discard(staged)
    assert any_archive.staged() == [] and any_archive.names() == []
    with pytest.raises(NotFound):
        any_archive.get(staged.sha256)


def test_the_same_bytes_staged_twice_promote_to_one_object(any_archive: Archive) -> None:
    first, second = any_archive.stage(PDF), any_archive.stage(PDF)
    assert first.token != second.token  # two transactions never share a staged copy
    any_archive.discard(first)  # one rolls back …
    any_archive.promote(second)  # … the other commits: its copy is unaffected
    assert any_archive.names() == [second.sha256]
    third = any_archive.stage(PDF)  # a third transaction archives the same bytes again
    stored = any_archive.promote(third)
    assert stored.sha256 == second.sha256 and any_archive.get(stored.sha256) == PDF
    assert any_archive.names() == [second.sha256] and any_archive.staged() == []


def test_the_sweep_promotes_what_a_record_holds_and_discards_old_strays(
    any_archive: Archive,
) -> None:
    """What a crash between commit and promotion left: the recorded object is promoted, the
    objects of transactions that never committed are discarded once they are old."""
    recorded = any_archive.stage(PDF + b"recorded")
    strays = [any_archive.stage(PDF + b"stray 1"), any_archive.stage(PDF + b"stray 2")]
    an_hour_later = recorded.staged_at + dt.timedelta(hours=1, seconds=1)

    def holds(names: Iterable[str]) -> set[str]:
        return {recorded.sha256} & set(names)

    result = sweep(any_archive, holds, an_hour_later)
    assert (result.promoted, result.discarded, result.left) == (1, 2, 0)
    assert any_archive.names() == [recorded.sha256]
    assert any_archive.staged() == []
    assert not any(any_archive.exists(s.sha256) for s in strays)


def test_the_sweep_leaves_a_young_unrecorded_object_to_its_transaction(
    any_archive: Archive,
) -> None:
    staged = any_archive.stage(PDF)
    result = sweep(any_archive, lambda names: set(), staged.staged_at + dt.timedelta(minutes=5))
    assert (result.promoted, result.discarded, result.left) == (0, 0, 1)
    assert [s.token for s in any_archive.staged()] == [staged.token]


def test_the_sweep_ignores_stray_files_in_staging(archive: LocalArchive) -> None:
    """A file someone dropped into staging (not ``<sha256>.<token>.staged``) is no object."""
    staged = archive.stage(PDF)
    (archive.staging / "notes.txt.staged").write_bytes(b"not ours")
    (archive.staging / "README").write_bytes(b"not ours either")
    result = sweep(archive, lambda names: set(names), staged.staged_at)
    assert (result.promoted, result.discarded, result.left) == (1, 0, 0)
    assert archive.names() == [staged.sha256]
    assert (archive.staging / "README").exists()


def test_a_damaged_staged_copy_is_not_promoted_and_does_not_stop_the_sweep(
    archive: LocalArchive,
) -> None:
    """A staged copy whose bytes no longer hash to its name stays put (logged) while the
    sweep settles the other objects."""
    damaged = archive.stage(PDF + b"damaged")
    healthy = archive.stage(PDF + b"healthy")
    path = archive.staging / damaged.token
    os.chmod(path, 0o600)
    path.write_bytes(b"%PDF-1.7 flipped")
    result = sweep(archive, lambda names: set(names), damaged.staged_at)
    assert (result.promoted, result.discarded, result.left) == (1, 0, 1)
    assert archive.names() == [healthy.sha256]
    assert [s.token for s in archive.staged()] == [damaged.token]
