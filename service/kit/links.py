"""Where a document can be fetched and verified: the URLs in responses and in the QR code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Links:
    public_url: str
    """Base URL clients reach the service at (``TALAP_PUBLIC_URL``)."""

    def document(self, document_id: str) -> str:
        return f"{self.public_url.rstrip('/')}/v1/documents/{document_id}"

    def pdf(self, document_id: str) -> str:
        return f"{self.document(document_id)}/pdf"

    def verify(self, document_id: str) -> str:
        return f"{self.document(document_id)}/verify"
