"""The signer double for fast tests: a real PAdES signer whose development key lives only in
memory (no files, no passphrase on disk). Its signatures verify against its own certificate."""

from __future__ import annotations

from service.signing.devkey import generate_development_pkcs12
from service.signing.pkcs12 import Pkcs12Signer

_PASSPHRASE = b"in-memory development key"


def in_memory_signer() -> Pkcs12Signer:
    """A freshly generated development key (RSA-2048, ≈ 100 ms), marked as development."""
    data = generate_development_pkcs12(_PASSPHRASE)
    return Pkcs12Signer.from_bytes(data, _PASSPHRASE, source="an in-memory development key")
