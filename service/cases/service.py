"""Storing a case as the client sends it, reading it back with its computed debt, hardship."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.events import CaseCreated, CaseReplaced, HardshipRecorded
from service.cases import repository
from service.cases.case import CaseDebt, DebtCase
from service.cases.debt import Charge, Payment
from service.cases.models import DebtorRow, HardshipRow
from service.cases.schemas import CaseIn, HardshipIn, HardshipOut
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal
from service.discounts import service as discounts
from service.errors import FieldError, ValidationFailed
from service.kernel.calendar import WorkCalendar
from service.kernel.period import Period
from service.law.context import LawContext


def upsert_case(
    session: Session,
    clock: Clock,
    *,
    creditor_id: str,
    external_id: str,
    case_in: CaseIn,
    actor: str,
    calendar: WorkCalendar | None = None,
) -> bool:
    """Store the case as sent (PUT: the ledger is replaced). Returns True if it was created.

    With the work ``calendar``, a signed agreement the new ledger puts in default is announced
    (``agreement.defaulted`` webhook, once)."""
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
    debtor = case_in.debtor
    fields = {
        "full_name": debtor.full_name,
        "iin": debtor.iin,
        "language": debtor.language,
        "contacts": {
            "email": debtor.email,
            "phone": debtor.phone,
            "postal_address": debtor.postal_address,
        },
    }
    case = repository.find_row(session, creditor_id, external_id)
    created = False
    if case is None:
        new_debtor = DebtorRow(id=str(uuid.uuid4()), creditor_id=creditor_id, **fields)
        case, created = repository.claim_row(session, creditor_id, external_id, new_debtor, now)
    if not created:
        debtor_row = repository.debtor_row(session, case)
        for name, value in fields.items():
            setattr(debtor_row, name, value)
    case.unit = case_in.unit.model_dump(mode="json")
    case.basis = [b.model_dump(mode="json") for b in case_in.basis]
    case.updated_at = now
    repository.replace_ledger(
        session,
        case.id,
        [
            Charge(Period.parse(c.period), c.contribution, c.amount, c.due_date)
            for c in case_in.charges
        ],
        [Payment(p.date, p.amount, p.reference) for p in case_in.payments],
    )
    stored = CaseCreated if created else CaseReplaced
    event = stored(external_id, len(case_in.charges), len(case_in.payments))
    audit.record(session, event, creditor_id=creditor_id, actor=actor, at=now)
    if calendar is not None and not created:
        from service.agreements.service import announce_defaults  # agreements read cases

        announce_defaults(session, clock, calendar, case.id, external_id)
    return created


def get_case(
    session: Session, caller: Principal, law: LawContext, today: dt.date, external_id: str
) -> tuple[DebtCase, CaseDebt]:
    caller.require(Permission.READ)
    case = repository.load(session, caller.creditor(), external_id)
    creditor = creditors.get(session, case.creditor_id)
    debt, _ = discounts.assess_case(session, case, creditor, today, law)  # penalty net of #36
    return case, debt


def record_hardship(
    session: Session, clock: Clock, caller: Principal, external_id: str, hardship: HardshipIn
) -> HardshipOut:
    """Record a hardship flag, or its end (``HardshipRecorded``); the latest record counts."""
    caller.require(Permission.WRITE_CASES)
    if hardship.date > clock.today():
        raise ValidationFailed([FieldError("date", "in_future", "cannot be dated ahead")])
    case = repository.get_row(session, caller.creditor(), external_id)
    now = clock.now()
    row = HardshipRow(
        creditor_id=case.creditor_id,
        case_id=case.id,
        date=hardship.date,
        active=hardship.active,
        note=hardship.note,
        recorded_at=now,
        actor=caller.actor,
    )
    session.add(row)
    session.flush()
    event = HardshipRecorded(external_id, row.date, row.active)
    audit.record(session, event, creditor_id=case.creditor_id, actor=caller.actor, at=now)
    return HardshipOut(
        case=external_id,
        date=row.date,
        active=row.active,
        note=row.note,
        recorded_at=row.recorded_at,
    )
