"""The facts in their stored form: JSON, stored with the document, for audit and re-rendering.

Amounts are decimal strings, dates ISO, names as the client sent them. Required fields are named
by their path in this form (``basis.0.monthly_amount``), and the glyph guard walks its texts.
"""

from __future__ import annotations

from typing import Any

from service.cases.debt import DebtLine
from service.cases.penalty import PenaltyResult
from service.documents.facts import DocumentFacts
from service.kernel.money import money_str


def snapshot(facts: DocumentFacts) -> dict[str, Any]:
    issuance = facts.issuance
    summary = facts.debt.summary
    totals = summary.totals
    data: dict[str, Any] = {
        "kind": facts.kind,
        "language": facts.language,
        "number": issuance.number if issuance else None,
        "issue_date": facts.issue_date.isoformat(),
        "deadline": facts.deadline.isoformat() if facts.deadline else None,
        "draft": facts.draft,
        "development_signature": issuance.development_signature if issuance else False,
        "document_id": issuance.document_id if issuance else None,
        "verify_url": issuance.verify_url if issuance else None,
        "creditor": facts.creditor.profile(),
        "debtor": facts.case.debtor.wire(),
        "unit": facts.case.unit.wire(),
        "basis": [b.wire() for b in facts.case.basis],
        "debt": {
            "as_of": summary.as_of.isoformat(),
            "lines": [_line(line) for line in summary.lines],
            "totals": {
                "charged": money_str(totals.charged),
                "paid": money_str(totals.paid),
                "outstanding": money_str(totals.outstanding),
                "overdue": money_str(totals.overdue),
                "past_gate": money_str(totals.past_gate),
            },
            "penalty": _penalty(facts.debt.penalty),
        },
        "provisions": [{"id": c.id, "cite": c.cite.as_dict()} for c in facts.provisions],
    }
    if facts.route is not None:
        data["route"] = facts.route.value
    for name, part in facts.parts.items():
        data[name] = part.wire()
    return data


def _line(line: DebtLine) -> dict[str, Any]:
    return {
        "period": str(line.period),
        "contribution": line.contribution.value,
        "charged": money_str(line.charged),
        "paid": money_str(line.paid),
        "outstanding": money_str(line.outstanding),
        "due_date": line.due_date.isoformat(),
        "days_overdue": line.days_overdue,
        "overdue": line.overdue,
        "gate_opens": line.gate_opens.isoformat(),
        "past_gate": line.past_gate,
    }


def _penalty(penalty: PenaltyResult) -> dict[str, Any]:
    return {
        "total": money_str(penalty.total),
        "provision": penalty.policy.provision,
        "rate_source": dict(penalty.policy.source),
        "day_count": penalty.policy.day_count,
        "lines": [
            {
                "period": str(s.period),
                "contribution": s.contribution.value,
                "base": money_str(s.base),
                "rate": str(s.rate),
                "from": s.start.isoformat(),
                "to": s.end.isoformat(),
                "days": s.days,
                "amount": money_str(s.amount),
            }
            for s in penalty.segments
        ],
    }
