"""``/v1/provisions``: the provision registry, read by any key."""

from __future__ import annotations

from fastapi import APIRouter

from service.kit.deps import Caller, WiringDep
from service.kit.http_errors import errors
from service.law import service
from service.law.schemas import ProvisionOut, ProvisionsOut

router = APIRouter(prefix="/v1/provisions", tags=["law"])


@router.get("", response_model=ProvisionsOut, responses=errors(401, 403))
def list_provisions(caller: Caller, wiring: WiringDep, act: str | None = None) -> ProvisionsOut:
    return service.list_provisions(caller, wiring.law, act)


@router.get("/{provision_id}", response_model=ProvisionOut, responses=errors(401, 403, 404))
def get_provision(provision_id: str, caller: Caller, wiring: WiringDep) -> ProvisionOut:
    return service.get_provision(caller, wiring.law, provision_id)
