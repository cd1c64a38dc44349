"""Campaigns' queries. Functions take a ``Session`` and never commit.

A run's row is the lock that orders its state changes (approve, reject): ``lock_run`` takes it
``FOR UPDATE`` on PostgreSQL (SQLite serialises writers anyway). Drafts move on by conditional
updates (``WHERE status = …``), so a chunk that runs twice after a crash changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from service.campaigns.models import CampaignDraftRow, CampaignRow, CampaignRunRow
from service.deliveries.models import DeliveryRow
from service.documents.models import IssuedDocumentRow
from service.kit.db import insert_or_ignore

PENDING, PREPARED, REFUSED = "pending", "prepared", "refused"
APPROVED, ISSUED, STALE, FAILED = "approved", "issued", "stale", "failed"
DECLINED = "declined"
"""A prepared draft of a rejected run."""


def add(session: Session, row: CampaignRow | CampaignRunRow) -> None:
    session.add(row)
    session.flush()


def campaign(session: Session, creditor_id: str, campaign_id: str) -> CampaignRow | None:
    row = session.get(CampaignRow, campaign_id)
    return row if row is not None and row.creditor_id == creditor_id else None


def campaign_by_id(session: Session, campaign_id: str) -> CampaignRow | None:
    return session.get(CampaignRow, campaign_id)


def campaigns(session: Session, creditor_id: str) -> list[CampaignRow]:
    return list(
        session.scalars(
            select(CampaignRow)
            .where(CampaignRow.creditor_id == creditor_id)
            .order_by(CampaignRow.created_at, CampaignRow.id)
        )
    )


def scheduled(session: Session) -> list[CampaignRow]:
    """Every active campaign with a schedule other than on demand (all creditors)."""
    rows = session.scalars(select(CampaignRow).where(CampaignRow.active.is_(True)))
    return [row for row in rows if row.schedule.get("type") != "on_demand"]


def add_scheduled_run(session: Session, **values: Any) -> CampaignRunRow | None:
    """The campaign's run for ``period``, made now unless one exists; None if it existed (two
    consumers sweeping at once make one run)."""
    existing = run_for_period(session, values["campaign_id"], values["period"])
    if existing is not None:
        return None
    insert_or_ignore(session, CampaignRunRow, **values)
    made = session.get(CampaignRunRow, values["id"])
    return made


def run_for_period(session: Session, campaign_id: str, period: str) -> CampaignRunRow | None:
    return session.scalars(
        select(CampaignRunRow).where(
            CampaignRunRow.campaign_id == campaign_id, CampaignRunRow.period == period
        )
    ).one_or_none()


def run(session: Session, run_id: str) -> CampaignRunRow | None:
    return session.get(CampaignRunRow, run_id)


def lock_run(session: Session, run_id: str) -> CampaignRunRow | None:
    return session.scalars(
        select(CampaignRunRow)
        .where(CampaignRunRow.id == run_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def runs(session: Session, campaign_id: str) -> list[CampaignRunRow]:
    return list(
        session.scalars(
            select(CampaignRunRow)
            .where(CampaignRunRow.campaign_id == campaign_id)
            .order_by(CampaignRunRow.created_at, CampaignRunRow.id)
        )
    )


def add_drafts(session: Session, rows: Sequence[CampaignDraftRow]) -> None:
    session.add_all(rows)
    session.flush()


def draft_ids(session: Session, run_id: str, status: str) -> list[int]:
    return list(
        session.scalars(
            select(CampaignDraftRow.id)
            .where(CampaignDraftRow.run_id == run_id, CampaignDraftRow.status == status)
            .order_by(CampaignDraftRow.id)
        )
    )


def drafts(
    session: Session, run_id: str, ids: Iterable[int] | None = None, status: str | None = None
) -> list[CampaignDraftRow]:
    query = select(CampaignDraftRow).where(CampaignDraftRow.run_id == run_id)
    if ids is not None:
        query = query.where(CampaignDraftRow.id.in_(list(ids)))
    if status is not None:
        query = query.where(CampaignDraftRow.status == status)
    return list(session.scalars(query.order_by(CampaignDraftRow.id)))


def with_outcome(session: Session, run_id: str) -> list[CampaignDraftRow]:
    """The run's drafts that carry reasons (refused, stale, failed, or not sent)."""
    return list(
        session.scalars(
            select(CampaignDraftRow)
            .where(CampaignDraftRow.run_id == run_id, CampaignDraftRow.outcome.is_not(None))
            .order_by(CampaignDraftRow.id)
        )
    )


def draft_of_case(session: Session, run_id: str, external_id: str) -> CampaignDraftRow | None:
    return session.scalars(
        select(CampaignDraftRow).where(
            CampaignDraftRow.run_id == run_id, CampaignDraftRow.external_id == external_id
        )
    ).one_or_none()


def counts(session: Session, run_id: str) -> dict[str, int]:
    rows = session.execute(
        select(CampaignDraftRow.status, func.count())
        .where(CampaignDraftRow.run_id == run_id)
        .group_by(CampaignDraftRow.status)
    )
    return {status: int(count) for status, count in rows}


def delivery_states(session: Session, run_id: str) -> dict[str, int]:
    """The run's delivery attempts by state (``queued``, ``sent``, ``permanent_failure``…)."""
    rows = session.execute(
        select(DeliveryRow.state, func.count())
        .join(CampaignDraftRow, CampaignDraftRow.delivery_id == DeliveryRow.id)
        .where(CampaignDraftRow.run_id == run_id)
        .group_by(DeliveryRow.state)
    )
    return {state: int(count) for state, count in rows}


def approve_prepared(session: Session, run_id: str) -> int:
    result: Any = session.execute(
        update(CampaignDraftRow)
        .where(CampaignDraftRow.run_id == run_id, CampaignDraftRow.status == PREPARED)
        .values(status=APPROVED)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)


def decline_prepared(session: Session, run_id: str) -> int:
    result: Any = session.execute(
        update(CampaignDraftRow)
        .where(CampaignDraftRow.run_id == run_id, CampaignDraftRow.status == PREPARED)
        .values(status=DECLINED)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)


def move(session: Session, draft_id: int, *, from_status: str, **values: Any) -> bool:
    """Move one draft on, if it is still in ``from_status``; whether this call did."""
    result: Any = session.execute(
        update(CampaignDraftRow)
        .where(CampaignDraftRow.id == draft_id, CampaignDraftRow.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)


def documents_under_keys(
    session: Session, creditor_id: str, keys: Sequence[str]
) -> dict[str, tuple[str, str]]:
    """The documents already issued under these Idempotency-Keys: key → (id, number)."""
    if not keys:
        return {}
    rows = session.execute(
        select(
            IssuedDocumentRow.idempotency_key, IssuedDocumentRow.id, IssuedDocumentRow.number
        ).where(
            IssuedDocumentRow.creditor_id == creditor_id,
            IssuedDocumentRow.idempotency_key.in_(list(keys)),
        )
    )
    return {str(key): (str(doc), str(number)) for key, doc, number in rows}
