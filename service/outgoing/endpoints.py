"""``GET /v1/registry/outgoing?from=&to=&format=xlsx|csv``: the outgoing documents register;
``GET /v1/registry/voided?from=&to=``: its voided numbers with their reasons (JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from service.kit.deps import Caller, DbSession, WiringDep
from service.kit.http_errors import Responses, errors
from service.outgoing import service
from service.outgoing.schemas import VoidedNumberOut, VoidedNumbersOut

router = APIRouter(prefix="/v1", tags=["registry"])

FILES: Responses = {
    200: {
        "content": {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
            "text/csv": {"schema": {"type": "string"}},
        }
    }
}


@router.get(
    "/registry/outgoing",
    response_class=Response,
    responses=errors(401, 403, 422, also=FILES),
)
def outgoing_register(
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
    since: Annotated[dt.date, Query(alias="from")],
    until: Annotated[dt.date, Query(alias="to")],
    format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    """Every document the creditor issued from ``from`` to ``to`` (inclusive), sorted by
    number, with date, kind, debtor, delivery outcome and its date: XLSX (bilingual headers,
    Kazakh first) or CSV (UTF-8 with BOM). Texts that could start a formula are quoted."""
    found = service.export(session, caller, since, until, format, wiring.clock.now())
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


@router.get(
    "/registry/voided",
    response_model=VoidedNumbersOut,
    responses=errors(401, 403, 422),
)
def voided_numbers(
    session: DbSession,
    caller: Caller,
    since: Annotated[dt.date, Query(alias="from")],
    until: Annotated[dt.date, Query(alias="to")],
) -> VoidedNumbersOut:
    """The numbers of the period voided instead of issued (a document that failed after its
    number was allocated), in register order, each with its reason. The outgoing register
    lists them too, as rows with the status «voided»."""
    found = service.voided(session, caller, since, until)
    return VoidedNumbersOut(items=[VoidedNumberOut.of(row, case) for row, case in found])
