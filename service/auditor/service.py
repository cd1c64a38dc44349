"""What the auditor pages show, read through the API's own use cases with the session's
``Principal`` (so the same permission and creditor checks apply). Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.auditor import repository
from service.auditor.search import LIMIT, CaseHit, first, matching
from service.bootstrap import Wiring
from service.cases import service as cases
from service.cases.schemas import CaseOut
from service.creditors.auth import Permission, Principal
from service.deliveries.records import service as deliveries
from service.deliveries.schemas import DeliveryOut
from service.documents import service as documents
from service.documents.schemas import DocumentOut
from service.errors import NotFound
from service.evidence import service as evidence
from service.evidence.schemas import HistoryOut, VerifyOut
from service.timeline.entry import Window


@dataclass(frozen=True)
class Found:
    query: str
    hits: list[CaseHit]
    total: int
    limit: int = LIMIT


@dataclass(frozen=True)
class CaseView:
    case: CaseOut
    unit_type: str
    unit_number: str
    documents: list[DocumentOut]
    """Every document of the case (the timeline's filter does not narrow this list)."""
    history: HistoryOut
    """The timeline within the window asked for: ``entries`` and the audit ``events``."""
    numbers: dict[str, str]
    """Each document's number by its id, for the timeline's links."""


@dataclass(frozen=True)
class DocumentView:
    document: DocumentOut
    verification: VerifyOut
    deliveries: list[DeliveryOut]


def search(session: Session, caller: Principal, query: str) -> Found:
    caller.require(Permission.READ)
    hits = matching(repository.cases_of(session, caller.creditor()), query)
    return Found(query=query, hits=first(hits), total=len(hits))


def case_view(
    session: Session, wiring: Wiring, caller: Principal, external_id: str, window: Window
) -> CaseView:
    today = wiring.clock.today()
    case, debt = cases.get_case(session, caller, wiring.law, today, external_id)
    _, records = documents.documents_of_case(session, caller, external_id)
    history = evidence.case_timeline(
        session,
        caller,
        wiring.links,
        external_id,
        calendar=wiring.law.calendar,
        today=today,
        window=window,
    )
    return CaseView(
        case=CaseOut.of(case, debt),
        unit_type=case.unit.type.value,
        unit_number=case.unit.number,
        documents=[DocumentOut.of(r, wiring.links) for r in records],
        history=history,
        numbers={r.id: r.number for r in records},
    )


def document_view(
    session: Session, wiring: Wiring, caller: Principal, document_id: str
) -> DocumentView:
    record = documents.get_document(session, caller, document_id)
    checked = evidence.verify_document(session, wiring.verifying(), caller, document_id)
    return DocumentView(
        document=DocumentOut.of(record, wiring.links),
        verification=VerifyOut.of(checked),
        deliveries=deliveries.list_deliveries(session, wiring, caller, document_id),
    )


def proof_file(
    session: Session, wiring: Wiring, caller: Principal, document_id: str, sha256: str
) -> tuple[str, bytes]:
    """A file kept with one of the document's delivery attempts — a proof file, or the raw
    receipt of one of its events — as its name and its archived bytes."""
    for delivery in deliveries.list_deliveries(session, wiring, caller, document_id):
        for proof in delivery.proofs:
            if proof.sha256 == sha256:
                return proof.filename, _read(
                    session, wiring, caller, document_id, delivery.id, sha256
                )
        for event in delivery.events:
            if event.receipt_sha256 == sha256:
                name = f"receipt-{event.id}-{event.status}"
                return name, _read(session, wiring, caller, document_id, delivery.id, sha256)
    raise NotFound("the document's deliveries have no such file")


def _read(
    session: Session,
    wiring: Wiring,
    caller: Principal,
    document_id: str,
    delivery_id: str,
    sha256: str,
) -> bytes:
    """A delivery's file re-hashed before it is served (``ArchiveMismatch`` if it changed)."""
    return audit.read_archived(
        session,
        wiring.archive,
        sha256,
        creditor_id=documents.row_of(session, document_id).creditor_id,
        about=f"delivery:{delivery_id}",
        read_by="auditor.proof_file",
        actor=caller.actor,
        at=wiring.clock.now(),
    )
