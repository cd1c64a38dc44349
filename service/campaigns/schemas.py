"""Campaigns, runs and their progress as the API takes and returns them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from service.campaigns import repository
from service.campaigns.definition import CHANNELS, LANGUAGE_RULES
from service.campaigns.models import CampaignDraftRow, CampaignRow, CampaignRunRow
from service.cases.case import UnitType
from service.kernel.route import Route
from service.kit.fields import Amount, In, LineText, NoteText, Out
from service.segments.segments import Segment


class FilterIn(In):
    """Which cases a run takes; every condition given must hold."""

    min_overdue: Amount | None = None
    min_months: Annotated[int, Field(ge=1, le=600)] | None = None
    segments: list[Segment] = Field(default_factory=list)
    next_step_allowed: bool = True
    """Only cases whose next lawful step is the campaign's kind, allowed today."""
    unit_types: list[UnitType] = Field(default_factory=list)
    external_id_prefix: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    units: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list)


class ScheduleIn(In):
    type: Literal["on_demand", "monthly"] = "on_demand"
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    """For ``monthly``: the day of the month (a shorter month: its last day)."""

    @model_validator(mode="after")
    def _day_for_monthly(self) -> ScheduleIn:
        if self.type == "monthly" and self.day is None:
            raise PydanticCustomError(
                "required", "a monthly schedule needs its day", {"field": "day"}
            )
        return self


class CampaignIn(In):
    name: LineText
    kind: Annotated[str, Field(min_length=1, max_length=40)]
    language: Annotated[str, Field(json_schema_extra={"enum": list(LANGUAGE_RULES)})] = "preferred"
    """``preferred``: the debtor's language if the kind has it, else bilingual."""
    channel: Annotated[str, Field(json_schema_extra={"enum": list(CHANNELS)})] = "email"
    route: Route | None = None
    filter: FilterIn = FilterIn()
    schedule: ScheduleIn = ScheduleIn()

    @model_validator(mode="after")
    def _known_words(self) -> CampaignIn:
        if self.language not in LANGUAGE_RULES:
            raise PydanticCustomError(
                "unknown_value",
                "must be one of {known}",
                {"known": ", ".join(LANGUAGE_RULES), "field": "language"},
            )
        if self.channel not in CHANNELS:
            raise PydanticCustomError(
                "unknown_value",
                "must be one of {known}",
                {"known": ", ".join(CHANNELS), "field": "channel"},
            )
        return self

    def stored_filter(self) -> dict[str, Any]:
        return self.filter.model_dump(mode="json", exclude_none=True)


class CampaignOut(Out):
    id: str
    name: str
    kind: str
    language: str
    channel: str
    filter: dict[str, Any]
    schedule: dict[str, Any]
    active: bool
    created_by: str
    created_at: dt.datetime

    @classmethod
    def of(cls, row: CampaignRow) -> CampaignOut:
        return cls(
            id=row.id,
            name=row.name,
            kind=row.kind,
            language=row.language_rule,
            channel=row.channel,
            filter=row.filter,
            schedule=row.schedule,
            active=row.active,
            created_by=row.created_by,
            created_at=row.created_at,
        )


class CampaignListOut(Out):
    campaigns: list[CampaignOut]


class RefusalOut(Out):
    case: str
    status: str
    """``refused`` (when prepared), ``stale`` (re-checked at issue time), ``failed``, or
    ``issued`` with a sending that could not be queued."""
    errors: list[dict[str, Any]]
    violations: list[dict[str, Any]]


class ProgressOut(Out):
    total: int | None
    """Cases the filter took (null while they are being chosen)."""
    pending: int
    prepared: int
    """Drafts that passed preparation (approved or not yet)."""
    refused: int
    approved: int
    issued: int
    stale: int
    failed: int
    declined: int
    queued: int
    """Sendings waiting in the outbox (or being retried)."""
    sent: int
    delivered: int
    send_failed: int


class RunOut(Out):
    id: str
    campaign: str
    state: str
    """``selecting``, ``preparing``, ``awaiting_approval``, ``issuing``, ``sending``, ``done``,
    ``rejected``."""
    trigger: str
    period: str | None
    as_of: dt.date
    started_by: str
    created_at: dt.datetime
    drafts_digest: str | None
    """While awaiting approval: the digest of the prepared drafts, which the approval must
    name; after it: what was approved."""
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str | None
    progress: ProgressOut
    refusals: list[RefusalOut]


class RunListOut(Out):
    runs: list[RunOut]


class DraftOut(Out):
    case: str
    status: str
    language: str | None
    facts_digest: str | None
    document_id: str | None
    number: str | None
    delivery_id: str | None

    @classmethod
    def of(cls, row: CampaignDraftRow) -> DraftOut:
        return cls(
            case=row.external_id,
            status=row.status,
            language=(row.request or {}).get("language"),
            facts_digest=row.facts_digest,
            document_id=row.document_id,
            number=row.number,
            delivery_id=row.delivery_id,
        )


class DraftListOut(Out):
    drafts: list[DraftOut]


class ApproveIn(In):
    drafts_digest: Annotated[str, Field(min_length=64, max_length=64)]
    """The run's ``drafts_digest`` as read: the approval covers exactly those drafts."""


class RejectIn(In):
    reason: NoteText | None = None


SENT_STATES = {"sent": "sent", "delivered": "delivered"}
FAILED_STATES = {"permanent_failure", "refused", "returned"}


def progress_of(
    counts: dict[str, int], deliveries: dict[str, int], total: int | None
) -> ProgressOut:
    issued = counts.get(repository.ISSUED, 0)
    sent = deliveries.get("sent", 0)
    delivered = deliveries.get("delivered", 0)
    failed_sends = sum(n for state, n in deliveries.items() if state in FAILED_STATES)
    queued = sum(
        n for state, n in deliveries.items()
        if state not in FAILED_STATES and state not in SENT_STATES
    )  # fmt: skip
    approved = sum(
        counts.get(s, 0)
        for s in (repository.APPROVED, repository.ISSUED, repository.STALE, repository.FAILED)
    )
    return ProgressOut(
        total=total,
        pending=counts.get(repository.PENDING, 0),
        prepared=approved + counts.get(repository.PREPARED, 0) + counts.get(repository.DECLINED, 0),
        refused=counts.get(repository.REFUSED, 0),
        approved=approved,
        issued=issued,
        stale=counts.get(repository.STALE, 0),
        failed=counts.get(repository.FAILED, 0),
        declined=counts.get(repository.DECLINED, 0),
        queued=queued,
        sent=sent + delivered,
        delivered=delivered,
        send_failed=failed_sends,
    )


def state_of(run: CampaignRunRow, progress: ProgressOut, sends: bool) -> str:
    if run.state == "rejected":
        return "rejected"
    if run.state == "preparing":
        if run.total is None:
            return "selecting"
        return "preparing" if progress.pending else "awaiting_approval"
    if progress.approved > progress.issued + progress.stale + progress.failed:
        return "issuing"
    if sends and progress.queued:
        return "sending"
    return "done"
