"""The facts a document is rendered from: one JSON-able snapshot, stored with the document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.application.cases import debt_view
from service.db.repositories import StoredCase
from service.domain.debt import DebtSummary
from service.domain.penalty import PenaltyResult
from service.legal.provisions import Provision
from service.rendering.schema import cited_provisions


def build_facts(
    *,
    kind: str,
    language: str,
    case: StoredCase,
    creditor_profile: dict[str, Any],
    summary: DebtSummary,
    penalty: PenaltyResult,
    provisions: dict[str, Provision],
    issue_date: dt.date,
    deadline: dt.date,
    number: str | None,
    document_id: str | None,
    verify_url: str | None,
    development_signature: bool,
    draft: bool,
    route: str | None = None,
) -> dict[str, Any]:
    debt = debt_view(summary, penalty)
    return {
        "kind": kind,
        "language": language,
        "number": number,
        "issue_date": issue_date.isoformat(),
        "deadline": deadline.isoformat(),
        "draft": draft,
        "development_signature": development_signature,
        "document_id": document_id,
        "verify_url": verify_url,
        "creditor": creditor_profile,
        "debtor": case.debtor,
        "unit": case.unit,
        "basis": case.basis,
        "debt": {
            "as_of": debt["as_of"],
            "lines": debt["lines"],
            "totals": {
                k: debt["totals"][k]
                for k in ("charged", "paid", "outstanding", "overdue", "past_gate")
            },
            "penalty": debt["penalty"],
        },
        "provisions": [
            {
                "id": pid,
                "cite": {"ru": provisions[pid].cite("ru"), "kk": provisions[pid].cite("kk")},
            }
            for pid in cited_provisions(kind, route)
        ],
    }
