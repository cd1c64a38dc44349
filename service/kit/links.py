"""Where a document can be fetched and verified: the URLs in responses and in the QR code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Links:
    public_url: str
    """Base URL clients reach the service at (``TALAP_PUBLIC_URL``)."""

    @property
    def _base(self) -> str:
        return self.public_url.rstrip("/")

    def document(self, document_id: str) -> str:
        return f"{self._base}/v1/documents/{document_id}"

    def pdf(self, document_id: str) -> str:
        return f"{self.document(document_id)}/pdf"

    def verify(self, document_id: str) -> str:
        """The keyed re-check for auditors (hash, signature and audit chain, JSON)."""
        return f"{self.document(document_id)}/verify"

    def public_verify(self, token: str) -> str:
        """The public verification page the QR code and the printed link lead to: no API key,
        no debtor data (finding #19)."""
        return f"{self._base}/verify/{token}"

    def public_verify_json(self, token: str) -> str:
        """The same check for machines, as JSON."""
        return f"{self._base}/v1/verify/{token}"

    def sms_callback(self, gateway: str) -> str:
        """Where the SMS gateway ``gateway`` posts its signed delivery reports."""
        return f"{self._base}/v1/deliveries/callbacks/{gateway}"
