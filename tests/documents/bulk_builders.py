"""Builders for the bulk-issuing tests: cases in-process, the caller's principal, the register's
numbers read back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.bootstrap import Wiring
from service.cases.schemas import CaseIn
from service.cases.service import upsert_case
from service.creditors.auth import Principal
from service.creditors.service import authenticate
from service.documents.bulk import BulkItem
from service.documents.models import IssuedDocumentRow
from service.documents.schemas import IssueIn
from tests.api import Tenant, fixture


def put_cases(wiring: Wiring, tenant: Tenant, count: int, prefix: str = "BULK") -> list[str]:
    """``count`` variants of the contract case (their payments differ), in one transaction."""
    case = fixture("case.json")
    names = [f"{prefix}-{i}" for i in range(count)]
    with wiring.db.transaction() as session:
        for i, name in enumerate(names):
            variant: dict[str, Any] = {
                **case,
                "external_id": name,
                "payments": [
                    *case["payments"],
                    {"date": "2026-10-01", "amount": f"{100 + i}.{i % 100:02d}"},
                ],
            }
            upsert_case(
                session,
                wiring.clock,
                creditor_id=tenant.creditor_id,
                external_id=name,
                case_in=CaseIn.model_validate(variant),
                actor="test",
            )
    return names


def principal(wiring: Wiring, tenant: Tenant) -> Principal:
    with wiring.db.transaction(read_only=True) as session:
        return authenticate(session, f"Bearer {tenant.system_key}")


def reminders(cases: list[str], run: str = "run") -> list[BulkItem]:
    request = IssueIn(kind="reminder", language="kk")
    return [BulkItem(case, request, f"{run}:{i}") for i, case in enumerate(cases)]


def issued_sequences(wiring: Wiring, creditor_id: str) -> list[int]:
    with wiring.db.transaction(read_only=True) as session:
        return sorted(
            session.scalars(
                select(IssuedDocumentRow.sequence).where(
                    IssuedDocumentRow.creditor_id == creditor_id
                )
            )
        )
