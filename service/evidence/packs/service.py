"""Collecting a case's evidence pack (issue 11 scope 2): everything it shows, read and
re-checked in the request's one transaction — the documents with their archived bytes, the
delivery attempts with their events, proof files and raw receipts, the claim and readiness for
the route, the creditor's audit chain, and the case's events with their inclusion proofs against
the latest signed checkpoint. Laid out by ``evidence.export``."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.orm import Session

from service.agreements.restructuring import assess as assess_agreement
from service.agreements.service import case_agreements
from service.archive import Archive
from service.audit import service as audit
from service.audit.chain import ChainEntry
from service.audit.events import DocumentIssued
from service.audit.tasks import checkpoint_round
from service.caselog import repository as caselog
from service.cases import repository as cases_repository
from service.claims.claim import case_claim
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal, Role
from service.creditors.creditor import Creditor
from service.deliveries import repository as deliveries_repository
from service.deliveries.models import DeliveryEventRow, DeliveryProofRow, DeliveryRow
from service.deliveries.proofs import sniff
from service.discounts import service as discounts
from service.documents import repository
from service.documents.kinds import KindRegistry
from service.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.evidence.assemble import Assembly, assemble, basis_of, check_file
from service.evidence.chronology import LogNote
from service.evidence.pack import (
    Check,
    DeliveryEntry,
    DocumentEntry,
    EvidencePack,
    PackFile,
    ProofEntry,
    safe_stem,
)
from service.evidence.packs import repository as packs_repository
from service.evidence.readiness import readiness
from service.evidence.service import Verifying
from service.kernel.route import Route
from service.kit.db import Database
from service.kit.logs import log_event
from service.law.context import LawContext
from service.signing import Signer

log = logging.getLogger("talap.evidence")

PACK_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM, Role.ADMIN})
"""Who may take a case's evidence out: the auditor, the system and the creditor's admin."""


@dataclass(frozen=True)
class Packing:
    """What collecting a pack uses: the verification ports, the law, the kinds, the clock."""

    verifying: Verifying
    law: LawContext
    kinds: KindRegistry
    clock: Clock


def pack_creditor(
    session: Session, caller: Principal | None, external_id: str, creditor_id: str | None
) -> str:
    """The creditor whose case ``external_id`` the pack is of: the key's; for the CLI (no key)
    the one given, or the only creditor with such a case."""
    if caller is not None:
        caller.require(Permission.READ)
        if caller.role not in PACK_ROLES:
            raise Forbidden(f"a {caller.role.value} key may not export an evidence pack")
        return caller.creditor()
    if creditor_id is not None:
        return creditor_id
    owners = packs_repository.creditors_with_case(session, external_id)
    if not owners:
        raise NotFound(f"case {external_id} not found")
    if len(owners) > 1:
        raise ValidationFailed(
            [FieldError("creditor", "ambiguous", "several creditors have this case: name one")]
        )
    return owners[0]


def collect_pack(
    session: Session,
    ports: Packing,
    caller: Principal | None,
    external_id: str,
    route: Route,
    *,
    creditor_id: str | None = None,
) -> EvidencePack:
    """Everything the pack shows, read and re-checked in the request's one transaction."""
    owner = pack_creditor(session, caller, external_id, creditor_id)
    case = cases_repository.load(session, owner, external_id)
    creditor = creditors.get(session, case.creditor_id)
    today = ports.clock.today()
    law = ports.law
    debt, history = discounts.assess_case(session, case, creditor, today, law)
    claim = case_claim(case, creditor, debt, history, route, law.calendar)
    entries, chain_problems = audit.chain_of(session, case.creditor_id)
    documents = _pack_documents(session, ports, case.id, creditor, entries)
    readiness_checks = readiness(
        route,
        claim,
        documents,
        without_basis=[c.value for c in case.contributions_without_basis()],
        debtor_iin=case.debtor.iin,
    )
    agreements = [
        (a, assess_agreement(a, today, law.calendar))
        for _, a in case_agreements(session, case.id, case.payments)
    ]
    pack = assemble(
        Assembly(
            case,
            creditor,
            debt,
            history,
            claim,
            agreements,
            entries,
            chain_problems,
            _log_notes(session, case.id),
        ),
        documents,
        readiness_checks,
        basis_of(law, today, _cited(ports, route, creditor, readiness_checks)),
        route=route,
        created_at=ports.clock.now(),
    )
    pack = _with_proofs(session, ports, pack, case.creditor_id, entries)
    log_event(
        log,
        "evidence_pack.collected",
        case=external_id,
        route=route.value,
        documents=len(documents),
        valid=pack.valid,
    )
    return pack


def _with_proofs(
    session: Session,
    ports: Packing,
    pack: EvidencePack,
    creditor_id: str,
    entries: list[ChainEntry],
) -> EvidencePack:
    """The latest signed checkpoint of the creditor's audit log, and each case event's inclusion
    proof against it, verified here from the event's own row (RFC 9162). An event newer than the
    checkpoint has none (the next checkpoint covers it); a proof or signature that does not
    verify is a problem of the pack."""
    checkpoint = audit.latest_checkpoint(session, creditor_id)
    if checkpoint is None:
        return pack
    problems = list(pack.chain_problems)
    signature = checkpoint.signature_problem(ports.verifying.roots([]))
    if signature:
        problems.append(f"checkpoint {checkpoint.id}: {signature}")
    covered = {e.id: e for e in entries[: checkpoint.tree_size]}
    proofs = audit.inclusion_proofs(
        session, creditor_id, [a.id for a in pack.audit if a.id in covered], checkpoint
    )
    events = []
    for event in pack.audit:
        proof = proofs.get(event.id)
        if proof is None:
            events.append(replace(event, inclusion={"covered": False}))
            continue
        leaf = audit.event_leaf_hash(covered[event.id])
        verified = audit.verify_inclusion(proof, leaf, checkpoint.root)
        if not verified:
            problems.append(f"audit event {event.id}: its inclusion proof does not verify")
        events.append(replace(event, inclusion={**proof.to_json(), "verified": verified}))
    return replace(
        pack,
        audit=tuple(events),
        checkpoint={**checkpoint.to_json(), "signature_ok": signature is None},
        chain_problems=tuple(problems),
    )


def _cited(
    ports: Packing, route: Route, creditor: Creditor, checks: tuple[Check, ...]
) -> list[str]:
    """The pre-court letter's citations for the route and every readiness check's."""
    spec = ports.kinds.get("pretrial")
    cited = list(spec.citations(route, creditor.form)) if spec else []
    return cited + [p for c in checks for p in c.provisions]


def _pack_documents(
    session: Session,
    ports: Packing,
    case_id: str,
    creditor: Creditor,
    entries: list[ChainEntry],
) -> tuple[DocumentEntry, ...]:
    rows = repository.of_case(session, case_id)
    issued = {
        e.subject: e.payload.get("sha256") for e in entries if e.action == DocumentIssued.action
    }
    deliveries = deliveries_repository.of_documents(session, [r.id for r in rows])
    proofs = deliveries_repository.proofs_of(session, [d.id for d in deliveries])
    events = deliveries_repository.events_of(session, [d.id for d in deliveries])
    archive = ports.verifying.archive
    found = []
    for index, row in enumerate(rows, start=1):
        stem = safe_stem(f"{index:02d}-{row.kind}-{row.number}")
        issued_by = [row.signer_certificate] if row.signer_certificate else []
        data, check = check_file(archive, row.sha256, roots=ports.verifying.roots(issued_by))
        if issued.get(f"document:{row.id}") != row.sha256:
            check = replace(
                check,
                problems=(*check.problems, "no DocumentIssued event records this document's hash"),
            )
        kind = ports.kinds.get(row.kind)
        route = Route(row.route) if row.route else None
        found.append(
            DocumentEntry(
                id=row.id,
                number=row.number,
                kind=row.kind,
                language=row.language,
                issue_date=row.issue_date,
                deadline=row.deadline,
                route=row.route,
                template_version=row.template_version,
                sha256=row.sha256,
                size=row.size,
                provisions=kind.citations(route, creditor.form) if kind else (),
                check=check,
                file=PackFile(
                    f"documents/{stem}.pdf",
                    data,
                    "application/pdf",
                    "Source",
                    f"{row.kind} {row.number} {row.issue_date.isoformat()}",
                )
                if data is not None
                else None,
                deliveries=tuple(
                    _delivery(archive, stem, n, d, proofs[d.id], events.get(d.id, []))
                    for n, d in enumerate((d for d in deliveries if d.document_id == row.id), 1)
                ),
            )
        )
    return tuple(found)


def _delivery(
    archive: Archive,
    stem: str,
    number: int,
    row: DeliveryRow,
    proof_rows: list[DeliveryProofRow],
    event_rows: list[DeliveryEventRow],
) -> DeliveryEntry:
    """An attempt with its legal outcome, its events, and as proofs its proof files and the raw
    receipts its events archived (a DSN, a gateway's callback), each once."""
    files = [(p.filename, p.content_type, p.sha256, p.size) for p in proof_rows]
    files += [
        (f"receipt-{e.id}-{e.status}", "", e.receipt_sha256, e.receipt_size or 0)
        for e in event_rows
        if e.receipt_sha256
    ]
    proofs: list[ProofEntry] = []
    seen: set[str] = set()
    for filename, content_type, sha256, size in files:
        if sha256 in seen:
            continue
        seen.add(sha256)
        data, check = check_file(archive, sha256, roots=None)
        kind = content_type or (sniff(data) if data else None) or "application/octet-stream"
        name = f"proofs/{stem}-proof-{number}-{len(proofs) + 1}-{safe_stem(filename)}"
        description = f"delivery proof {safe_stem(filename)}"
        file = None if data is None else PackFile(name, data, kind, "Supplement", description)
        proofs.append(ProofEntry(filename, kind, sha256, size, check, file))
    return DeliveryEntry(
        id=row.id,
        document_id=row.document_id,
        channel=row.channel,
        status=row.outcome,
        delivered_at=row.legal_date,
        tracking_number=row.tracking_number,
        recorded_at=row.recorded_at,
        proofs=tuple(proofs),
        events=tuple((e.occurred_at, e.status) for e in event_rows),
    )


def _log_notes(session: Session, case_id: str) -> list[LogNote]:
    return [
        LogNote(
            on=row.recorded_on,
            kind=row.kind,
            amount=None if row.amount_tiyn is None else Decimal(row.amount_tiyn) / 100,
            promised_date=row.promised_date,
            until=row.until,
            answered_on=row.answered_on,
        )
        for row in caselog.of_case(session, case_id)
    ]


def sign_log_first(db: Database, clock: Clock, signer: Signer, creditor_id: str | None) -> None:
    """Sign a checkpoint of the creditor's log before a pack is read (if it grew), so every event
    of the case has an inclusion proof — an event newer than the latest checkpoint has none.

    Callers run it before the pack's own read transaction opens, so that read sees the new
    checkpoint on SQLite too. Signing the log changes no business state: it is an append-only
    signature of what is there; a log that does not verify stays unsigned and the pack says so."""
    if creditor_id is not None:
        checkpoint_round(db, clock, signer, [creditor_id])
