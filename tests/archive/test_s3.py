"""What only the S3 archive shows, against moto's server on loopback over HTTP: object lock as the
store enforces it, a bucket without lock said so, versions cleaned after a discard, a damaged
staged copy, large objects and the size bound, an unreachable store, settings that fail fast.
(The archive contract itself runs on S3 in ``test_archive.py``.)"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from service.archive.s3 import ArchiveUnavailable, S3Archive, S3Location, make_client
from service.bootstrap import build_archive, describe_archive
from service.errors import EvidenceMismatch, TooLarge
from service.kit.blobs import sweep
from service.settings import Settings
from tests.s3 import SECRET, archive_settings, client, new_bucket, s3_archive
from tests.s3 import environment as s3_environment

PDF = b"%PDF-1.7\n% a signed notice\n%%EOF\n"


def versions(archive: S3Archive, under: str = "") -> list[dict[str, object]]:
    listed = archive.client.list_object_versions(
        Bucket=archive.bucket, Prefix=f"{archive.prefix}{under}"
    )
    return [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]  # type: ignore[list-item]


def test_a_promoted_object_is_locked_and_the_store_refuses_to_delete_or_replace_it(
    moto_endpoint: str,
) -> None:
    archive = s3_archive(moto_endpoint, lock_days=30)
    stored = archive.put(PDF)
    assert stored.location == f"s3://{archive.bucket}/talap/objects/{stored.sha256}"
    key = f"talap/objects/{stored.sha256}"
    head = archive.client.head_object(Bucket=archive.bucket, Key=key)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    retained = head["ObjectLockRetainUntilDate"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29) < retained <= dt.timedelta(days=30, minutes=1)

    with pytest.raises(
        ClientError
    ) as deleted:  # the locked version cannot be deleted (moto, unlike
        # AWS, would let its COMPLIANCE retention be shortened: not tested here) …
        archive.client.delete_object(Bucket=archive.bucket, Key=key, VersionId=head["VersionId"])
    assert deleted.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError) as replaced:  # … nor another write take its name
        archive.client.put_object(Bucket=archive.bucket, Key=key, Body=b"other", IfNoneMatch="*")
    assert replaced.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert archive.get(stored.sha256) == PDF
    assert archive.verify(stored.sha256).ok
    assert "COMPLIANCE retention of 30 days" in describe_archive(archive)


def test_staged_copies_are_not_locked_and_leave_no_version_behind(moto_endpoint: str) -> None:
    """A rolled-back transaction's bytes go (every version); only the archived object stays."""
    archive = s3_archive(moto_endpoint, lock_days=30)
    rolled_back = archive.stage(PDF + b"rolled back")
    archive.discard(rolled_back)
    committed = archive.put(PDF)
    assert versions(archive, "staging/") == []
    assert [v["Key"] for v in versions(archive)] == [f"talap/objects/{committed.sha256}"]


def test_a_bucket_without_object_lock_is_said_and_stays_write_once(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint, lock=False, lock_days=30)
    assert archive.lock_status().mode is None
    assert "NO object lock" in describe_archive(archive)
    stored = archive.put(PDF)
    head = archive.client.head_object(Bucket=archive.bucket, Key=f"talap/objects/{stored.sha256}")
    assert "ObjectLockMode" not in head
    assert archive.put(PDF) == stored  # still write-once: the conditional write refuses


def test_no_retention_is_set_when_none_is_asked_for(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint, lock_days=0)
    stored = archive.put(PDF)
    head = archive.client.head_object(Bucket=archive.bucket, Key=f"talap/objects/{stored.sha256}")
    assert "ObjectLockMode" not in head
    assert "not asked for" in describe_archive(archive)


def test_a_default_retention_on_the_bucket_is_warned_about(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint, lock_days=30)
    archive.client.put_object_lock_configuration(
        Bucket=archive.bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}},
        },
    )
    assert "DEFAULT retention" in archive.lock_status().reason


def test_a_governance_lock_is_applied_when_asked_for(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint, lock_days=2, lock_mode="GOVERNANCE")
    stored = archive.put(PDF)
    head = archive.client.head_object(Bucket=archive.bucket, Key=f"talap/objects/{stored.sha256}")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    with pytest.raises(ClientError):  # without the bypass permission, refused as well
        archive.client.delete_object(
            Bucket=archive.bucket, Key=f"talap/objects/{stored.sha256}", VersionId=head["VersionId"]
        )


def test_a_damaged_staged_copy_is_not_promoted_and_does_not_stop_the_sweep(
    moto_endpoint: str,
) -> None:
    archive = s3_archive(moto_endpoint)
    damaged = archive.stage(PDF + b"damaged")
    healthy = archive.stage(PDF + b"healthy")
    archive.client.put_object(
        Bucket=archive.bucket, Key=f"talap/staging/{damaged.token}", Body=b"%PDF-1.7 flipped"
    )
    with pytest.raises(EvidenceMismatch, match="does not hash to its name"):
        archive.promote(damaged)
    result = sweep(archive, lambda names: set(names), damaged.staged_at)
    assert (result.promoted, result.discarded, result.left) == (1, 0, 1)
    assert archive.names() == [healthy.sha256]
    assert [s.token for s in archive.staged()] == [damaged.token]


def test_the_sweep_ignores_keys_that_are_not_staged_objects(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint)
    staged = archive.stage(PDF)
    for key in ("talap/staging/notes.txt", "talap/staging/README", "talap/objects/README"):
        archive.client.put_object(Bucket=archive.bucket, Key=key, Body=b"not ours")
    assert [s.token for s in archive.staged()] == [staged.token]
    result = sweep(archive, lambda names: set(names), staged.staged_at)
    assert (result.promoted, result.discarded, result.left) == (1, 0, 0)
    assert archive.names() == [staged.sha256]
    head = archive.client.head_object(Bucket=archive.bucket, Key="talap/staging/README")
    assert head["ContentLength"] == len(b"not ours")


def test_a_staged_object_s_age_is_the_store_s_clock(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint)
    staged = archive.stage(PDF)
    [listed] = archive.staged()
    assert abs(listed.staged_at - staged.staged_at) <= dt.timedelta(seconds=2)
    assert abs(staged.staged_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_two_deployments_share_a_bucket_under_their_prefixes(moto_endpoint: str) -> None:
    bucket = new_bucket(moto_endpoint)
    one = S3Archive(client(moto_endpoint), S3Location(bucket, "one"))
    other = S3Archive(client(moto_endpoint), S3Location(bucket, "other/"))
    stored = one.put(PDF)
    assert one.names() == [stored.sha256] and other.names() == []
    assert not other.exists(stored.sha256)


def test_large_objects_round_trip(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint)
    data = os.urandom(1 << 20) * 24  # 24 MiB: an evidence pack with scans is megabytes
    stored = archive.put(data)
    assert stored.size == len(data)
    assert archive.get(stored.sha256) == data
    check = archive.verify(stored.sha256)
    assert check.ok and check.actual == hashlib.sha256(data).hexdigest()


def test_objects_over_the_bound_are_neither_staged_nor_read(moto_endpoint: str) -> None:
    archive = s3_archive(moto_endpoint, max_object_bytes=1 << 20)
    with pytest.raises(TooLarge):
        archive.stage(b"x" * ((1 << 20) + 1))
    big = b"y" * (2 << 20)
    sha256 = hashlib.sha256(big).hexdigest()
    archive.client.put_object(Bucket=archive.bucket, Key=f"talap/objects/{sha256}", Body=big)
    with pytest.raises(EvidenceMismatch, match="bound"):
        archive.get(sha256)
    assert archive.verify(sha256).ok  # verify streams: it is not bounded


def test_an_unreachable_store_is_unavailable_and_says_no_secret() -> None:
    offline = make_client(
        endpoint_url="http://127.0.0.1:9",  # the discard port: nothing listens
        region="us-east-1",
        access_key_id="talap-test-key-id",
        secret_access_key=SECRET,
        max_attempts=1,
    )
    archive = S3Archive(offline, S3Location("talap-offline"))
    with pytest.raises(ArchiveUnavailable) as error:
        archive.put(PDF)
    assert error.value.status == 503
    check = archive.verify(hashlib.sha256(PDF).hexdigest())
    assert not check.ok and check.problem and "cannot be read" in check.problem
    settings = Settings(
        archive="s3", s3_bucket="b-1", s3_access_key_id="k", s3_secret_access_key=SECRET
    )
    assert SECRET not in str(error.value) + check.problem + repr(archive) + repr(settings)


def test_the_settings_wire_an_s3_archive(moto_endpoint: str, tmp_path: Path) -> None:
    archive = build_archive(Settings(data_dir=tmp_path, **archive_settings(moto_endpoint)))
    assert isinstance(archive, S3Archive)
    stored = archive.put(PDF)
    assert archive.get(stored.sha256) == PDF
    assert not (tmp_path / "archive").exists()


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"archive": "s3"}, "TALAP_S3_BUCKET"),
        ({"archive": "s3", "s3_bucket": "b-1", "s3_access_key_id": "x"}, "TALAP_S3_SECRET"),
        ({"s3_prefix": "/talap"}, "s3_prefix"),
        ({"s3_endpoint_url": "minio:9000"}, "s3_endpoint_url"),
        ({"archive": "gcs"}, "archive"),
    ],
)
def test_a_bad_s3_configuration_names_the_variable(
    tmp_path: Path, changes: dict[str, object], variable: str
) -> None:
    with pytest.raises(ValueError, match=variable):
        Settings(data_dir=tmp_path, **changes)  # type: ignore[arg-type]


def test_a_start_against_a_missing_bucket_names_the_variable(moto_endpoint: str) -> None:
    archive = S3Archive(client(moto_endpoint), S3Location("talap-no-such-bucket"))
    with pytest.raises(ArchiveUnavailable, match="TALAP_S3_BUCKET"):
        describe_archive(archive)


def test_talap_migrate_says_where_the_archive_is(moto_endpoint: str, tmp_path: Path) -> None:
    """The start of a process prints the bucket and its object lock; a missing bucket stops it
    with the variable to fix (exit 2, no traceback)."""
    settings = archive_settings(moto_endpoint)
    environment = {
        **os.environ,
        "TALAP_DATA_DIR": str(tmp_path / "data"),
        **s3_environment(settings),
    }
    environment.pop("TALAP_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"archive: s3://{settings['s3_bucket']}/talap/ (object lock: COMPLIANCE" in done.stderr
    assert SECRET not in done.stderr + done.stdout
    missing = {**environment, "TALAP_S3_BUCKET": "talap-no-such-bucket"}
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate"],
        env=missing,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "TALAP_S3_BUCKET" in done.stderr and "Traceback" not in done.stderr
