"""``GET /v1/documents/{id}/verify`` and a case's history, for auditors."""

from __future__ import annotations

from fastapi import APIRouter

from service.evidence import service
from service.evidence.schemas import HistoryOut, VerifyOut
from service.kit.deps import Caller, DbSession, WiringDep
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1", tags=["evidence"])


@router.get(
    "/documents/{document_id}/verify", response_model=VerifyOut, responses=errors(401, 403, 404)
)
def verify(document_id: str, session: DbSession, caller: Caller, wiring: WiringDep) -> VerifyOut:
    """Re-check the archived PDF's hash, its signature and the creditor's audit chain."""
    found = service.verify_document(session, wiring.verifying(), caller, document_id)
    return VerifyOut.of(found)


@router.get(
    "/cases/{external_id}/history", response_model=HistoryOut, responses=errors(401, 403, 404)
)
def get_case_history(
    external_id: str, session: DbSession, caller: Caller, wiring: WiringDep
) -> HistoryOut:
    return service.case_timeline(session, caller, wiring.links, external_id)
