"""Signing adapter: PAdES B-B signatures from a PKCS#12 key, offline verification.

Public API::

    Signer                      the Protocol the issuing pipeline depends on
    Pkcs12Signer.load(path, passphrase) -> Pkcs12Signer   (cached key, reserved size)
    SignaturePolicy             frozen parameters of the signatures we produce
    ensure_development_key(directory) -> DevelopmentKey(path, passphrase)
    in_memory_signer() -> Pkcs12Signer  (the double for fast tests: a key only in memory)
    verify_pdf(pdf, trust_roots=[der, …]) -> SignatureReport   (never raises)
    Signer.sign_data(data) -> bytes; verify_data(certificate_der, data, signature) -> problem | None
"""

from service.signing.base import Signer
from service.signing.data import algorithm_of, issued_by_any, verify_data
from service.signing.devkey import (
    DEVELOPMENT_MARKER,
    DevelopmentKey,
    ensure_development_key,
    generate_development_pkcs12,
    is_development_subject,
)
from service.signing.errors import SigningFailed, SigningKeyError
from service.signing.memory import in_memory_signer
from service.signing.pkcs12 import Pkcs12Signer, SignaturePolicy
from service.signing.verify import Coverage, SignatureReport, unsigned_report, verify_pdf

__all__ = [
    "DEVELOPMENT_MARKER",
    "Coverage",
    "DevelopmentKey",
    "Pkcs12Signer",
    "SignaturePolicy",
    "SignatureReport",
    "Signer",
    "SigningFailed",
    "SigningKeyError",
    "algorithm_of",
    "ensure_development_key",
    "generate_development_pkcs12",
    "in_memory_signer",
    "is_development_subject",
    "issued_by_any",
    "unsigned_report",
    "verify_data",
    "verify_pdf",
]
