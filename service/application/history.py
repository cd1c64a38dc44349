"""Builds the rules engine's view of a case (``CaseHistory``) from what is stored.

Documents with their deliveries, restructuring agreements with the payments that count for them
(``agreements.case_agreements``), written acknowledgments recorded apart from agreements (those
contained in signed agreements are added by ``CaseHistory.all_acknowledgments``), and the latest
hardship flag if it is still active.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.application.agreements import case_agreements, recorded_acknowledgments
from service.application.cases import compute_case_debt
from service.bootstrap import Container
from service.db import repositories as repo
from service.db import rules_repository as rules_repo
from service.domain.debt import DebtSummary
from service.domain.penalty import PenaltyResult
from service.domain.rules import CaseHistory, Delivery, DeliveryStatus, DocumentKind, IssuedDocument
from service.domain.rules.history import Route


def issued_documents(session: Session, case_id: str) -> tuple[IssuedDocument, ...]:
    rows = repo.documents_of_case(session, case_id)
    if not rows:
        return ()
    by_document: dict[str, list[Delivery]] = {}
    for delivery in rules_repo.deliveries_of(session, [row.id for row in rows]):
        by_document.setdefault(delivery.document_id, []).append(
            Delivery(delivery.channel, DeliveryStatus(delivery.status), delivery.delivered_at)
        )
    documents = []
    for row in rows:
        deadline = row.snapshot.get("deadline")
        route = row.request.get("route")
        documents.append(
            IssuedDocument(
                kind=DocumentKind(row.kind),
                id=row.id,
                number=row.number,
                issue_date=row.issue_date,
                payment_deadline=dt.date.fromisoformat(deadline) if deadline else None,
                deliveries=tuple(by_document.get(row.id, ())),
                route=Route(route) if route else None,
            )
        )
    return tuple(documents)


def hardship_on(session: Session, case_id: str) -> dt.date | None:
    """The date of the latest hardship flag, unless the latest record says it ended."""
    latest = rules_repo.latest_hardship(session, case_id)
    return latest.date if latest is not None and latest.active else None


def case_history(session: Session, case_id: str, debt: DebtSummary) -> CaseHistory:
    return CaseHistory(
        debt=debt,
        documents=issued_documents(session, case_id),
        agreements=tuple(agreement for _, agreement in case_agreements(session, case_id)),
        acknowledgments=recorded_acknowledgments(session, case_id),
        hardship_recorded_on=hardship_on(session, case_id),
    )


@dataclass(frozen=True)
class CaseState:
    """A case as the rules see it on one date: stored data, computed debt and history."""

    case: repo.StoredCase
    debt: DebtSummary
    penalty: PenaltyResult
    history: CaseHistory


def case_state(c: Container, session: Session, creditor_id: str, external_id: str) -> CaseState:
    """Load the case and compute everything as of the service's today."""
    case = repo.load_case(session, creditor_id, external_id)
    debt, penalty = compute_case_debt(case, c.clock.today(), c.calendar, c.penalty_policy)
    return CaseState(case, debt, penalty, case_history(session, case.id, debt))
