"""What a verification finds: the archived bytes against their hash, the signature, the chain."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from service.archive import ArchiveCheck
from service.kernel.text import Localized
from service.signing import SignatureReport, unsigned_report


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    report: SignatureReport

    @classmethod
    def of(cls, report: SignatureReport) -> SignatureCheck:
        ok = report.signed and report.intact and report.valid and report.trusted
        return cls(ok and not report.modified_after_signing, report)

    @classmethod
    def missing(cls) -> SignatureCheck:
        return cls(False, unsigned_report("the archived file is missing"))

    @property
    def signing_time(self) -> dt.datetime | None:
        return self.report.signing_time


@dataclass(frozen=True)
class DocumentVerification:
    """A recorded document re-checked: its archived bytes, its signature, its creditor's chain."""

    document_id: str
    number: str
    sha256: str
    archive: ArchiveCheck
    signature: SignatureCheck
    chain_problems: tuple[str, ...]
    template_version: str = ""
    """The template version the document was rendered with (as recorded when it was issued)."""

    @property
    def valid(self) -> bool:
        return self.archive.ok and self.signature.ok and not self.chain_problems


@dataclass(frozen=True)
class FileVerification:
    """A PDF someone holds: is it one of ours, unaltered, with a valid signature?"""

    sha256: str
    documents: tuple[tuple[str, str], ...]
    """(id, number) of every issued document with these exact bytes."""
    signature: SignatureCheck
    template_versions: tuple[str, ...] = ()
    """The template version of each of ``documents``, in the same order."""

    @property
    def known(self) -> bool:
        return bool(self.documents)

    @property
    def valid(self) -> bool:
        return self.known and self.signature.ok


TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
"""``secrets.token_urlsafe(24)``: what issuing and migration 0006 store, and nothing else."""
"""What a public verification token looks like (``secrets.token_urlsafe``); anything else is
answered as unknown without a query."""


@dataclass(frozen=True)
class PublicCheck:
    """What the public verification page shows (finding #19): whether the document is valid
    and which document it is — number, date, kind, creditor, SHA-256 — and nothing about the
    debtor. Valid: the archived bytes still hash to the recorded SHA-256 and the signature is
    intact, valid and trusted, with nothing added after signing (e-doc law art. 10 p. 1: a
    signature counts only if it verifies). ``document_id`` is for the log, never shown."""

    document_id: str
    number: str
    issue_date: dt.date
    kind: str
    creditor: Localized
    sha256: str
    archive: ArchiveCheck
    signature: SignatureCheck
    template_version: str = ""
    """Which wording: the template version it was rendered with."""

    @property
    def valid(self) -> bool:
        return self.archive.ok and self.signature.ok

    @property
    def development_key(self) -> bool:
        """Signed with the development key: a test signature, not a qualified ЭЦП."""
        return self.signature.report.development_key


@dataclass(frozen=True)
class UploadCheck:
    """A PDF someone holds, compared byte for byte (by SHA-256) with the archived original."""

    sha256: str
    """Of the uploaded bytes."""
    expected: str
    """Of the archived original, as recorded at issue."""
    size: int

    @property
    def matches(self) -> bool:
        return self.sha256 == self.expected
