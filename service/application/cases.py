"""Creating or replacing a debt case, and the computed debt the API returns for it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from service.clock import Clock
from service.contract import CaseIn, parse
from service.db import repositories as repo
from service.db.models import CaseRow, DebtorRow
from service.domain.calendar import WorkCalendar
from service.domain.debt import Charge, DebtSummary, Payment, Period, compute_debt
from service.domain.money import money_str
from service.domain.penalty import PenaltyPolicy, PenaltyResult, compute_penalty
from service.errors import FieldError, ValidationFailed


def upsert_case(
    session: Session,
    clock: Clock,
    *,
    creditor_id: str,
    external_id: str,
    payload: Any,
    actor: str,
) -> bool:
    """Store the case as sent (PUT: the ledger is replaced). Returns True if it was created."""
    case_in = parse(CaseIn, payload)
    if case_in.external_id is not None and case_in.external_id != external_id:
        raise ValidationFailed(
            [
                FieldError(
                    "external_id",
                    "mismatch",
                    f"body says {case_in.external_id!r}, URL says {external_id!r}",
                )
            ]
        )
    now = clock.now()
    debtor_fields = {
        "full_name": case_in.debtor.full_name,
        "iin": case_in.debtor.iin,
        "language": case_in.debtor.language,
        "contacts": {
            "email": case_in.debtor.email,
            "phone": case_in.debtor.phone,
            "postal_address": case_in.debtor.postal_address,
        },
    }
    case = repo.find_case_row(session, creditor_id, external_id)
    created = case is None
    if case is None:
        debtor = DebtorRow(id=str(uuid.uuid4()), creditor_id=creditor_id, **debtor_fields)
        session.add(debtor)
        session.flush()  # no ORM relationships: insert the debtor before the case refers to it
        case = CaseRow(
            id=str(uuid.uuid4()),
            creditor_id=creditor_id,
            external_id=external_id,
            debtor_id=debtor.id,
            unit={},
            basis=[],
            created_at=now,
            updated_at=now,
        )
        session.add(case)
        session.flush()
    else:
        debtor_row = session.get(DebtorRow, case.debtor_id)
        assert debtor_row is not None
        for name, value in debtor_fields.items():
            setattr(debtor_row, name, value)
    case.unit = case_in.unit.model_dump(mode="json")
    case.basis = [b.model_dump(mode="json") for b in case_in.basis]
    case.updated_at = now
    repo.replace_case_ledger(
        session,
        case.id,
        [
            Charge(Period.parse(c.period), c.contribution, c.amount, c.due_date)
            for c in case_in.charges
        ],
        [Payment(p.date, p.amount, p.reference) for p in case_in.payments],
    )
    repo.append_event(
        session,
        creditor_id=creditor_id,
        actor=actor,
        action="CaseCreated" if created else "CaseReplaced",
        subject=f"case:{external_id}",
        payload={"charges": len(case_in.charges), "payments": len(case_in.payments)},
        occurred_at=now,
    )
    return created


def debt_view(summary: DebtSummary, penalty: PenaltyResult) -> dict[str, Any]:
    """The computed debt in wire form (amounts as decimal strings, dates ISO)."""
    return {
        "as_of": summary.as_of.isoformat(),
        "totals": {
            "charged": money_str(summary.totals.charged),
            "paid": money_str(summary.totals.paid),
            "outstanding": money_str(summary.totals.outstanding),
            "overdue": money_str(summary.totals.overdue),
            "past_gate": money_str(summary.totals.past_gate),
            "unallocated": money_str(summary.totals.unallocated),
            "penalty": money_str(penalty.total),
        },
        "enforcement_gate_opens": _iso(summary.earliest_gate_opening),
        "lines": [
            {
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
            for line in summary.lines
        ],
        "penalty": penalty_view(penalty),
    }


def penalty_view(penalty: PenaltyResult) -> dict[str, Any]:
    return {
        "total": money_str(penalty.total),
        "provision": penalty.policy.provision,
        "rate_source": penalty.policy.source,
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


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def compute_case_debt(
    case: repo.StoredCase, on: dt.date, calendar: WorkCalendar, policy: PenaltyPolicy
) -> tuple[DebtSummary, PenaltyResult]:
    summary = compute_debt(case.charges, case.payments, on, calendar)
    return summary, compute_penalty(summary.lines, on, policy)
