"""Sign and verify the sample reminder (PDF/A) N times and print p50/p99 latency.

    .venv/bin/python -m bench.bench_sign [N] [--threads T] [--archive] [--baseline]

Uses the production code path: ``Pkcs12Signer`` (parsed key cached, ``bytes_reserved`` computed
from the chain, research perf.md S1) with a development key generated in a temporary directory,
and ``verify_pdf`` with that key as the trust root and no network. ``--archive`` also times a
write-once ``LocalArchive.put`` (fsync included) and ``verify`` of every signed PDF. The first
signature and verification (imports, key parsing) are timed apart as the cold start.
``--baseline`` also times pyHanko's stock path (``SimpleSigner.load_pkcs12``, no
``bytes_reserved``) on the same key, to show what the cache and the reservation save.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.archive import LocalArchive
from service.bundled import bundled_dir
from service.demo.samples import sample_facts
from service.documents.present import present
from service.law.loader import load_law
from service.rendering.base import TemplateRef
from service.rendering.typst import TypstRenderer
from service.signing import Pkcs12Signer, ensure_development_key, verify_pdf


def sample_pdf() -> bytes:
    """The sample reminder (kk), rendered as issuing renders it: what is really signed."""
    facts = sample_facts(load_law(bundled_dir("legal")), "reminder", "kk")
    renderer = TypstRenderer(bundled_dir("templates"))
    template = TemplateRef(facts.kind, facts.language)
    return renderer.render(template, present(facts), created=facts.issue_date)


def timed(function: Callable[[int], object], n: int, threads: int) -> tuple[list[float], float]:
    def one(i: int) -> float:
        started = time.perf_counter()
        function(i)
        return (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    if threads == 1:
        samples = [one(i) for i in range(n)]
    else:
        with ThreadPoolExecutor(threads) as pool:
            samples = list(pool.map(one, range(n)))
    return samples, time.perf_counter() - started


def stock_signer(path: Path, passphrase: bytes, pdf: bytes) -> Callable[[int], object]:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    load = signers.SimpleSigner.load_pkcs12
    stock = load(str(path), passphrase=passphrase)  # type: ignore[no-untyped-call]
    metadata = signers.PdfSignatureMetadata(
        field_name="Bench", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )

    def sign(_: int) -> object:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        return signers.PdfSigner(metadata, signer=stock).sign_pdf(writer)

    return sign


def report(name: str, samples: list[float], wall: float) -> None:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(
        f"{name:<16} n={len(samples):<5} p50 {statistics.median(ordered):6.1f} ms   "
        f"p99 {p99:6.1f} ms   max {ordered[-1]:6.1f} ms   {len(samples) / wall:7.1f} ops/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--archive", action="store_true")
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        pdf = sample_pdf()
        started = time.perf_counter()
        key = ensure_development_key(directory / "keys")
        generated = time.perf_counter() - started
        started = time.perf_counter()
        signer = Pkcs12Signer.load(key.path, key.passphrase)
        signed = signer.sign(pdf, reason="bench", location="Astana")
        cold_sign = time.perf_counter() - started
        roots = [signer.certificate_der]
        started = time.perf_counter()
        assert verify_pdf(signed, trust_roots=roots).ok
        cold_verify = time.perf_counter() - started
        print(
            f"sample reminder PDF/A {len(pdf)} B, signed {len(signed)} B "
            f"(+{len(signed) - len(pdf)} B, /Contents reserve {signer.bytes_reserved} hex); "
            f"threads={args.threads}"
        )
        print(
            f"cold: key generation {generated * 1000:.0f} ms, load+first sign "
            f"{cold_sign * 1000:.0f} ms, first verify {cold_verify * 1000:.0f} ms"
        )

        outputs: dict[int, bytes] = {}

        def sign(i: int) -> None:
            outputs[i] = signer.sign(pdf, reason=f"bench № {i}", location="Astana")

        def verify(i: int) -> None:
            if not verify_pdf(outputs[i], trust_roots=roots).ok:
                raise SystemExit(f"signature {i} did not verify")

        if args.baseline:
            report("sign (stock)", *timed(stock_signer(key.path, key.passphrase, pdf), args.n, 1))
        report("sign", *timed(sign, args.n, args.threads))
        report("verify", *timed(verify, args.n, args.threads))
        if args.archive:
            archive = LocalArchive(directory / "archive")
            stored = {}

            def put(i: int) -> None:
                stored[i] = archive.put(outputs[i]).sha256

            def check(i: int) -> None:
                if not archive.verify(stored[i]).ok:
                    raise SystemExit(f"archived object {i} does not verify")

            report("archive put", *timed(put, args.n, args.threads))
            report("archive verify", *timed(check, args.n, args.threads))


if __name__ == "__main__":
    main()
