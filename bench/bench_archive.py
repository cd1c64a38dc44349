"""The archive backends side by side: stage + promote (what issuing a document costs the archive)
and get (what serving its PDF costs), per object, on the local directory and on S3.

    .venv/bin/python -m bench.bench_archive [N] [--size BYTES] [--threads T]
        [--endpoint-url URL --bucket NAME]   # a real S3/MinIO instead of moto

Without ``--endpoint-url`` the S3 figures are moto's server on loopback, started here: moto is
NOT a real S3 (an in-memory Python server answering one request at a time, no disks, no network),
so its figures measure boto3 and the request pattern, not what AWS or MinIO would do. Credentials
for a real store come from boto3's own chain (``AWS_*`` variables, a profile, an instance role).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from service.archive import Archive, LocalArchive
from service.archive.s3 import S3Archive, S3Location, make_client
from tests.s3 import moto_server, s3_archive


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms"


def measure(name: str, archive: Archive, blobs: list[bytes], threads: int) -> None:
    stage: list[float] = []
    promote: list[float] = []
    get: list[float] = []

    def one(data: bytes) -> None:
        started = time.perf_counter()
        staged = archive.stage(data)
        staged_at = time.perf_counter()
        stored = archive.promote(staged)
        promoted_at = time.perf_counter()
        assert archive.get(stored.sha256) == data
        done = time.perf_counter()
        stage.append(staged_at - started)
        promote.append(promoted_at - staged_at)
        get.append(done - promoted_at)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, blobs))
    elapsed = time.perf_counter() - started
    print(f"{name}: {len(blobs)} objects of {len(blobs[0]) // 1024} KiB, {threads} thread(s)")
    print(f"  stage      {_ms(stage)}")
    print(f"  promote    {_ms(promote)}")
    print(f"  get        {_ms(get)}")
    print(f"  throughput {len(blobs) / elapsed:7.1f} objects/s (stage + promote + get)")


@contextmanager
def backends(args: argparse.Namespace) -> Iterator[list[tuple[str, Callable[[], Archive]]]]:
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(1_000_000))

        def local() -> Archive:
            return LocalArchive(Path(folder) / f"archive-{next(counter)}")

        if args.endpoint_url:

            def real() -> Archive:
                client = make_client(
                    endpoint_url=args.endpoint_url,
                    region=args.region,
                    access_key_id=None,
                    secret_access_key=None,
                )
                return S3Archive(client, S3Location(args.bucket, f"bench-{os.getpid()}/"))

            yield [("local directory", local), (f"S3 at {args.endpoint_url}", real)]
            return
        with moto_server() as endpoint:

            def moto() -> Archive:
                return s3_archive(endpoint, lock_days=1)

            yield [
                ("local directory", local),
                ("S3 on moto's server (loopback; not a real S3)", moto),
            ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=200, help="objects per backend")
    parser.add_argument("--size", type=int, default=96 * 1024, help="bytes per object")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--endpoint-url", help="a real S3-compatible store instead of moto")
    parser.add_argument("--bucket", help="its bucket (with --endpoint-url)")
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    if args.endpoint_url and not args.bucket:
        parser.error("--endpoint-url needs --bucket")
    with backends(args) as found:
        for threads in args.threads:
            for name, make in found:
                blobs = [os.urandom(args.size) for _ in range(args.n)]
                measure(name, make(), blobs, threads)


if __name__ == "__main__":
    main()
