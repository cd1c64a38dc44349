"""The S3 archive's plumbing: the boto3 client it is given, and the store's answers translated into
the archive protocol's errors (``service.archive.s3``)."""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from service.errors import NotFound, TalapError

if TYPE_CHECKING:
    from types_boto3_s3 import S3Client

_MISSING = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchVersion"})
_PRECONDITION = frozenset({"412", "PreconditionFailed", "ConditionalRequestConflict", "409"})


class ArchiveUnavailable(TalapError):
    """The object store could not be reached or refused a request (not a missing object)."""

    status = 503
    code = "archive_unavailable"


class Precondition(Exception):
    """The store refused a conditional write: the object exists."""


class NotImplementedByStore(Exception):
    """The store does not implement a header we sent (``If-None-Match`` on PutObject)."""


class ErrorMapping:
    """boto3's errors as the archive protocol's: a missing object is ``NotFound``, a refused
    condition is handled by the caller, anything else is ``ArchiveUnavailable`` (503) naming the
    operation and the store's error code — never a credential (botocore puts none in them)."""

    def __init__(self, bucket: str, operation: str, name: str) -> None:
        self.bucket, self.operation, self.name = bucket, operation, name

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> Literal[False]:
        if isinstance(error, ClientError):
            code = error_code(error)
            if code in _MISSING:
                raise NotFound(f"archived object {self.name} not found") from None
            if code in _PRECONDITION:
                raise Precondition(code) from None
            if code == "NotImplemented":
                raise NotImplementedByStore(code) from None
            raise ArchiveUnavailable(
                f"the S3 archive (bucket {self.bucket}) refused {self.operation} of "
                f"{self.name}: {code}"
            ) from None
        if isinstance(error, BotoCoreError):
            raise ArchiveUnavailable(
                f"the S3 archive (bucket {self.bucket}) could not be reached for "
                f"{self.operation}: {type(error).__name__}"
            ) from None
        return False


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "")) or str(
        error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
    )


def server_time(response: Mapping[str, Any]) -> dt.datetime:
    """The store's own clock (its ``Date`` header): staging ages and retention dates are
    measured on it, as ``staged`` lists them (``LastModified``)."""
    date = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    if not date:
        raise ArchiveUnavailable("the S3 archive answered without a Date header")
    return email.utils.parsedate_to_datetime(date).astimezone(dt.UTC)


def make_client(
    *,
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
    max_connections: int = 32,
    max_attempts: int = 5,
) -> S3Client:
    """A boto3 S3 client: path-style addressing against a custom endpoint (MinIO, Ceph, moto),
    standard retries, bounded timeouts. Without keys boto3's own chain applies (AWS_* variables,
    an instance role)."""
    from botocore.config import Config

    config = Config(
        retries={"max_attempts": max_attempts, "mode": "standard"},
        connect_timeout=10,
        read_timeout=60,
        max_pool_connections=max_connections,
        s3={"addressing_style": "path"} if endpoint_url else None,
    )
    with _session_lock:  # one boto3 session: its loaded service model makes clients cheap
        client: S3Client = _session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )
    return client


_session_lock = threading.Lock()


@functools.cache
def _session() -> Any:
    import boto3

    return boto3.session.Session()


def check_bucket(client: S3Client, bucket: str) -> None:
    """``ArchiveUnavailable`` naming the variable to fix if the bucket is not there or the
    credentials may not use it."""
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        code = error_code(error)
        fix = (
            "TALAP_S3_BUCKET names no bucket there (create it, with object lock)"
            if code in ("404", "NoSuchBucket", "NotFound")
            else "check TALAP_S3_ACCESS_KEY_ID / TALAP_S3_SECRET_ACCESS_KEY and its policy"
        )
        raise ArchiveUnavailable(f"the S3 archive's bucket {bucket}: {code}: {fix}") from None
    except BotoCoreError as error:
        raise ArchiveUnavailable(
            f"the S3 archive cannot be reached ({type(error).__name__}): check "
            "TALAP_S3_ENDPOINT_URL / TALAP_S3_REGION"
        ) from None
