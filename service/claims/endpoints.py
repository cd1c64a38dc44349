"""``GET /v1/cases/{id}/claim?route=notary|court``."""

from __future__ import annotations

from fastapi import APIRouter

from service.claims import service
from service.claims.schemas import ClaimOut
from service.kernel.route import Route
from service.kit.deps import Caller, DbSession, WiringDep
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1", tags=["claims"])


@router.get(
    "/cases/{external_id}/claim", response_model=ClaimOut, responses=errors(401, 403, 404, 422)
)
def get_claim(
    external_id: str,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    route: Route = Route.NOTARY,
) -> ClaimOut:
    """What may be claimed today: principal by month, penalty only with a written
    acknowledgment, items over 3 years excluded (notary) or flagged (court)."""
    today = wiring.clock.today()
    return service.get_claim(session, caller, wiring.law, today, external_id, route)
