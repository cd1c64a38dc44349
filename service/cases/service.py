"""Storing a case as the client sends it, reading it back with its computed debt, hardship."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

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
from service.kernel.money import tiyn_count
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


def upsert_many(
    session: Session,
    clock: Clock,
    *,
    creditor_id: str,
    cases: Sequence[tuple[str, CaseIn]],
    actor: str,
    calendar: WorkCalendar | None = None,
) -> int:
    """``upsert_case`` for many cases in the caller's transaction (a batch import): the same
    rows, ledgers and audit events, with a few multi-row statements instead of a dozen per
    case. ``cases`` name each external id once. Returns how many were created."""
    now = clock.now()
    wanted = [external_id for external_id, _ in cases]
    existing = repository.rows_by_external_id(session, creditor_id, wanted)
    fresh = {ext: str(uuid.uuid4()) for ext in wanted if ext not in existing}
    inputs = dict(cases)
    debtor_ids = {ext: str(uuid.uuid4()) for ext in fresh}
    repository.claim_rows(
        session,
        [
            {"id": debtor_ids[ext], "creditor_id": creditor_id, **_debtor_fields(inputs[ext])}
            for ext in fresh
        ],
        [
            {"id": case_id, "creditor_id": creditor_id, "external_id": ext,
             "debtor_id": debtor_ids[ext], "unit": {}, "basis": [], "created_at": now,
             "updated_at": now}
            for ext, case_id in fresh.items()
        ],
    )  # fmt: skip
    rows = repository.rows_by_external_id(session, creditor_id, wanted)
    created = {ext for ext, case_id in fresh.items() if rows[ext].id == case_id}
    repository.forget_debtors(session, [debtor_ids[e] for e in fresh if e not in created])
    debtors = repository.debtor_rows(
        session, [rows[ext].debtor_id for ext in wanted if ext not in created]
    )
    charges, payments, events = [], [], []
    for external_id, case_in in cases:
        case = rows[external_id]
        if external_id not in created:
            for name, value in _debtor_fields(case_in).items():
                setattr(debtors[case.debtor_id], name, value)
        case.unit = case_in.unit.model_dump(mode="json")
        case.basis = [b.model_dump(mode="json") for b in case_in.basis]
        case.updated_at = now
        charges += [
            {"case_id": case.id, "period": str(Period.parse(c.period)),
             "contribution": c.contribution.value,
             "amount_tiyn": tiyn_count(c.amount), "due_date": c.due_date}
            for c in case_in.charges
        ]  # fmt: skip
        payments += [
            {"case_id": case.id, "date": p.date, "amount_tiyn": tiyn_count(p.amount),
             "reference": p.reference}
            for p in case_in.payments
        ]  # fmt: skip
        stored = CaseCreated if external_id in created else CaseReplaced
        events.append(stored(external_id, len(case_in.charges), len(case_in.payments)))
    session.flush()
    repository.replace_ledgers(session, [rows[ext].id for ext in wanted], charges, payments)
    audit.record_many(session, events, creditor_id=creditor_id, actor=actor, at=now)
    if calendar is not None:
        from service.agreements.service import announce_defaults  # agreements read cases

        for external_id in wanted:
            if external_id not in created:
                announce_defaults(session, clock, calendar, rows[external_id].id, external_id)
    return len(created)


def _debtor_fields(case_in: CaseIn) -> dict[str, Any]:
    debtor = case_in.debtor
    return {
        "full_name": debtor.full_name,
        "iin": debtor.iin,
        "language": debtor.language,
        "contacts": {
            "email": debtor.email,
            "phone": debtor.phone,
            "postal_address": debtor.postal_address,
        },
    }


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
