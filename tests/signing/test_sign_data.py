"""Bare signatures over bytes (what signs audit checkpoints): made with the key a ``Signer``
holds, checked with its certificate alone, RSA and EC."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12
from cryptography.x509.oid import NameOID

from service.bootstrap import LazySigner
from service.signing import (
    Pkcs12Signer,
    algorithm_of,
    in_memory_signer,
    issued_by_any,
    verify_data,
)

DATA = b"talap/audit/x\n3\nAAAA\n"


def _ec_signer() -> Pkcs12Signer:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EC test seal")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(b"ec", key, certificate, None, NoEncryption())
    return Pkcs12Signer.from_bytes(data, None)


def test_an_rsa_signature_verifies_with_the_certificate_alone() -> None:
    signer = in_memory_signer()
    signature = signer.sign_data(DATA)
    assert algorithm_of(signer.certificate_der) == "rsa-pkcs1v15-sha256"
    assert verify_data(signer.certificate_der, DATA, signature) is None
    assert verify_data(signer.certificate_der, DATA + b" ", signature) == (
        "the signature does not verify against the signer certificate"
    )
    other = in_memory_signer()
    assert verify_data(other.certificate_der, DATA, signature) is not None
    assert verify_data(b"not a certificate", DATA, signature) is not None
    assert LazySigner(lambda: signer).sign_data(DATA) == signature  # PKCS#1 v1.5: deterministic
    assert issued_by_any(signer.certificate_der, [signer.certificate_der])
    assert not issued_by_any(signer.certificate_der, [other.certificate_der])


def test_an_ec_signature_verifies_with_the_certificate_alone() -> None:
    signer = _ec_signer()
    signature = signer.sign_data(DATA)
    assert algorithm_of(signer.certificate_der) == "ecdsa-sha256"
    assert verify_data(signer.certificate_der, DATA, signature) is None
    assert verify_data(signer.certificate_der, b"other", signature) is not None
