"""The signer seam: what the issuing pipeline needs from any signing backend."""

from __future__ import annotations

from typing import Protocol


class Signer(Protocol):
    """Signs a finished PDF/A as an incremental update (the rendered bytes stay untouched)."""

    @property
    def certificate_der(self) -> bytes:
        """The signer's certificate, DER-encoded (a trust root for self-signed keys)."""
        ...

    @property
    def subject(self) -> str:
        """The signer certificate's subject, RFC 4514 (``CN=…,O=…``)."""
        ...

    @property
    def is_development(self) -> bool:
        """True for a generated development key: its signatures have no legal value."""
        ...

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        """The signed PDF: ``pdf`` unchanged, followed by the signature revision."""
        ...

    def sign_data(self, data: bytes) -> bytes:
        """A bare signature over ``data`` with the same key (SHA-256; PKCS#1 v1.5 for RSA,
        ECDSA for EC): what ``signing.data.verify_data`` checks against the certificate."""
        ...

    def sign_detached(self, data: bytes) -> bytes:
        """A detached CMS signature (CAdES-BES: SHA-256, signing certificate v2) over ``data``,
        DER-encoded: what an ASiC-E container's ``META-INF/signature.p7s`` holds."""
        ...
