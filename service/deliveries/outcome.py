"""From a delivery attempt's provider events to its legal outcome. Pure: no database, no clock.

An attempt (one channel, one recipient) collects timed events from its provider — ``queued``,
``sending``, ``sent``, ``delivered``, ``temporary_failure``, ``permanent_failure``, ``refused``,
``returned`` — in whatever order they arrive. Every event is kept; ``fold`` says which ones set
the attempt's state:

- the first **terminal** event recorded (``delivered``, ``permanent_failure``, ``refused``,
  ``returned``) fixes the state for good: a late or out-of-order event after it is kept and shown,
  never applied (a gateway's stale ``sent`` after ``delivered``; a second verdict);
- before that, a non-terminal event applies unless it happened before the one that set the state
  (a ``sending`` arriving after ``sent``).

The **legal outcome** reads the state:

- ``delivered`` — with its legal date, the day (Kazakhstan time) the provider fixed receipt.
  E-document law art. 7 p. 2–4 (research 7.4): an electronic document is *received* once it is
  recorded in the addressee's system and a receipt notice shows it; with no receipt notice it
  counts as not received. So an e-mail, SMS or portal message that is only ``sent`` is not
  delivered: its outcome stays ``unknown`` ("no receipt yet").
- ``refused`` / ``returned`` — the addressee refused the letter, or it came back unclaimed; the
  legal date is the day it was refused or came back. Whether it counts as delivered is the
  creditor's policy (``DeliveryPolicy``).
- ``not_delivered`` — a permanent failure (bounce, unknown number, wrong address).
- ``unknown`` — nothing final yet (queued, sending, sent, a temporary failure, or no event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

KZ_TIME = dt.timezone(dt.timedelta(hours=5), "Asia/Almaty")
"""Legal dates are days in Kazakhstan (one zone, UTC+5, since 2024-03-01)."""


class EventStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    TEMPORARY_FAILURE = "temporary_failure"
    PERMANENT_FAILURE = "permanent_failure"
    REFUSED = "refused"
    RETURNED = "returned"


TERMINAL = frozenset(
    {
        EventStatus.DELIVERED,
        EventStatus.PERMANENT_FAILURE,
        EventStatus.REFUSED,
        EventStatus.RETURNED,
    }
)


class LegalState(StrEnum):
    DELIVERED = "delivered"
    REFUSED = "refused"
    RETURNED = "returned"
    NOT_DELIVERED = "not_delivered"
    UNKNOWN = "unknown"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    REGISTERED_POST = "registered_post"
    COURIER = "courier"
    HAND_DELIVERY = "hand_delivery"
    PORTAL = "portal"
    POST = "post"
    """Kept as recorded before the channels were named precisely: a letter by post."""


CHANNEL_ALIASES = {"hand": Channel.HAND_DELIVERY}

ELECTRONIC = frozenset({Channel.EMAIL, Channel.SMS, Channel.PORTAL})
REGISTERED_LETTERS = frozenset({Channel.REGISTERED_POST, Channel.POST})
"""Where a refused or returned letter may count as delivered, by the creditor's policy."""


def channel_of(name: str) -> Channel:
    """The channel a name means (``hand`` is ``hand_delivery``); ``ValueError`` if none."""
    return CHANNEL_ALIASES.get(name) or Channel(name)


@dataclass(frozen=True)
class DeliveryPolicy:
    """The creditor's policy on what counts as delivered (setting ``delivery-outcome``).

    ``count_returned_refused``: does a registered letter the addressee refused, or that came back
    unclaimed, count as delivered on the day it was refused or came back? Default **yes**, as the
    notary law does for the notary's own copies of an endorsement (notary law art. 92-6 p. 1-1:
    a returned or refused letter counts as properly sent; research 2.9 and A.5, where applying
    the same logic to an ОСИ's letters is named a policy choice). A creditor may switch it off.
    """

    count_returned_refused: bool = True


RECEIPT_ONLY = DeliveryPolicy(count_returned_refused=False)
"""Only an actual receipt: where a term is stated to the debtor as running "from receipt" (the
statement, the discount offer), a letter that was returned or refused was not received."""


@dataclass(frozen=True)
class Event:
    status: EventStatus
    occurred_at: dt.datetime
    """When the provider says it happened (aware datetime)."""
    seq: int = 0
    """Recording order (the event row's id): arrival order, which may differ from occurrence."""


@dataclass(frozen=True)
class Folded:
    state: EventStatus | None
    """The attempt's state; ``None`` while no event has arrived."""
    state_at: dt.datetime | None
    applied: frozenset[int]
    """``seq`` of the events that set the state in turn; the others are kept, not applied."""


def fold(events: Iterable[Event]) -> Folded:
    """The attempt's state from its events in recording order (module docstring)."""
    current: Event | None = None
    applied: set[int] = set()
    for event in sorted(events, key=lambda e: e.seq):
        if current is not None and current.status in TERMINAL:
            continue
        if event.status in TERMINAL or current is None or event.occurred_at >= current.occurred_at:
            current = event
            applied.add(event.seq)
    if current is None:
        return Folded(None, None, frozenset())
    return Folded(current.status, current.occurred_at, frozenset(applied))


class Reason(StrEnum):
    """Why an attempt does not (yet) count as delivered — what a blocked rule names."""

    NONE = "none"
    NO_EVENT = "no_event"
    IN_TRANSIT = "in_transit"
    NO_RECEIPT = "no_receipt"
    TEMPORARY_FAILURE = "temporary_failure"
    PERMANENT_FAILURE = "permanent_failure"
    REFUSED = "refused"
    RETURNED = "returned"


@dataclass(frozen=True)
class Outcome:
    state: LegalState
    legal_date: dt.date | None
    """Delivered: the day of receipt; refused/returned: the day refused or back; else None."""
    counts_as_delivered: bool
    """Whether waiting periods run from ``legal_date`` under the policy given."""
    reason: Reason
    """``none`` when it counts; otherwise why not."""

    @property
    def delivered_on(self) -> dt.date | None:
        return self.legal_date if self.counts_as_delivered else None


def legal_date(moment: dt.datetime) -> dt.date:
    """The day in Kazakhstan on which ``moment`` falls."""
    return moment.astimezone(KZ_TIME).date()


def counts(channel: str, state: LegalState, policy: DeliveryPolicy) -> bool:
    """Whether an attempt in ``state`` counts as delivered under ``policy``."""
    if state is LegalState.DELIVERED:
        return True
    if state in (LegalState.REFUSED, LegalState.RETURNED):
        return policy.count_returned_refused and _channel(channel) in REGISTERED_LETTERS
    return False


def outcome_of(
    channel: str, state: EventStatus | None, state_at: dt.datetime | None, policy: DeliveryPolicy
) -> Outcome:
    """The legal outcome of an attempt in ``state`` (set at ``state_at``)."""
    legal = _LEGAL.get(state, LegalState.UNKNOWN) if state is not None else LegalState.UNKNOWN
    day = legal_date(state_at) if state_at is not None and legal in _DATED else None
    counted = counts(channel, legal, policy)
    return Outcome(legal, day, counted, Reason.NONE if counted else _reason(channel, state))


def legal_outcome(channel: str, events: Sequence[Event], policy: DeliveryPolicy) -> Outcome:
    """The contract function: fold the events, then read the state's legal meaning."""
    folded = fold(events)
    return outcome_of(channel, folded.state, folded.state_at, policy)


_LEGAL = {
    EventStatus.DELIVERED: LegalState.DELIVERED,
    EventStatus.REFUSED: LegalState.REFUSED,
    EventStatus.RETURNED: LegalState.RETURNED,
    EventStatus.PERMANENT_FAILURE: LegalState.NOT_DELIVERED,
}
_DATED = frozenset({LegalState.DELIVERED, LegalState.REFUSED, LegalState.RETURNED})


def _channel(name: str) -> Channel | None:
    try:
        return channel_of(name)
    except ValueError:
        return None


def _reason(channel: str, state: EventStatus | None) -> Reason:
    if state is None:
        return Reason.NO_EVENT
    if state is EventStatus.SENT and _channel(channel) in ELECTRONIC:
        return Reason.NO_RECEIPT  # e-document law art. 7 p. 4: no receipt notice, not received
    return {
        EventStatus.QUEUED: Reason.IN_TRANSIT,
        EventStatus.SENDING: Reason.IN_TRANSIT,
        EventStatus.SENT: Reason.IN_TRANSIT,
        EventStatus.TEMPORARY_FAILURE: Reason.TEMPORARY_FAILURE,
        EventStatus.PERMANENT_FAILURE: Reason.PERMANENT_FAILURE,
        EventStatus.REFUSED: Reason.REFUSED,
        EventStatus.RETURNED: Reason.RETURNED,
    }.get(state, Reason.NONE)
