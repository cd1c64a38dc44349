"""A version's life (pure): ``draft`` → ``approved`` (by someone other than its author) →
live from its ``live_from`` → ``retired``.

The stored status is one of ``draft``, ``approved``, ``retired``; ``live_from`` is a schedule on
an approved version. Whether a version is *live* at a moment is not stored: it follows from the
schedule of every version of the template (``live``), so it can never disagree with them.

Why these refusals:
- an author may not approve their own version (four eyes on the wording);
- ``live_from`` may not be in the past: a document issued yesterday used yesterday's wording, and
  a schedule into the past would make the record of which wording was in force wrong;
- the version live now cannot be retired: the template would be left with nothing to issue
  from. Schedule its successor; once that is live, the old one is superseded and may be retired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from service.errors import Conflict, FieldError, ValidationFailed


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class Shown(StrEnum):
    """The status as the API shows it at a moment."""

    DRAFT = "draft"
    APPROVED = "approved"
    """Approved, not scheduled."""
    SCHEDULED = "scheduled"
    LIVE = "live"
    SUPERSEDED = "superseded"
    """Was live; a later version is live now."""
    RETIRED = "retired"


@dataclass(frozen=True)
class State:
    """What the lifecycle decides on (a row's status fields)."""

    id: str
    author: str
    status: Status
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    live_from: dt.datetime | None = None
    retired_at: dt.datetime | None = None
    retired_by: str | None = None


class SelfApproval(Conflict):
    code = "self_approval"


class WrongState(Conflict):
    code = "wrong_state"


def approve(state: State, approver: str, at: dt.datetime) -> State:
    if state.status is not Status.DRAFT:
        raise WrongState(
            f"version {state.id[:12]} is {state.status.value}; only a draft is approved"
        )
    if approver == state.author:
        raise SelfApproval("an author may not approve their own version; a second lawyer must")
    return replace(state, status=Status.APPROVED, approved_by=approver, approved_at=at)


def schedule(state: State, live_from: dt.datetime, now: dt.datetime) -> State:
    if state.status is not Status.APPROVED:
        raise WrongState(
            f"version {state.id[:12]} is {state.status.value}; "
            "only an approved version is scheduled"
        )
    if state.live_from is not None and state.live_from <= now:
        raise WrongState(f"version {state.id[:12]} is live since {state.live_from.isoformat()}")
    if live_from.tzinfo is None:
        raise ValidationFailed(
            [FieldError("live_from", "naive_datetime", "give a moment with its offset (+05:00)")]
        )
    if live_from < now:
        raise ValidationFailed(
            [
                FieldError(
                    "live_from",
                    "in_the_past",
                    "a version cannot go live in the past: documents already issued used the "
                    "wording then in force",
                )
            ]
        )
    return replace(state, live_from=live_from)


def retire(state: State, actor: str, now: dt.datetime, *, live_now: bool) -> State:
    """``live_now``: ``state`` is the template's live version at ``now`` (see ``live``)."""
    if state.status is Status.RETIRED:
        raise WrongState(f"version {state.id[:12]} is already retired")
    if live_now:
        raise WrongState(
            f"version {state.id[:12]} is the live version: schedule its successor first; once that "
            "is live this one can be retired"
        )
    return replace(state, status=Status.RETIRED, retired_at=now, retired_by=actor)


def in_force_at(state: State, moment: dt.datetime) -> bool:
    """The version could be picked at ``moment``: approved, scheduled no later than ``moment``,
    and not retired by then (a version retired later was still in force earlier)."""
    if state.live_from is None or state.live_from > moment:
        return False
    if state.status is Status.DRAFT:
        return False
    return state.retired_at is None or state.retired_at > moment


def shown(state: State, now: dt.datetime, live_id: str | None) -> Shown:
    if state.status is Status.RETIRED:
        return Shown.RETIRED
    if state.status is Status.DRAFT:
        return Shown.DRAFT
    if state.id == live_id:
        return Shown.LIVE
    if state.live_from is None:
        return Shown.APPROVED
    return Shown.SCHEDULED if state.live_from > now else Shown.SUPERSEDED
