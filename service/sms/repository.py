"""SMS queries. Functions take a ``Session`` and never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.cases.models import CaseRow
from service.sms.models import SmsCallbackRow, SmsMessageRow


def message(session: Session, reference: str) -> SmsMessageRow | None:
    return session.get(SmsMessageRow, reference)


def find(
    session: Session, gateway: str, message_id: str | None, reference: str | None
) -> SmsMessageRow | None:
    """The message a report is about: by the gateway's id, else by our reference."""
    if message_id is not None:
        row = session.scalars(
            select(SmsMessageRow).where(
                SmsMessageRow.gateway == gateway, SmsMessageRow.message_id == message_id
            )
        ).first()
        if row is not None:
            return row
    if reference is not None:
        row = session.get(SmsMessageRow, reference)
        if row is not None and row.gateway == gateway:
            return row
    return None


def claim_callback(
    session: Session, gateway: str, signature: str, timestamp: int, at: dt.datetime
) -> bool:
    """Store the callback's signature; ``False`` if it was stored before (a replay). A racing
    twin waits for the first transaction, then finds the row."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(
        insert(SmsCallbackRow)
        .values(gateway=gateway, signature=signature, timestamp=timestamp, received_at=at)
        .on_conflict_do_nothing()
        .returning(SmsCallbackRow.signature)
    )
    return result.first() is not None


def case_row(session: Session, case_id: str) -> CaseRow:
    row = session.get(CaseRow, case_id)
    if row is None:
        raise LookupError(f"case {case_id} is gone")
    return row


def forget_callbacks(session: Session, gateway: str, before: dt.datetime) -> None:
    """Drop remembered signatures older than ``before``: a request that old is refused by its
    timestamp anyway, so the replay store stays as small as the window."""
    session.execute(
        delete(SmsCallbackRow).where(
            SmsCallbackRow.gateway == gateway, SmsCallbackRow.received_at < before
        )
    )
