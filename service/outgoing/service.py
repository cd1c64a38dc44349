"""The outgoing register of a creditor for a period, as rows, XLSX or CSV."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.creditors.auth import Permission, Principal
from service.documents.models import VoidedNumberRow
from service.documents.wording import DOCUMENT_KINDS
from service.errors import FieldError, ValidationFailed
from service.kit.logs import log_event
from service.outgoing import repository
from service.outgoing.register import (
    Delivery,
    RegisterRow,
    RowStatus,
    outcome_of,
    to_csv,
    void_reason,
)
from service.outgoing.xlsx import to_xlsx

log = logging.getLogger("talap.outgoing")

MAX_DAYS = 366 * 5
"""The longest period one register covers (a larger one is refused, naming ``to``)."""


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    filename: str


def register_rows(
    session: Session, caller: Principal, since: dt.date, until: dt.date
) -> list[RegisterRow]:
    caller.require(Permission.READ)
    _check_period(since, until)
    found = repository.documents_between(session, caller.creditor(), since, until)
    deliveries = repository.deliveries_between(session, caller.creditor(), since, until)
    rows = [
        RegisterRow(
            register=document.register,
            year=document.year,
            sequence=document.sequence,
            number=document.number,
            status=RowStatus.ISSUED,
            issue_date=document.issue_date,
            kind=document.kind,
            kind_label=DOCUMENT_KINDS.get(document.kind),
            case=case,
            debtor=debtor,
            outcome=outcome_of(
                [
                    Delivery(d.outcome, d.channel, d.legal_date, d.recorded_at)
                    for d in deliveries.get(document.id, [])
                ]
            ),
            sha256=document.sha256,
            document_id=document.id,
        )
        for document, case, debtor in found
    ]
    rows += [voided_row(number, case) for number, case in voided(session, caller, since, until)]
    return sorted(rows, key=RegisterRow.sort_key)


def voided(
    session: Session, caller: Principal, since: dt.date, until: dt.date
) -> list[tuple[VoidedNumberRow, str | None]]:
    """The creditor's voided numbers of the period, with their case, in register order."""
    caller.require(Permission.READ)
    _check_period(since, until)
    found = repository.voided_between(session, caller.creditor(), since, until)
    return sorted(
        found, key=lambda pair: (pair[0].register != "outgoing", pair[0].year, pair[0].sequence)
    )


def voided_row(number: VoidedNumberRow, case: str | None) -> RegisterRow:
    return RegisterRow(
        register=number.register,
        year=number.year,
        sequence=number.sequence,
        number=number.number,
        status=RowStatus.VOIDED,
        issue_date=number.issue_date,
        kind=number.kind,
        kind_label=DOCUMENT_KINDS.get(number.kind),
        case=case,
        debtor=None,
        outcome=None,
        sha256=None,
        document_id=None,
        reason=void_reason(number.reason_code, number.reason),
    )


def _check_period(since: dt.date, until: dt.date) -> None:
    if until < since:
        raise ValidationFailed([FieldError("to", "before_from", "must not be before 'from'")])
    if (until - since).days > MAX_DAYS:
        raise ValidationFailed(
            [FieldError("to", "period_too_long", f"one register covers at most {MAX_DAYS} days")]
        )


def export(
    session: Session,
    caller: Principal,
    since: dt.date,
    until: dt.date,
    fmt: str,
    now: dt.datetime,
) -> Export:
    rows = register_rows(session, caller, since, until)
    name = f"outgoing-{since.isoformat()}-{until.isoformat()}"
    log_event(log, "outgoing.exported", rows=len(rows), format=fmt)
    if fmt == "csv":
        return Export(to_csv(rows), "text/csv; charset=utf-8", f"{name}.csv")
    return Export(
        to_xlsx(rows, created=now),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{name}.xlsx",
    )
