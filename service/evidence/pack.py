"""What an evidence pack holds (issue 11 scope 2): a case's documents and delivery proofs with
their archived bytes, the checks each passed, the chronology and the readiness for a route.

Plain frozen data, collected once (``evidence.service.collect_pack``) and laid out three ways:
a signed PDF/A-3 with every file embedded (``pack_pdf``), an ASiC-E container (``asic``) and a
court-upload set (``court``). Nothing here reads the database or a framework.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from service.kernel.route import Route
from service.kernel.text import Localized, Message

Relationship = Literal["Source", "Supplement", "Data"]
"""PDF/A-3 ``/AFRelationship`` of an associated file: an issued document is a ``Source`` of the
pack, a delivery proof a ``Supplement``, the manifest ``Data``."""


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_stem(name: str) -> str:
    """A file name every reader and ZIP tool accepts: ASCII letters, digits, ``._-``; the
    extension kept (``квитанция.pdf`` → ``file.pdf``)."""
    base = name.rsplit("/", 1)[-1]
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    clean = _UNSAFE.sub("_", stem).strip("._")[:90] or "file"
    suffix = _UNSAFE.sub("", extension)[:8]
    return f"{clean}.{suffix}" if suffix else clean


class Format(StrEnum):
    PDF = "pdf"
    ZIP = "zip"
    COURT = "court"


@dataclass(frozen=True)
class PackFile:
    """A file carried unchanged: its path in the pack (``documents/…``, ``proofs/…``)."""

    name: str
    data: bytes = field(repr=False)
    mime_type: str
    relationship: Relationship
    description: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def base_name(self) -> str:
        return self.name.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class FileCheck:
    """A file re-checked: its archived bytes against the recorded SHA-256 and, for a signed
    PDF, its signature (pyHanko, offline, against our own and the configured roots)."""

    recorded_sha256: str
    actual_sha256: str | None
    """``None``: the archive has no such object."""
    signature_checked: bool = False
    signature_ok: bool = False
    signer_subject: str | None = None
    signing_time: dt.datetime | None = None
    development_key: bool = False
    problems: tuple[str, ...] = ()

    @property
    def hash_ok(self) -> bool:
        return self.actual_sha256 == self.recorded_sha256

    @property
    def ok(self) -> bool:
        return self.hash_ok and (self.signature_ok or not self.signature_checked)


@dataclass(frozen=True)
class ProofEntry:
    filename: str
    content_type: str
    sha256: str
    size: int
    check: FileCheck
    file: PackFile | None
    """``None`` when the archive lost it (the check says so)."""


@dataclass(frozen=True)
class DeliveryEntry:
    id: str
    document_id: str
    channel: str
    status: str
    """The outcome the delivery records (``delivered``, ``returned`` …)."""
    delivered_at: dt.date | None
    tracking_number: str | None
    recorded_at: dt.datetime
    proofs: tuple[ProofEntry, ...] = ()
    events: tuple[tuple[dt.datetime, str], ...] = ()
    """(occurred at, status) of each delivery event, where the delivery model keeps them."""


@dataclass(frozen=True)
class DocumentEntry:
    id: str
    number: str
    kind: str
    language: str
    issue_date: dt.date
    deadline: dt.date | None
    route: str | None
    template_version: str
    sha256: str
    size: int
    provisions: tuple[str, ...]
    """What its text cites (the kind's citations for its route and the creditor's form)."""
    check: FileCheck
    file: PackFile | None
    deliveries: tuple[DeliveryEntry, ...] = ()


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    DOCUMENT = "document"
    DELIVERY = "delivery"
    AGREEMENT = "agreement"
    ACKNOWLEDGMENT = "acknowledgment"
    LOG = "log"
    """The creditor's case log: calls, visits, promises to pay, hardship, the debtor's requests."""


@dataclass(frozen=True)
class ChronologyEntry:
    on: dt.date
    kind: EntryKind
    text: Localized
    """What happened, in Kazakh and Russian (no amount, no number: those are columns)."""
    amount: Decimal | None = None
    reference: str = ""
    """A number, a tracking number, a payment reference."""
    sha256: str = ""
    """The hash of the file it is about (a document, a proof)."""


class Readiness(StrEnum):
    OK = "ok"
    MISSING = "missing"
    """Something the route needs is not there: the list of what to get."""
    REVIEW = "review"
    """Present, but a lawyer must look (left out, flagged, unclear law)."""


@dataclass(frozen=True)
class Check:
    code: str
    status: Readiness
    provisions: tuple[str, ...]
    message: Message


@dataclass(frozen=True)
class Provision:
    """A provision the pack cites, as the registry words it on the pack's date."""

    id: str
    cite: Localized
    summary: Localized


@dataclass(frozen=True)
class Party:
    name: Localized
    identifier: str | None
    """БИН of the creditor, ИИН of the debtor (when the client sent it)."""
    address: Localized | None


@dataclass(frozen=True)
class DebtFigures:
    charged: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal
    past_gate: Decimal
    penalty: Decimal
    claim_principal: Decimal
    claim_penalty: Decimal

    @property
    def claim_total(self) -> Decimal:
        return self.claim_principal + self.claim_penalty


@dataclass(frozen=True)
class AuditEntry:
    """One audit event about the case (id, hash) and, once proofs exist, its inclusion proof."""

    id: int
    at: dt.datetime
    action: str
    subject: str
    hash: str
    inclusion: dict[str, object] | None = None


@dataclass(frozen=True)
class EvidencePack:
    case: str
    route: Route
    as_of: dt.date
    created_at: dt.datetime
    creditor: Party
    debtor: Party
    unit: Localized
    debt: DebtFigures
    basis: tuple[Provision, ...]
    chronology: tuple[ChronologyEntry, ...]
    readiness: tuple[Check, ...]
    documents: tuple[DocumentEntry, ...]
    audit: tuple[AuditEntry, ...]
    chain_problems: tuple[str, ...]
    checkpoint: dict[str, object] | None = None
    """The latest signed audit checkpoint (tree size, root, time, signature), when there is one."""

    def files(self) -> Iterator[PackFile]:
        """Every file carried unchanged, documents first, each followed by its proofs."""
        for document in self.documents:
            if document.file is not None:
                yield document.file
            for delivery in document.deliveries:
                for proof in delivery.proofs:
                    if proof.file is not None:
                        yield proof.file

    @property
    def valid(self) -> bool:
        """Every document and proof checks out and the audit chain is unbroken."""
        checks = [d.check for d in self.documents] + [
            p.check for d in self.documents for v in d.deliveries for p in v.proofs
        ]
        return all(c.ok for c in checks) and not self.chain_problems

    @property
    def missing(self) -> tuple[Check, ...]:
        return tuple(c for c in self.readiness if c.status is Readiness.MISSING)
