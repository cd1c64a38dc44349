"""Proof files as received: what they are by their bytes, a safe name, the limits. Pure.

A proof (a scanned return receipt, a signed acknowledgment, a photo, a receipt notice e-mail) is
kept as evidence, so its type is read from its content — the client's ``Content-Type`` is not
trusted — and only kinds an auditor can open are accepted: PDF, JPEG, PNG, TIFF and an e-mail
message (``message/rfc822``, e.g. a delivery receipt notice).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from service.errors import FieldError, TooLarge, ValidationFailed

MAX_PROOF_BYTES = 20 * 1024 * 1024
"""Largest proof file (20 MiB, as before)."""
MAX_PROOFS = 10
"""Most proof files in one request."""
MAX_UPLOAD_BYTES = (MAX_PROOFS + 1) * MAX_PROOF_BYTES + 1024 * 1024
"""A request body larger than every allowed file together (and a form's fields) is refused
before it is read: the one limit of both upload endpoints (an event's, a return receipt's)."""
MAX_NAME = 120
ACCEPTED = ("application/pdf", "image/jpeg", "image/png", "image/tiff", "message/rfc822")

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_HEADER = re.compile(rb"^[!-9;-~]+:")
_MAIL_FIELDS = {b"from", b"received", b"return-path", b"message-id", b"date", b"to", b"subject"}


@dataclass(frozen=True)
class ProofFile:
    filename: str
    content_type: str
    """As the client declared it; not trusted (``sniff`` decides)."""
    data: bytes


def sniff(data: bytes) -> str | None:
    """The media type the bytes are, among ``ACCEPTED``; ``None`` for anything else."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    return "message/rfc822" if _is_mail(data) else None


def _is_mail(data: bytes) -> bool:
    """An Internet message: a header block of ``Name: value`` fields (folded lines allowed), at
    least two of them the usual ones (From, Date, Received …), then an empty line."""
    head, sep, _ = data[:65536].replace(b"\r\n", b"\n").partition(b"\n\n")
    if not sep:
        return False
    names: set[bytes] = set()
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and names:
            continue
        if not _HEADER.match(line):
            return False
        names.add(line.split(b":", 1)[0].strip().lower())
    return len(names & _MAIL_FIELDS) >= 2


def safe_name(filename: str, fallback: str = "proof") -> str:
    """The base name only (no directories, either slash), printable, no leading dots, at most
    ``MAX_NAME`` characters; ``fallback`` if nothing is left."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    kept = "".join(
        c if (c.isalnum() or c in "._-() ") else "_"
        for c in base
        if unicodedata.category(c)[0] != "C"
    )
    kept = re.sub(r"_+", "_", kept).strip(" ._")
    if len(kept) > MAX_NAME:
        stem, dot, ext = kept.rpartition(".")
        kept = (
            stem[: MAX_NAME - len(ext) - 1] + "." + ext
            if dot and 0 < len(ext) <= 10
            else kept[:MAX_NAME]
        )
    return kept or fallback


class ProofTooLarge(TooLarge):
    """A proof file over ``MAX_PROOF_BYTES`` (413, naming the file and the limit)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(MAX_PROOF_BYTES)
        self.message = "; ".join(e.message for e in errors)
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {
            "error": {"code": self.code, "message": self.message},
            "errors": [e.as_dict() for e in self.errors],
            "violations": [],
        }


def too_large(path: str, filename: str) -> FieldError:
    return FieldError(
        path,
        "too_large",
        f"{safe_name(filename)} is over the limit of {MAX_PROOF_BYTES} bytes (20 MiB)",
    )


def check_proofs(proofs: list[ProofFile], field: str = "proof") -> None:
    """Refuse, all at once, proofs over the count cap, over the size limit, or of a kind the
    bytes do not show to be PDF, JPEG, PNG, TIFF or an e-mail message."""
    if len(proofs) > MAX_PROOFS:
        raise ValidationFailed(
            [FieldError(field, "too_many", f"at most {MAX_PROOFS} proof files in one request")]
        )
    large = [
        too_large(f"{field}.{i}", p.filename)
        for i, p in enumerate(proofs)
        if len(p.data) > MAX_PROOF_BYTES
    ]
    if large:
        raise ProofTooLarge(large)
    kinds = ", ".join(ACCEPTED)
    wrong = [
        FieldError(
            f"{field}.{i}",
            "unsupported_type",
            f"{safe_name(p.filename)} is not one of {kinds} by its content "
            f"(declared {p.content_type})",
        )
        for i, p in enumerate(proofs)
        if sniff(p.data) is None
    ]
    if wrong:
        raise ValidationFailed(wrong)
