"""Check a PDF's signature offline and say, in words, what is wrong with it.

``verify_pdf`` never raises for what it is handed: garbage, truncated files, damaged signature
containers all become a ``SignatureReport`` with ``problems``. (pyHanko raises a zoo of exception
types for malformed input, even ``AttributeError``; each stage is guarded separately so the message
says which stage failed.) No network: ``allow_fetching=False``; revocation is not checked (B-B).

Strictness: a Talap document is signed once and then never changed (delivery proofs are kept beside
it, research perf.md S2), so *any* byte after the signed range counts as modified after signing,
even where pyHanko's diff policy would tolerate the update. When B-LT/B-LTA upgrades arrive, the
DSS/timestamp revisions they add must be allowed here explicitly.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from service.signing.devkey import is_development_subject


class Coverage(StrEnum):
    """How much of the file the signature's byte range covers."""

    ENTIRE_FILE = "entire_file"
    """Every byte except the signature value itself: nothing was added after signing."""
    ENTIRE_REVISION = "entire_revision"
    """The signed revision is whole, but bytes (an incremental update or junk) follow it."""
    PARTIAL = "partial"
    """Only part of the signed revision is covered: a malformed or manipulated byte range."""


@dataclass(frozen=True)
class SignatureReport:
    """What an offline check of a PDF's signature found. ``problems`` is empty when all is well."""

    signed: bool
    """The PDF carries at least one signature (which may still be broken)."""
    intact: bool
    """The digest of the signed byte range matches the one in the signature (bytes unchanged)."""
    valid: bool
    """The signature value verifies against the signer certificate's public key."""
    trusted: bool
    """The signer certificate chains to one of the given trust roots (checked only if valid)."""
    coverage: Coverage | None
    """How much of the file is signed; None when there is no readable signature."""
    modified_after_signing: bool
    """Bytes follow the signed range (incremental update, appended data)."""
    signer_subject: str | None
    """The signer certificate's subject, RFC 4514 (``CN=…,O=…``), as ``Signer.subject``."""
    signing_time: dt.datetime | None
    """The signing time the signer claims (not a trusted timestamp: this is B-B)."""
    development_key: bool
    """Signed with a Talap development key: no legal value, whatever else holds."""
    problems: tuple[str, ...] = field(default_factory=tuple)
    """Precise human messages, one per problem found."""

    @property
    def ok(self) -> bool:
        """Signed, intact, valid, trusted and not modified after signing."""
        return (
            self.signed
            and self.intact
            and self.valid
            and self.trusted
            and not self.modified_after_signing
            and not self.problems
        )


def verify_pdf(pdf: bytes, *, trust_roots: list[bytes]) -> SignatureReport:
    """Validate every signature in ``pdf`` against ``trust_roots`` (DER certificates).

    With several signatures the booleans hold only if they hold for all; subject, time and
    coverage describe the first (the document's own) signature.
    """
    if b"%PDF-" not in pdf[:1024]:  # where readers look for the header (ISO 32000 annex)
        head = "it is empty" if not pdf else "it does not start with %PDF-"
        return unsigned_report(f"the file is not a PDF: {head}")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # malformed input: any pyHanko error is "cannot be parsed"
        return unsigned_report(f"the PDF cannot be parsed (damaged or truncated?): {_say(error)}")
    if not signatures:
        return unsigned_report("the PDF has no signature")
    try:
        roots = [asn1_x509.Certificate.load(der) for der in trust_roots]
        context_kwargs: dict[str, Any] = {"trust_roots": roots, "allow_fetching": False}
    except Exception as error:  # a broken configured root is our problem, not the PDF's
        return unsigned_report(f"a configured trust root cannot be read: {_say(error)}")
    reports = [
        _check_one(sig, index, len(pdf), ValidationContext(**context_kwargs))
        for index, sig in enumerate(signatures, start=1)
    ]
    first = reports[0]
    problems = tuple(p for r in reports for p in r.problems)
    return SignatureReport(
        signed=all(r.signed for r in reports),
        intact=all(r.intact for r in reports),
        valid=all(r.valid for r in reports),
        trusted=all(r.trusted for r in reports),
        coverage=first.coverage,
        modified_after_signing=any(r.modified_after_signing for r in reports),
        signer_subject=first.signer_subject,
        signing_time=first.signing_time,
        development_key=any(r.development_key for r in reports),
        problems=problems,
    )


def _check_one(sig: Any, index: int, file_size: int, context: ValidationContext) -> SignatureReport:
    label = "the signature" if index == 1 else f"signature {index}"
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as error:  # damaged CMS container, unknown SubFilter, pyHanko bugs
        return unsigned_report(
            f"{label} cannot be validated: its signature container (/Contents) is damaged "
            f"or unsupported: {_say(error)}",
            signed=True,
        )
    problems: list[str] = []
    subject = _subject(status)
    intact, valid = bool(status.intact), bool(status.valid)
    trusted = bool(status.trusted) and intact and valid
    if not intact:
        problems.append(
            f"the signed bytes were changed after signing: the document digest does not "
            f"match {label}"
        )
    elif not valid:
        problems.append(
            f"{label} is broken: its value does not verify against the signer certificate "
            "(the signature container was altered)"
        )
    elif not trusted:
        reason = f" ({status.trust_problem_indic})" if status.trust_problem_indic else ""
        problems.append(f"the signer certificate does not chain to a trusted root{reason}")
    coverage = _coverage(status.coverage)
    signed_end = _signed_end(sig)
    modified = coverage is not Coverage.ENTIRE_FILE
    if coverage is Coverage.PARTIAL:
        problems.append(f"{label} does not cover its whole revision: the byte range is malformed")
    elif modified:
        extra = f"{file_size - signed_end} bytes follow" if signed_end else "bytes follow"
        judgement = _modification(status)
        problems.append(
            "bytes were appended after the signature (incremental update): "
            f"{label} covers the first {signed_end} of {file_size} bytes; {extra}{judgement}"
        )
    return SignatureReport(
        signed=True,
        intact=intact,
        valid=valid,
        trusted=trusted,
        coverage=coverage,
        modified_after_signing=modified,
        signer_subject=subject,
        signing_time=status.signer_reported_dt,
        development_key=subject is not None and is_development_subject(subject),
        problems=tuple(problems),
    )


def unsigned_report(problem: str, *, signed: bool = False) -> SignatureReport:
    """A report of no usable signature, with the reason."""
    return SignatureReport(
        signed=signed,
        intact=False,
        valid=False,
        trusted=False,
        coverage=None,
        modified_after_signing=False,
        signer_subject=None,
        signing_time=None,
        development_key=False,
        problems=(problem,),
    )


def _coverage(level: SignatureCoverageLevel | None) -> Coverage:
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return Coverage.ENTIRE_FILE
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        return Coverage.ENTIRE_REVISION
    return Coverage.PARTIAL


def _signed_end(sig: Any) -> int:
    try:
        byte_range = [int(x) for x in sig.sig_object["/ByteRange"]]
        return byte_range[2] + byte_range[3]
    except Exception:  # only used to word a message
        return 0


def _modification(status: Any) -> str:
    try:
        level = status.modification_level
    except Exception:  # only used to word a message
        return ""
    if level is None:
        return ""
    return f" (pyHanko's diff analysis: {level.name.lower().replace('_', ' ')})"


def _subject(status: Any) -> str | None:
    try:
        certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
        return certificate.subject.rfc4514_string()
    except Exception:  # a certificate without a readable subject: report without one
        return None


def _say(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "…"
