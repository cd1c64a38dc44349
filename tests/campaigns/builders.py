"""Many cases at once, for campaign tests: the contract case with its own id, unit and e-mail
for each, stored in one transaction through the cases service (the HTTP PUT, 200 times, would
take the test's time for nothing it checks)."""

from __future__ import annotations

from typing import Any

from service.bootstrap import Wiring
from service.cases.schemas import CaseIn
from service.cases.service import upsert_case
from service.kit.fields import parse
from tests.api import Tenant, fixture


def case_body(external_id: str, number: int) -> dict[str, Any]:
    body = fixture("case.json")
    debtor = {k: v for k, v in body["debtor"].items() if k != "iin"}
    debtor["email"] = f"owner-{number}@example.kz"
    return {
        **body,
        "external_id": external_id,
        "debtor": debtor,
        "unit": {**body["unit"], "number": str(number)},
    }


def put_cases(wiring: Wiring, tenant: Tenant, count: int, prefix: str = "C") -> list[str]:
    ids = [f"{prefix}-{n:04d}" for n in range(1, count + 1)]
    with wiring.db.transaction() as session:
        for number, external_id in enumerate(ids, 1):
            upsert_case(
                session,
                wiring.clock,
                creditor_id=tenant.creditor_id,
                external_id=external_id,
                case_in=parse(CaseIn, case_body(external_id, number)),
                actor="test",
            )
    return ids


def email_of(external_id: str) -> str:
    return f"owner-{int(external_id.rsplit('-', 1)[1])}@example.kz"
