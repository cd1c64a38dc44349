"""PAdES B-B signatures with a key held in a PKCS#12 file (what NCA RK issues for RSA keys).

Performance (research perf.md, S1): pyHanko's ``SimpleSigner`` re-parses the private key on every
signature (≈ 38 ms for RSA-2048 with cryptography's key checks) and, without ``bytes_reserved``,
signs twice to estimate the signature size. ``Pkcs12Signer`` parses the key once and reserves a
size computed from the certificate chain, so a signature costs ≈ 16 ms instead of ≈ 100 ms.

Thread safety: each ``sign`` call builds its own writer and ``PdfSigner``; the shared pyHanko
signer object is only read (certificate, registry, mechanism) and cryptography's key objects are
safe to use from several threads. ``sign`` runs pyHanko's ``asyncio.run`` wrapper, so call it from
a worker thread, never from inside a running event loop.
"""

from __future__ import annotations

import asyncio
import io
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    pkcs12,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from service.signing.data import sign_with_key
from service.signing.devkey import is_development_subject
from service.signing.errors import SigningFailed, SigningKeyError
from service.signing.template import CmsTemplate, template_of

MINIMUM_RESERVATION = 8192
"""Hex digits reserved for the CMS at least (4 KiB of DER): one RSA-2048 certificate needs ~3.5k."""
CMS_OVERHEAD = 2048
"""DER bytes of a B-B CMS besides certificates and signature value: signed attributes (content type,
digest, signing certificate v2, algorithm protection), algorithm identifiers, envelope, slack."""


@dataclass(frozen=True)
class SignaturePolicy:
    """The legal-technical parameters of the signatures we produce."""

    md_algorithm: str = "sha256"
    """Digest for the document and the signed attributes."""
    subfilter: fields.SigSeedSubFilter = fields.SigSeedSubFilter.PADES
    """``/ETSI.CAdES.detached``: PAdES baseline, B-B without a timestamp."""
    field_name: str = "TalapSignature"
    """The (invisible) signature field created in the incremental update."""
    bytes_reserved: int | None = None
    """Hex digits for ``/Contents``; None computes it from the certificate chain at load time."""


@dataclass(frozen=True)
class _KeyMaterial:
    key: Any
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


class _CachedKeySigner(signers.SimpleSigner):
    """``SimpleSigner`` that keeps the parsed ``cryptography`` key instead of re-parsing it."""

    def __init__(self, material: _KeyMaterial) -> None:
        chain = [_to_asn1(c) for c in material.chain]
        registry = SimpleCertificateStore.from_certs(chain)  # type: ignore[no-untyped-call]
        der_key = material.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        super().__init__(
            signing_cert=_to_asn1(material.certificate),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=registry,
        )
        self._private_key = material.key
        self._templates: dict[str, CmsTemplate | None] = {}
        self._templates_lock = threading.Lock()

    async def async_sign(
        self,
        data_digest: bytes,
        digest_algorithm: str,
        dry_run: bool = False,
        use_pades: bool = False,
        timestamper: Any = None,
        signed_attr_settings: Any = None,
        is_pdf_sig: bool = True,
        encap_content_info: Any = None,
    ) -> Any:
        """The lean path (``signing.template``) for our plain PAdES signatures; pyHanko's own
        for anything else (a dry run, a timestamp, a revocation attribute, CAdES attributes)."""
        plain = (
            use_pades
            and is_pdf_sig
            and not dry_run
            and timestamper is None
            and encap_content_info is None
            and (
                signed_attr_settings is None
                or (
                    getattr(signed_attr_settings, "adobe_revinfo_attr", None) is None
                    and getattr(signed_attr_settings, "cades_signed_attrs", None) is None
                )
            )
        )
        template = await self._template(digest_algorithm) if plain else None
        if template is None:
            return await super().async_sign(
                data_digest,
                digest_algorithm,
                dry_run=dry_run,
                use_pades=use_pades,
                timestamper=timestamper,
                signed_attr_settings=signed_attr_settings,
                is_pdf_sig=is_pdf_sig,
                encap_content_info=encap_content_info,
            )
        return template.sign(data_digest, lambda data: self.sign_raw(data, digest_algorithm))

    async def _template(self, digest_algorithm: str) -> CmsTemplate | None:
        with self._templates_lock:
            if digest_algorithm in self._templates:
                return self._templates[digest_algorithm]
        template = None
        if isinstance(self._private_key, rsa.RSAPrivateKey):  # fixed-length, deterministic
            digest = secrets.token_bytes(get_pyca_cryptography_hash(digest_algorithm).digest_size)
            reference = await super().async_sign(
                digest, digest_algorithm, use_pades=True, is_pdf_sig=True
            )
            template = template_of(reference, digest)
        with self._templates_lock:
            self._templates[digest_algorithm] = template
        return template

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, rsa.RSAPrivateKey):
            signature: bytes = self._private_key.sign(data, PKCS1v15(), hash_algorithm)
            return signature
        if mechanism == "ecdsa" and isinstance(self._private_key, ec.EllipticCurvePrivateKey):
            signature = self._private_key.sign(data, ec.ECDSA(hash_algorithm))
            return signature
        parent: bytes = super().sign_raw(data, digest_algorithm)  # PSS, EdDSA …: the slow path
        return parent


class Pkcs12Signer:
    """Signs PDFs as PAdES B-B (SHA-256, incremental update) with one PKCS#12 key."""

    def __init__(self, material: _KeyMaterial, policy: SignaturePolicy | None = None) -> None:
        self._material = material
        self._signer = _CachedKeySigner(material)
        policy = policy or SignaturePolicy()
        self._policy = policy
        self._bytes_reserved = policy.bytes_reserved or reservation_for(material)
        self._subject = material.certificate.subject.rfc4514_string()
        self._certificate_der = material.certificate.public_bytes(Encoding.DER)

    @classmethod
    def load(
        cls, path: Path, passphrase: bytes | None, policy: SignaturePolicy | None = None
    ) -> Pkcs12Signer:
        """Read a PKCS#12 file; ``SigningKeyError`` names the file (never the passphrase)."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SigningKeyError(f"cannot read the signing key {path}: {error}") from error
        return cls.from_bytes(data, passphrase, policy=policy, source=str(path))

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        passphrase: bytes | None,
        *,
        policy: SignaturePolicy | None = None,
        source: str = "PKCS#12 data",
    ) -> Pkcs12Signer:
        try:
            key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase)
        except (ValueError, TypeError) as error:
            raise SigningKeyError(
                f"cannot open the signing key {source}: not PKCS#12 or wrong passphrase"
            ) from error
        if key is None or certificate is None:
            raise SigningKeyError(f"{source} holds no private key with its certificate")
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SigningKeyError(f"{source}: only RSA and EC keys are supported")
        if _spki(key.public_key()) != _spki(certificate.public_key()):
            raise SigningKeyError(f"{source}: the certificate does not belong to the key")
        return cls(_KeyMaterial(key, certificate, list(chain)), policy)

    @property
    def certificate_der(self) -> bytes:
        return self._certificate_der

    @property
    def subject(self) -> str:
        return self._subject

    @property
    def is_development(self) -> bool:
        return is_development_subject(self._subject)

    @property
    def bytes_reserved(self) -> int:
        """Hex digits reserved for the CMS signature container in ``/Contents``."""
        return self._bytes_reserved

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        metadata = signers.PdfSignatureMetadata(
            field_name=self._policy.field_name,
            md_algorithm=self._policy.md_algorithm,
            subfilter=self._policy.subfilter,
            reason=reason,
            location=location,
        )
        pdf_signer = signers.PdfSigner(metadata, signer=self._signer)
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            output = pdf_signer.sign_pdf(writer, bytes_reserved=self._bytes_reserved)
        except Exception as error:  # pyHanko raises many types; all mean "could not sign"
            raise SigningFailed(f"the PDF could not be signed: {error}") from error
        signed: bytes = output.getvalue()
        return signed

    def sign_data(self, data: bytes) -> bytes:
        return sign_with_key(self._material.key, data)

    def sign_detached(self, data: bytes) -> bytes:
        """CAdES-BES detached over ``data`` with pyHanko's general-data signing (signing-time,
        content type, message digest, signing certificate v2, algorithm protection)."""
        try:
            signed = asyncio.run(
                self._signer.async_sign_general_data(
                    data, self._policy.md_algorithm, detached=True, use_cades=True
                )
            )
        except Exception as error:  # pyHanko raises many types; all mean "could not sign"
            raise SigningFailed(f"the data could not be signed: {error}") from error
        der: bytes = signed.dump()
        return der


def reservation_for(material: _KeyMaterial) -> int:
    """Hex digits for ``/Contents``: twice the DER size of every embedded certificate, the
    signature value and the CMS overhead, rounded up to 1 KiB, at least ``MINIMUM_RESERVATION``."""
    certificates = [material.certificate, *material.chain]
    der = sum(len(c.public_bytes(Encoding.DER)) for c in certificates)
    key_size: int = material.key.key_size
    der += key_size // 8 * 2 + CMS_OVERHEAD
    hex_digits = 2 * der
    return max(MINIMUM_RESERVATION, -(-hex_digits // 1024) * 1024)


def _spki(public_key: Any) -> bytes:
    spki: bytes = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return spki


def _to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
