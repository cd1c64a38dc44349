"""The development signing key: generated on first run, reused afterwards, marked as such.

Without a configured PKCS#12 the service still signs, so that the whole pipeline (sign →
archive → verify) runs on a laptop, but with a self-signed certificate whose subject says in words
that it is a development key. ``is_development_subject`` recognises that marker, so a PDF signed
with it is recognisably development-signed wherever it ends up, and production refuses to start
with it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID

from service.kit.files import write_file_atomically
from service.signing.errors import SigningKeyError

DEVELOPMENT_MARKER = "DEVELOPMENT KEY - NOT FOR LEGAL USE"
"""Put in the certificate's CN; its presence is what makes a key (and a signature) 'development'."""

DEVELOPMENT_COMMON_NAME = f"Talap {DEVELOPMENT_MARKER}"
DEVELOPMENT_ORGANIZATION = "Talap development"
KEY_FILE = "dev-signing.p12"
PASSPHRASE_FILE = "dev-signing.pass"
VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class DevelopmentKey:
    """Where the development PKCS#12 lives and how to open it."""

    path: Path
    """The PKCS#12 file (mode 0600)."""
    passphrase: bytes
    """Its passphrase, read from ``dev-signing.pass`` beside it."""


def is_development_subject(subject: str) -> bool:
    """Whether a certificate subject (any rendering) carries the development marker."""
    return DEVELOPMENT_MARKER.casefold() in subject.casefold()


def ensure_development_key(directory: Path) -> DevelopmentKey:
    """The development key in ``directory``, generated (once, atomically) if it does not exist.

    The passphrase is random and stored beside the key (0600) rather than a fixed well-known
    string: a fixed passphrase would sit in the source, get flagged by secret scanners and copied
    into real configuration, and a copied-away ``.p12`` alone would open for anyone. The honest
    protection of a development key is the file mode; the random passphrase just keeps the two
    files from being useful apart.

    Several processes (API workers) may start at once: an exclusive ``flock`` on a lock file in the
    directory makes exactly one of them generate the pair; the others then read it.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_path = directory / KEY_FILE
    pass_path = directory / PASSPHRASE_FILE
    with open(directory / ".dev-signing.lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            if key_path.exists():
                if not pass_path.exists():
                    raise SigningKeyError(
                        f"{key_path} exists but {pass_path} (its passphrase) is missing; "
                        "delete both to generate a new development key"
                    )
                return DevelopmentKey(key_path, pass_path.read_bytes().strip())
            passphrase = secrets.token_urlsafe(24).encode("ascii")
            # The passphrase first: a key file without it would be unusable.
            write_file_atomically(pass_path, passphrase + b"\n", mode=0o600)
            write_file_atomically(key_path, generate_development_pkcs12(passphrase), mode=0o600)
            return DevelopmentKey(key_path, passphrase)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def generate_development_pkcs12(passphrase: bytes) -> bytes:
    """A new self-signed RSA-2048 development key as PKCS#12 (also for tests: no file needed)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEVELOPMENT_ORGANIZATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    # Not the injected clock: certificate validity is wall-clock time, like pyHanko's signing time.
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        # Self-signed: it is its own trust root, so it may act as a CA for itself.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: pyHanko's validator requires it
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=b"talap-development",
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=BestAvailableEncryption(passphrase),
    )
