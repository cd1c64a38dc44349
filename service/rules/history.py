"""What the rules look at: the case history and the document requested. Plain frozen data.

``service.rules.service.case_history`` builds these from the database; the rules never query
anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from service.agreements.restructuring import Acknowledgment, Agreement
from service.caselog.promises import HardshipNote, Promise
from service.cases.debt import DebtSummary, Payment
from service.deliveries.outcome import DeliveryPolicy, LegalState, Reason, counts
from service.kernel.route import Route


class DocumentKind(StrEnum):
    """The four kinds of the default ladder. Rules name these; other kinds may be registered
    (``service.documents.kinds``), and a rule simply does not apply to them."""

    REMINDER = "reminder"
    WARNING = "warning"
    RESTRUCTURING = "restructuring"
    PRETRIAL = "pretrial"


class DeliveryStatus(StrEnum):
    """An attempt's legal outcome (``service.deliveries.outcome.LegalState``)."""

    DELIVERED = "delivered"
    RETURNED = "returned"
    """Registered letter came back unclaimed."""
    REFUSED = "refused"
    """The addressee refused to accept it."""
    NOT_DELIVERED = "not_delivered"
    """A permanent failure (bounce, wrong number or address)."""
    UNKNOWN = "unknown"
    """Nothing final yet: queued, in transit, sent without a receipt, a temporary failure."""
    FAILED = "not_delivered"
    """The contract's earlier name of ``NOT_DELIVERED``."""
    PENDING = "unknown"
    """The contract's earlier name of ``UNKNOWN``."""


_REASONS = {
    DeliveryStatus.NOT_DELIVERED: Reason.PERMANENT_FAILURE,
    DeliveryStatus.UNKNOWN: Reason.IN_TRANSIT,
    DeliveryStatus.RETURNED: Reason.RETURNED,
    DeliveryStatus.REFUSED: Reason.REFUSED,
}


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt as the rules read it: its legal outcome and legal date."""

    channel: str
    """``registered_post``, ``hand_delivery``, ``email``, … (the contract's channel names)."""
    status: DeliveryStatus
    delivered_at: dt.date | None = None
    """The legal delivery date: handed over, notice signed, or receipt fixed in the addressee's
    system (e-document law art. 7 p. 3–4). For returned/refused: the date it came back."""
    reason: Reason | None = None
    """Why it does not count (yet): ``no_receipt`` for an e-mail only sent, … Default: read
    from ``status``."""
    tracking_number: str | None = None

    def counts(self, policy: DeliveryPolicy) -> bool:
        return self.delivered_at is not None and counts(
            self.channel, LegalState(self.status.value), policy
        )

    @property
    def why_not(self) -> Reason:
        return self.reason or _REASONS.get(self.status, Reason.NONE)


@dataclass(frozen=True)
class IssuedDocument:
    kind: str
    id: str
    number: str
    issue_date: dt.date
    payment_deadline: dt.date | None = None
    deliveries: tuple[Delivery, ...] = ()
    route: Route | None = None

    def delivered_on(self, policy: DeliveryPolicy) -> dt.date | None:
        """The earliest delivery that counts; waiting periods run from it, never from sending.

        ``delivered`` always counts; a registered letter ``returned``/``refused`` only when the
        policy says so; nothing else. A delivery dated before the issue date is ignored.
        """
        dates = [
            d.delivered_at
            for d in self.deliveries
            if d.counts(policy) and d.delivered_at is not None and d.delivered_at >= self.issue_date
        ]
        return min(dates) if dates else None

    def undelivered_reason(self, policy: DeliveryPolicy) -> Reason:
        """Why no delivery counts, as the latest attempt says (a permanent failure, a returned
        or refused letter the policy does not count, an e-mail with no receipt yet, in
        transit); ``no_event`` when no attempt was recorded."""
        pending = [d for d in self.deliveries if not d.counts(policy)]
        return pending[-1].why_not if pending else Reason.NO_EVENT


@dataclass(frozen=True)
class CaseHistory:
    debt: DebtSummary
    """From ``compute_debt``: lines with due dates, outstanding amounts and gate openings."""
    documents: tuple[IssuedDocument, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    acknowledgments: tuple[Acknowledgment, ...] = ()
    """Written acknowledgments recorded outside agreements (e.g. a signed reply)."""
    hardship_recorded_on: dt.date | None = None
    """A hardship flag recorded for the debtor (used by segmentation)."""
    default_clauses: Mapping[str, str] = field(default_factory=dict)
    """Agreement id → the clause of its text that defines default (quoted after a default)."""
    payments: tuple[Payment, ...] = ()
    """The case's payments: promises to pay are judged kept or broken from them."""
    promises: tuple[Promise, ...] = ()
    """Promises to pay from the case log (used by segmentation)."""
    hardship_notes: tuple[HardshipNote, ...] = ()
    """Hardship notes from the case log, in the log's order (used by segmentation)."""

    def documents_of(self, kind: str) -> tuple[IssuedDocument, ...]:
        return tuple(d for d in self.documents if d.kind == kind)

    def all_acknowledgments(self) -> tuple[Acknowledgment, ...]:
        """Recorded acknowledgments plus those contained in signed agreements, by date."""
        signed = [a.acknowledgment for a in self.agreements if a.acknowledgment is not None]
        return tuple(sorted((*self.acknowledgments, *signed), key=lambda a: a.date))

    @property
    def arrears_started(self) -> dt.date | None:
        """Due date of the oldest item still unpaid (the current arrears episode)."""
        open_lines = [line.due_date for line in self.debt.lines if line.outstanding > 0]
        return min(open_lines) if open_lines else None


@dataclass(frozen=True)
class RequestedDocument:
    kind: str
    """A document kind's name (``DocumentKind`` for the default ladder)."""
    language: str = "kk"
    """``kk``, ``ru`` or ``bilingual``."""
    route: Route | None = None
    """For a pre-court letter: the route it announces."""
