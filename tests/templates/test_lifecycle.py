"""The lifecycle and the live pointer (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from service.errors import ValidationFailed
from service.templates import lifecycle, live
from service.templates.lifecycle import SelfApproval, Shown, State, Status, WrongState

T0 = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def draft(id_: str = "v1", author: str = "a") -> State:
    return State(id=id_, author=author, status=Status.DRAFT)


def live_version(id_: str, live_from: dt.datetime) -> State:
    approved = lifecycle.approve(draft(id_), "b", live_from - DAY)
    return lifecycle.schedule(approved, live_from, live_from - DAY)


def test_draft_approved_by_another_then_scheduled() -> None:
    approved = lifecycle.approve(draft(), "b", T0)
    assert approved.status is Status.APPROVED and approved.approved_by == "b"
    scheduled = lifecycle.schedule(approved, T0 + DAY, T0)
    assert scheduled.live_from == T0 + DAY
    assert lifecycle.shown(scheduled, T0, None) is Shown.SCHEDULED


def test_an_author_cannot_approve_their_own_version() -> None:
    with pytest.raises(SelfApproval):
        lifecycle.approve(draft(author="a"), "a", T0)


def test_only_drafts_are_approved_and_only_approved_versions_scheduled() -> None:
    approved = lifecycle.approve(draft(), "b", T0)
    with pytest.raises(WrongState):
        lifecycle.approve(approved, "c", T0)
    with pytest.raises(WrongState):
        lifecycle.schedule(draft(), T0 + DAY, T0)


def test_live_from_in_the_past_is_refused() -> None:
    approved = lifecycle.approve(draft(), "b", T0)
    with pytest.raises(ValidationFailed) as failed:
        lifecycle.schedule(approved, T0 - DAY, T0)
    assert failed.value.errors[0].code == "in_the_past"


def test_a_live_version_cannot_be_rescheduled_or_retired() -> None:
    version = live_version("v1", T0)
    with pytest.raises(WrongState):
        lifecycle.schedule(version, T0 + DAY, T0 + DAY / 2)
    with pytest.raises(WrongState):
        lifecycle.retire(version, "b", T0 + DAY, live_now=True)


def test_exactly_one_version_is_live_at_every_moment_from_the_first() -> None:
    first, second = live_version("v1", T0), live_version("v2", T0 + 3 * DAY)
    versions = [second, first, draft("v3")]
    assert live.live_at(versions, T0 - DAY) is None
    assert live.live_at(versions, T0) == first
    assert live.live_at(versions, T0 + 2 * DAY) == first
    assert live.live_at(versions, T0 + 3 * DAY) == second
    assert lifecycle.shown(first, T0 + 4 * DAY, "v2") is Shown.SUPERSEDED


def test_a_superseded_version_retired_stays_the_record_of_its_own_time() -> None:
    first, second = live_version("v1", T0), live_version("v2", T0 + 3 * DAY)
    retired = lifecycle.retire(first, "b", T0 + 4 * DAY, live_now=False)
    versions = [retired, second]
    assert live.live_at(versions, T0 + DAY) == retired  # it was live then
    assert live.live_at(versions, T0 + 5 * DAY) == second


def test_a_scheduled_version_retired_before_its_date_never_goes_live() -> None:
    first, second = live_version("v1", T0), live_version("v2", T0 + 3 * DAY)
    withdrawn = lifecycle.retire(second, "b", T0 + DAY, live_now=False)
    assert live.live_at([first, withdrawn], T0 + 4 * DAY) == first


def test_a_creditors_own_version_overrides_the_shared_one_from_its_live_from() -> None:
    shared = [live_version("shared", T0)]
    own = [live_version("own", T0 + 2 * DAY)]
    assert live.pick(own, shared, T0 + DAY) == shared[0]
    assert live.pick(own, shared, T0 + 2 * DAY) == own[0]
