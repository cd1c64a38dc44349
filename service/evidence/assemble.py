"""The pack put together from what the case, the claim and the checks found (pure), and the
re-check of one archived file: its bytes against the recorded SHA-256 and, for a signed PDF, its
signature (pyHanko, offline)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from service.agreements.restructuring import Agreement, AgreementStatus
from service.archive import Archive
from service.audit.chain import ChainEntry
from service.cases.case import CaseDebt, DebtCase
from service.claims.claim import Claim
from service.creditors.creditor import Creditor
from service.documents.kinds.spec import PERSONAL_DATA
from service.documents.wording import unit_label
from service.errors import NotFound
from service.evidence.checks import SignatureCheck
from service.evidence.chronology import LogNote, chronology
from service.evidence.pack import (
    AuditEntry,
    Check,
    DebtFigures,
    DocumentEntry,
    EvidencePack,
    FileCheck,
    Party,
    Provision,
)
from service.kernel.route import Route
from service.kernel.text import Localized
from service.law.context import LawContext
from service.rules.history import CaseHistory
from service.signing import verify_pdf

NOT_BASIS = frozenset({*PERSONAL_DATA, "housing-51-1-p5-12"})
"""What the pre-court letter cites for the debtor's rights, not as the basis of the claim."""


@dataclass(frozen=True)
class Assembly:
    case: DebtCase
    creditor: Creditor
    debt: CaseDebt
    history: CaseHistory
    claim: Claim
    agreements: Sequence[tuple[Agreement, AgreementStatus]]
    entries: Sequence[ChainEntry]
    chain_problems: Sequence[str]
    log: Sequence[LogNote] = ()


def assemble(
    found: Assembly,
    documents: tuple[DocumentEntry, ...],
    readiness: tuple[Check, ...],
    basis: tuple[Provision, ...],
    *,
    route: Route,
    created_at: dt.datetime,
) -> EvidencePack:
    case, creditor, debt, claim = found.case, found.creditor, found.debt, found.claim
    totals = debt.summary.totals
    subjects = {f"case:{case.external_id}", *(f"document:{d.id}" for d in documents)}
    return EvidencePack(
        case=case.external_id,
        route=route,
        as_of=debt.summary.as_of,
        created_at=created_at,
        creditor=Party(creditor.name, creditor.bin, creditor.address),
        debtor=Party(Localized.given(case.debtor.full_name), case.debtor.iin, case.debtor.postal()),
        unit=Localized(
            kk=unit_label(case.unit.type, case.unit.number, "kk"),
            ru=unit_label(case.unit.type, case.unit.number, "ru"),
        ),
        debt=DebtFigures(
            charged=totals.charged,
            paid=totals.paid,
            outstanding=totals.outstanding,
            overdue=totals.overdue,
            past_gate=totals.past_gate,
            penalty=debt.penalty.total,
            claim_principal=claim.principal,
            claim_penalty=claim.penalty.included,
        ),
        basis=basis,
        chronology=chronology(
            debt.summary.lines,
            case.payments,
            documents,
            found.agreements,
            found.history.all_acknowledgments(),
            found.log,
        ),
        readiness=readiness,
        documents=documents,
        audit=tuple(
            AuditEntry(e.id, e.occurred_at, e.action, e.subject, e.hash)
            for e in found.entries
            if e.subject in subjects
        ),
        chain_problems=tuple(found.chain_problems),
    )


def basis_of(law: LawContext, on: dt.date, cited: Sequence[str]) -> tuple[Provision, ...]:
    """The provisions ``cited`` (first mention order), as the registry words them on ``on``;
    the debtor's-rights citations left out."""
    found = []
    for pid in dict.fromkeys(cited):
        provision = law.provisions.get(pid)
        edition = provision.edition_on(on) if provision else None
        if pid in NOT_BASIS or provision is None or edition is None:
            continue
        found.append(Provision(pid, provision.citation(), Localized.given(edition.summary)))
    return tuple(found)


def check_file(
    archive: Archive, sha256: str, *, roots: list[bytes] | None
) -> tuple[bytes | None, FileCheck]:
    """The archived bytes (None if lost) and what re-hashing them finds; with ``roots`` (a
    signed PDF) also what validating its signature against them finds."""
    try:
        data = archive.get(sha256)
    except NotFound:
        return None, FileCheck(sha256, None, problems=("the archived file is missing",))
    actual = hashlib.sha256(data).hexdigest()
    problems = () if actual == sha256 else ("the archived bytes do not match the recorded hash",)
    if roots is None:
        return data, FileCheck(sha256, actual, problems=problems)
    report = verify_pdf(data, trust_roots=roots)
    return data, FileCheck(
        sha256,
        actual,
        signature_checked=True,
        signature_ok=SignatureCheck.of(report).ok,
        signer_subject=report.signer_subject,
        signing_time=report.signing_time,
        development_key=report.development_key,
        problems=(*problems, *report.problems),
    )
