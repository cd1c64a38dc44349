"""The provision registry as data, for lawyers and clients to read (the same for every key)."""

from __future__ import annotations

from service.creditors.auth import Permission, Principal
from service.errors import NotFound
from service.law.context import LawContext
from service.law.schemas import ProvisionOut, ProvisionsOut


def list_provisions(caller: Principal, law: LawContext, act: str | None = None) -> ProvisionsOut:
    caller.require(Permission.READ)
    items = [p for p in law.provisions.values() if act is None or p.act_id == act]
    return ProvisionsOut(
        acts=sorted({p.act_id for p in law.provisions.values()}),
        provisions=[ProvisionOut.of(p) for p in items],
    )


def get_provision(caller: Principal, law: LawContext, provision_id: str) -> ProvisionOut:
    caller.require(Permission.READ)
    provision = law.provisions.get(provision_id)
    if provision is None:
        raise NotFound(f"provision {provision_id} not found")
    return ProvisionOut.of(provision)
