"""The bulk case upsert (batch imports) stores what ``PUT /v1/cases`` stores — debtor, unit,
basis, ledger, one audit event per case — for new and existing cases alike, and the audit chain
still verifies (the events' ids ascend in chain order on both databases)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from service.audit import service as audit
from service.bootstrap import Wiring
from service.cases.schemas import CaseIn
from service.cases.service import upsert_many
from tests.api import Tenant, fixture


def _case(external_id: str, **debtor: Any) -> CaseIn:
    body = fixture("case.json")
    body["external_id"] = external_id
    body["debtor"] = {**body["debtor"], **debtor}
    return CaseIn.model_validate(body)


def test_upsert_many_stores_what_put_stores_and_the_chain_verifies(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    put = client.put("/v1/cases/B-1", json=fixture("case.json") | {"external_id": "B-1"},
                     headers=tenant.headers())  # fmt: skip
    assert put.status_code == 201, put.text
    single = client.put("/v1/cases/REF", json=fixture("case.json") | {"external_id": "REF"},
                        headers=tenant.headers()).json()  # fmt: skip
    cases = [(f"B-{i}", _case(f"B-{i}", full_name=f"Иванова {i}")) for i in range(1, 6)]
    with wiring.db.transaction() as session:
        created = upsert_many(session, wiring.clock, creditor_id=tenant.creditor_id,
                              cases=cases, actor="test", calendar=wiring.law.calendar)  # fmt: skip
    assert created == 4  # B-1 existed
    for external_id, _ in cases:
        got = client.get(f"/v1/cases/{external_id}", headers=tenant.headers()).json()
        assert got["debtor"]["full_name"] == f"Иванова {external_id[2:]}"
        assert got["debt"] == single["debt"]
    with wiring.db.transaction() as session:
        entries, problems = audit.chain_of(session, tenant.creditor_id)
    assert problems == []
    actions = [(e.action, e.subject) for e in entries if e.subject.startswith("case:B-")]
    assert actions == [("CaseCreated", "case:B-1")] + [
        ("CaseReplaced" if i == 1 else "CaseCreated", f"case:B-{i}") for i in range(1, 6)
    ]
    history = client.get("/v1/cases/B-3/history", headers=tenant.headers())
    assert history.status_code == 200
    with wiring.db.transaction() as session:  # again: every case replaced, nothing created
        again = upsert_many(session, wiring.clock, creditor_id=tenant.creditor_id,
                            cases=cases, actor="test")  # fmt: skip
    assert again == 0
    assert client.get("/v1/cases/B-5", headers=tenant.headers()).json()["debt"] == single["debt"]
