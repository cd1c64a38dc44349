"""moto's S3 server on a loopback port, for the S3 archive's tests, the app fixtures with
``TALAP_TEST_ARCHIVE=s3`` and ``bench/``: a real HTTP endpoint that boto3 talks to as it would to
AWS or MinIO (moto is not a real S3: it keeps everything in memory, does not check checksums and
ignores ``If-None-Match`` on copies — see ``service/archive/s3.py``)."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from service.archive import Archive, LocalArchive
from service.archive.s3 import S3Archive, S3Location, make_client
from service.settings import Settings

if TYPE_CHECKING:
    from types_boto3_s3 import S3Client

REGION = "us-east-1"
KEY_ID = "talap-test-key-id"
SECRET = "talap-test-secret"  # moto accepts any; never a real credential


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's S3 server in a thread of this process on 127.0.0.1; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def client(endpoint: str) -> S3Client:
    return make_client(
        endpoint_url=endpoint, region=REGION, access_key_id=KEY_ID, secret_access_key=SECRET
    )


def new_bucket(endpoint: str, *, lock: bool = True) -> str:
    """A new bucket (with object lock, hence versioning, unless ``lock`` is False)."""
    name = f"talap-{uuid.uuid4().hex[:20]}"
    client(endpoint).create_bucket(Bucket=name, ObjectLockEnabledForBucket=lock)
    return name


def s3_archive(endpoint: str, *, lock: bool = True, lock_days: int = 1, **extra: Any) -> S3Archive:
    """An archive in a new bucket of its own."""
    bucket = new_bucket(endpoint, lock=lock)
    return S3Archive(client(endpoint), S3Location(bucket, "talap/"), lock_days=lock_days, **extra)


def archive_settings(endpoint: str) -> dict[str, Any]:
    """``Settings`` keywords for an S3 archive in a new bucket with object lock."""
    return {
        "archive": "s3",
        "s3_endpoint_url": endpoint,
        "s3_bucket": new_bucket(endpoint),
        "s3_region": REGION,
        "s3_access_key_id": KEY_ID,
        "s3_secret_access_key": SECRET,
        "s3_prefix": "talap/",
        "s3_lock_days": 1,
    }


def environment(settings: dict[str, Any]) -> dict[str, str]:
    """The same settings as ``TALAP_*`` variables, for a ``talap`` process."""
    return {f"TALAP_{name.upper()}": str(value) for name, value in settings.items()}


def settings_environment(settings: Settings) -> dict[str, str]:
    """The archive part of ``settings`` as ``TALAP_*`` variables (empty for the directory)."""
    if settings.archive != "s3":
        return {}
    secret = settings.s3_secret_access_key
    values = {
        "archive": settings.archive,
        "s3_endpoint_url": settings.s3_endpoint_url,
        "s3_bucket": settings.s3_bucket,
        "s3_region": settings.s3_region,
        "s3_access_key_id": settings.s3_access_key_id,
        "s3_secret_access_key": secret.get_secret_value() if secret else None,
        "s3_prefix": settings.s3_prefix,
        "s3_lock_days": settings.s3_lock_days,
    }
    return environment({name: value for name, value in values.items() if value is not None})


def alter_archived(archive: Archive, sha256: str, change: Callable[[bytes], bytes]) -> None:
    """Change an archived object behind the archive's back (tests of tamper detection): the file
    rewritten in the directory, or a new version written over the S3 key (object lock keeps
    the locked version; a plain GET answers the newest)."""
    if isinstance(archive, LocalArchive):
        path = archive.path_for(sha256)
        data = change(path.read_bytes())
        os.chmod(path, 0o644)
        path.write_bytes(data)
        return
    assert isinstance(archive, S3Archive), archive
    data = change(archive.get(sha256))
    key = f"{archive.prefix}objects/{sha256}"
    archive.client.put_object(Bucket=archive.bucket, Key=key, Body=data)
