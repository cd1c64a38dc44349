"""The rulebook as data (``/v1/rules``) and a creditor's policy overrides (``/v1/policy``)."""

from __future__ import annotations

from fastapi import APIRouter

from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.fields import QueryDay
from service.kit.http_errors import errors
from service.rules import service
from service.rules.schemas import PolicyIn, PolicyOut, RulesOut

router = APIRouter(prefix="/v1", tags=["rules"])


@router.get("/rules", response_model=RulesOut, responses=errors(401, 403))
def list_rules(caller: Caller, wiring: WiringDep) -> RulesOut:
    return service.list_rules(caller, wiring.law)


@router.get("/policy", response_model=PolicyOut, responses=errors(401, 403, 404, 422))
def get_policy(
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    creditor: str | None = None,
    on: QueryDay | None = None,
) -> PolicyOut:
    day = on or wiring.clock.today()
    return service.get_policy(session, caller, wiring.law.rulebook, day, creditor)


@router.put(
    "/policy",
    response_model=PolicyOut,
    responses=errors(401, 403, 404, 422),
    dependencies=[requires(Permission.MANAGE_POLICY)],
)
def put_policy(
    payload: PolicyIn,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    creditor: str | None = None,
) -> PolicyOut:
    """Change the creditor's policy parameters from a date (never in the past; law cannot be
    changed)."""
    return service.set_policy(session, wiring.clock, wiring.law.rulebook, caller, payload, creditor)
