"""The legal outcome of an attempt from its provider events (pure): out-of-order arrival, a
terminal state kept against late events, the creditor's policy on refused and returned letters,
and e-document law art. 7 (an e-mail only sent is not received)."""

from __future__ import annotations

import datetime as dt

import pytest

from service.deliveries.outcome import (
    RECEIPT_ONLY,
    DeliveryPolicy,
    Event,
    EventStatus,
    LegalState,
    Reason,
    channel_of,
    fold,
    legal_outcome,
)

S = EventStatus
DEFAULT = DeliveryPolicy()


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def events(*items: tuple[EventStatus, dt.datetime]) -> list[Event]:
    """Events in the order they arrive (``seq`` = arrival)."""
    return [Event(status, moment, seq) for seq, (status, moment) in enumerate(items, 1)]


def test_sms_callbacks_out_of_order_end_in_the_terminal_state() -> None:
    """delivered arrives first, then the stale sending and sent: the state stays delivered and
    the late rows are kept but not applied."""
    arrived = events(
        (S.DELIVERED, at(25, 10, 5)), (S.SENDING, at(25, 10, 0)), (S.SENT, at(25, 10, 1))
    )
    folded = fold(arrived)
    assert folded.state is S.DELIVERED
    assert folded.applied == {1}
    outcome = legal_outcome("sms", arrived, DEFAULT)
    assert outcome.state is LegalState.DELIVERED
    assert outcome.legal_date == dt.date(2026, 11, 25)
    assert outcome.counts_as_delivered and outcome.reason is Reason.NONE


def test_a_non_terminal_event_older_than_the_state_does_not_replace_it() -> None:
    arrived = events((S.SENT, at(25, 10, 1)), (S.SENDING, at(25, 10, 0)))
    folded = fold(arrived)
    assert folded.state is S.SENT and folded.applied == {1}


def test_a_terminal_state_is_never_overwritten_by_a_second_verdict() -> None:
    """A bounce after the delivery report (or the other way round): the first verdict holds."""
    bounced_late = events(
        (S.SENT, at(25)), (S.DELIVERED, at(25, 11)), (S.PERMANENT_FAILURE, at(25, 12))
    )
    assert legal_outcome("email", bounced_late, DEFAULT).state is LegalState.DELIVERED
    delivered_late = events((S.PERMANENT_FAILURE, at(25, 11)), (S.DELIVERED, at(25, 12)))
    outcome = legal_outcome("email", delivered_late, DEFAULT)
    assert outcome.state is LegalState.NOT_DELIVERED
    assert outcome.reason is Reason.PERMANENT_FAILURE and outcome.delivered_on is None


def test_a_temporary_failure_then_delivery_is_delivered() -> None:
    arrived = events((S.SENT, at(25)), (S.TEMPORARY_FAILURE, at(25, 11)), (S.DELIVERED, at(26)))
    assert legal_outcome("email", arrived, DEFAULT).delivered_on == dt.date(2026, 11, 26)
    waiting = events((S.SENT, at(25)), (S.TEMPORARY_FAILURE, at(25, 11)))
    assert legal_outcome("email", waiting, DEFAULT).reason is Reason.TEMPORARY_FAILURE


@pytest.mark.parametrize("channel", ["email", "sms", "portal"])
def test_an_electronic_message_only_sent_is_not_received(channel: str) -> None:
    """E-document law art. 7 p. 2-4 (research 7.4): received only with a receipt notice."""
    outcome = legal_outcome(channel, events((S.QUEUED, at(24)), (S.SENT, at(24, 11))), DEFAULT)
    assert outcome.state is LegalState.UNKNOWN
    assert outcome.legal_date is None and not outcome.counts_as_delivered
    assert outcome.reason is Reason.NO_RECEIPT


def test_a_letter_sent_is_in_transit_and_no_event_is_unknown() -> None:
    sent = legal_outcome("registered_post", events((S.SENT, at(24))), DEFAULT)
    assert (sent.state, sent.reason) == (LegalState.UNKNOWN, Reason.IN_TRANSIT)
    nothing = legal_outcome("courier", [], DEFAULT)
    assert (nothing.state, nothing.reason) == (LegalState.UNKNOWN, Reason.NO_EVENT)


@pytest.mark.parametrize("status", [S.RETURNED, S.REFUSED])
def test_a_returned_or_refused_registered_letter_counts_by_policy(status: EventStatus) -> None:
    """Default: counts on the day it came back or was refused (notary law 92-6 logic, research
    A.5); switched off, it does not, and the reason says which."""
    arrived = events((S.SENT, at(20)), (status, at(26)))
    counted = legal_outcome("registered_post", arrived, DEFAULT)
    assert counted.state.value == status.value
    assert counted.delivered_on == dt.date(2026, 11, 26)
    not_counted = legal_outcome("registered_post", arrived, RECEIPT_ONLY)
    assert not_counted.legal_date == dt.date(2026, 11, 26)
    assert not_counted.delivered_on is None
    assert not_counted.reason.value == status.value
    legacy = legal_outcome("post", arrived, DEFAULT)
    assert legacy.counts_as_delivered


@pytest.mark.parametrize("channel", ["email", "sms", "hand_delivery", "courier"])
def test_the_policy_covers_registered_letters_only(channel: str) -> None:
    outcome = legal_outcome(channel, events((S.REFUSED, at(26))), DEFAULT)
    assert outcome.state is LegalState.REFUSED and not outcome.counts_as_delivered


def test_the_legal_date_is_the_day_in_kazakhstan() -> None:
    """20:30 UTC on the 25th is already the 26th in Almaty (UTC+5)."""
    outcome = legal_outcome("email", events((S.DELIVERED, at(25, 20, 30))), DEFAULT)
    assert outcome.legal_date == dt.date(2026, 11, 26)


def test_hand_is_hand_delivery_and_unknown_channels_are_refused() -> None:
    assert channel_of("hand").value == "hand_delivery"
    assert channel_of("post").value == "post"
    with pytest.raises(ValueError):
        channel_of("pigeon")
