"""Signing failures. Both are server-side problems, never caused by a user's input."""

from __future__ import annotations

from service.errors import TalapError


class SigningKeyError(TalapError):
    """The configured PKCS#12 cannot be used (missing, wrong passphrase, no RSA/EC key …)."""

    status = 500
    code = "signing_key_error"


class SigningFailed(TalapError):
    """pyHanko could not sign a PDF we produced ourselves."""

    status = 500
    code = "signing_failed"
