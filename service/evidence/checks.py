"""What a verification finds: the archived bytes against their hash, the signature, the chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.archive import ArchiveCheck
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

    @property
    def known(self) -> bool:
        return bool(self.documents)

    @property
    def valid(self) -> bool:
        return self.known and self.signature.ok
