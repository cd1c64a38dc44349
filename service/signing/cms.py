"""Check a detached CMS (CAdES) signature over some bytes offline: what an ASiC-E container's
``META-INF/signature.p7s`` is over its manifest. Never raises for what it is handed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from service.signing.devkey import is_development_subject


@dataclass(frozen=True)
class DetachedReport:
    """``intact``: the digest in the signature is the data's; ``valid``: the signature value
    verifies; ``trusted``: the signer chains to a given root."""

    intact: bool
    valid: bool
    trusted: bool
    signer_subject: str | None
    development_key: bool
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.problems


def verify_detached(data: bytes, signature: bytes, *, trust_roots: list[bytes]) -> DetachedReport:
    """Validate the DER CMS ``signature`` as a detached signature over ``data``."""
    try:
        signed_data = cms.ContentInfo.load(signature)["content"]
        _ = signed_data.native  # parse it all now: a damaged container fails here, not later
        roots = [asn1_x509.Certificate.load(der) for der in trust_roots]
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = asyncio.run(
            async_validate_detached_cms(data, signed_data, signer_validation_context=context)
        )
    except Exception as error:  # damaged CMS or a pyHanko error: "cannot be validated"
        text = str(error).strip() or type(error).__name__
        return DetachedReport(False, False, False, None, False, (f"cannot validate: {text}",))
    intact, valid = bool(status.intact), bool(status.valid)
    trusted = bool(status.trusted) and intact and valid
    problems = []
    if not intact:
        problems.append("the signed data was changed: its digest does not match the signature")
    elif not valid:
        problems.append("the signature value does not verify against the signer certificate")
    elif not trusted:
        problems.append("the signer certificate does not chain to a trusted root")
    try:
        certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
        subject: str | None = certificate.subject.rfc4514_string()
    except Exception:  # a certificate without a readable subject: report without one
        subject = None
    return DetachedReport(
        intact,
        valid,
        trusted,
        subject,
        subject is not None and is_development_subject(subject),
        tuple(problems),
    )
