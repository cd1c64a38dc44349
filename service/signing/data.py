"""Bare signatures over bytes (not PDFs) with the service's key, and their check against a
certificate alone: what signs the audit log's checkpoints.

SHA-256 with PKCS#1 v1.5 for RSA keys (what NCA RK issues), ECDSA for EC keys; the algorithm
follows from the certificate's key, so a verifier needs the certificate, the data and the
signature, nothing else.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

RSA_ALGORITHM = "rsa-pkcs1v15-sha256"
EC_ALGORITHM = "ecdsa-sha256"


def sign_with_key(key: Any, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, PKCS1v15(), hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    raise TypeError("only RSA and EC keys sign")


def algorithm_of(certificate_der: bytes) -> str:
    """The algorithm a signature by this certificate's key uses (``RSA_ALGORITHM`` …)."""
    key = x509.load_der_x509_certificate(certificate_der).public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return RSA_ALGORITHM
    if isinstance(key, ec.EllipticCurvePublicKey):
        return EC_ALGORITHM
    raise ValueError("the certificate holds neither an RSA nor an EC key")


def verify_data(certificate_der: bytes, data: bytes, signature: bytes) -> str | None:
    """None when ``signature`` over ``data`` verifies with the certificate's key; otherwise
    what is wrong, in words (never raises for what it is handed)."""
    try:
        key = x509.load_der_x509_certificate(certificate_der).public_key()
    except ValueError as error:
        return f"the signer certificate cannot be read: {error}"
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            return "the signer certificate holds neither an RSA nor an EC key"
    except InvalidSignature:
        return "the signature does not verify against the signer certificate"
    return None


def issued_by_any(certificate_der: bytes, roots: list[bytes]) -> bool:
    """Whether the certificate is one of ``roots`` or directly issued by one of them."""
    if certificate_der in roots:
        return True
    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
    except ValueError:
        return False
    for der in roots:
        try:
            certificate.verify_directly_issued_by(x509.load_der_x509_certificate(der))
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False
