"""The provision registry and the rulebook as data, for lawyers and clients to read.

Nothing here is stored per creditor: both come from ``legal/`` and are the same for every key.
A creditor's own parameter values are at ``GET /v1/policy``.
"""

from __future__ import annotations

from typing import Any

from service.application.auth import Permission, Principal
from service.bootstrap import Container
from service.errors import NotFound


def list_provisions(c: Container, principal: Principal, act: str | None = None) -> dict[str, Any]:
    principal.require(Permission.READ)
    items = [p.as_dict() for p in c.provisions.values() if act is None or p.act_id == act]
    acts = sorted({p.act_id for p in c.provisions.values()})
    return {"acts": acts, "provisions": items}


def get_provision(c: Container, principal: Principal, provision_id: str) -> dict[str, Any]:
    principal.require(Permission.READ)
    provision = c.provisions.get(provision_id)
    if provision is None:
        raise NotFound(f"provision {provision_id} not found")
    return provision.as_dict()


def list_rules(c: Container, principal: Principal) -> dict[str, Any]:
    """Every check and policy setting: kind, citations (with their wording), dated parameters."""
    principal.require(Permission.READ)
    specs = [rule.spec for rule in c.rulebook.rules]
    settings = list(c.rulebook.settings.values())
    cited = sorted({pid for s in (*specs, *settings) for pid in (*s.provisions, *s.informed_by)})
    return {
        "rules": [s.as_dict() for s in specs],
        "settings": [s.as_dict() for s in settings],
        "citations": {
            pid: {"ru": c.provisions[pid].cite("ru"), "kk": c.provisions[pid].cite("kk")}
            for pid in cited
            if pid in c.provisions
        },
        "kinds": {
            "law": "follows from a verified provision; cannot be switched off or changed",
            "policy": "the creditor's practice; configurable at /v1/policy; never law",
        },
    }
