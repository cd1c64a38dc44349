"""``/v1/webhooks``: a creditor's webhook endpoints and the log of their deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors
from service.webhooks import service
from service.webhooks.schemas import NAME, WebhookAttemptsOut, WebhookIn, WebhookOut

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
Name = Annotated[str, Path(pattern=NAME)]


@router.put(
    "/{name}",
    dependencies=[requires(Permission.MANAGE_POLICY)],
    response_model=WebhookOut,
    responses=errors(401, 403, 422, also={201: {"model": WebhookOut, "description": "created"}}),
)
def put_webhook(
    name: Name,
    payload: WebhookIn,
    response: Response,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> WebhookOut:
    """Register (201) or replace (200) the endpoint ``name``: ``url`` and ``events``. The
    secret that signs its deliveries is shown in this answer only (generated unless given)."""
    out, created = service.put_endpoint(session, wiring.clock, caller, name, payload)
    response.status_code = 201 if created else 200
    return out


@router.get("", response_model=list[WebhookOut], responses=errors(401, 403))
def list_webhooks(session: DbSession, caller: Caller) -> list[WebhookOut]:
    return service.list_endpoints(session, caller)


@router.delete(
    "/{name}",
    dependencies=[requires(Permission.MANAGE_POLICY)],
    status_code=204,
    responses=errors(401, 403, 404),
)
def delete_webhook(name: Name, session: DbSession, caller: Caller, wiring: WiringDep) -> Response:
    service.delete_endpoint(session, wiring.clock, caller, name)
    return Response(status_code=204)


@router.get(
    "/{name}/deliveries", response_model=WebhookAttemptsOut, responses=errors(401, 403, 404)
)
def list_webhook_deliveries(
    name: Name,
    session: DbSession,
    caller: Caller,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> WebhookAttemptsOut:
    """Every attempt, newest first: status code, duration, error, attempt number."""
    return service.list_attempts(session, caller, name, limit)
