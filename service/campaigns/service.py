"""Campaigns: define them, start runs, prepare drafts, approve or reject, issue and send.

A run moves in steps, each its own transaction, each safe to run again after a crash (the
jobs' side is ``work.service``, run by ``tasks``):

1. ``start_run`` (a request, or the schedule): the run row and one ``campaign.select`` job.
2. ``choose_cases`` / ``record_chosen`` (job): the filter picks the cases (read only), then one
   ``pending`` draft each and one ``campaign.prepare`` job per chunk of drafts (so several
   workers share the work).
3. ``prepare_drafts`` (job): the issuing pipeline's dry run (``documents.service.prepare``)
   for each draft — field errors and the rules' verdict; a ``prepared`` draft keeps its facts'
   digest, a ``refused`` one its reasons. Nothing is numbered, nothing is sent.
4. ``approve`` (a person: a lawyer's or an admin's key; personal-data law art. 19-1 forbids a
   fully automated decision that changes a person's rights): the approver names the digest of
   the set of drafts they read; the approval, that digest and the number of drafts are audited;
   one ``campaign.issue`` job per chunk is queued. ``reject`` ends the run instead.
5. ``plan_issue`` / ``record_issued`` (job, ``tasks.issue_chunk``): every approved draft is
   prepared again; one the rules now refuse, or whose facts changed since approval, is ``stale``
   with its reasons and never issued. The rest are issued through the bulk issuer with the key
   ``campaign:<run>:<case>`` (at most once, ever), and each issued document's sending is queued
   in the outbox in the transaction that marks its draft issued (at most one attempt per draft:
   a conditional update and a unique delivery id).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.campaigns import repository
from service.campaigns.campaign_events import (
    CampaignDefined,
    CampaignRunApproved,
    CampaignRunRejected,
    CampaignRunStarted,
)
from service.campaigns.definition import (
    SENT_CHANNELS,
    Schedule,
    drafts_digest,
)
from service.campaigns.models import CampaignDraftRow, CampaignRow, CampaignRunRow
from service.campaigns.schemas import RefusalOut, RunOut, progress_of, state_of
from service.clock import Clock
from service.creditors.auth import Permission, Principal, Role
from service.documents import service as documents
from service.documents.schemas import IssueIn
from service.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.kit.logs import log_event
from service.outbox import service as outbox

if TYPE_CHECKING:
    pass

log = logging.getLogger("talap.campaigns")

SELECT, PREPARE, ISSUE = "campaign.select", "campaign.prepare", "campaign.issue"
CHUNK = 25
"""Drafts per job: small enough that a job ends well within the outbox lease."""

PREPARING, APPROVED, REJECTED = "preparing", "approved", "rejected"


class RunPrincipal(Principal):
    """The creditor's system identity a run prepares and issues as; the audit log names the
    run (``campaign_run:<id>``), and the run names the person who approved it."""

    @property
    def actor(self) -> str:
        return f"campaign_run:{self.key_id}"


def run_principal(run: CampaignRunRow) -> Principal:
    return RunPrincipal(key_id=run.id, role=Role.SYSTEM, creditor_id=run.creditor_id)


def idempotency_key(run_id: str, external_id: str) -> str:
    return f"campaign:{run_id}:{external_id}"


# --- campaigns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSpec:
    name: str
    kind: str
    language: str
    channel: str
    route: str | None
    case_filter: dict[str, Any]
    schedule: dict[str, Any]


def define(
    session: Session, clock: Clock, kinds: Any, caller: Principal, spec: CampaignSpec
) -> CampaignRow:
    caller.require(Permission.MANAGE_CAMPAIGNS)
    creditor_id = caller.creditor()
    kind = kinds.get(spec.kind)
    problems: list[FieldError] = []
    if kind is None:
        problems.append(FieldError("kind", "unknown_kind", f"no document kind {spec.kind!r}"))
    elif spec.language != "preferred" and spec.language not in kind.languages:
        problems.append(
            FieldError("language", "unsupported_language", f"{spec.kind} has no {spec.language}")
        )
    if kind is not None and kind.needs_route and spec.route is None:
        problems.append(FieldError("route", "required", f"a {spec.kind} needs its route"))
    if problems:
        raise ValidationFailed(problems)
    now = clock.now()
    row = CampaignRow(
        id=str(uuid.uuid4()),
        creditor_id=creditor_id,
        name=spec.name,
        kind=spec.kind,
        language_rule=spec.language,
        channel=spec.channel,
        filter={**spec.case_filter, **({"route": spec.route} if spec.route else {})},
        schedule=spec.schedule,
        active=True,
        created_by=caller.actor,
        created_at=now,
    )
    repository.add(session, row)
    event = CampaignDefined(row.id, row.kind, row.channel, row.language_rule, row.schedule)
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=now)
    return row


def list_campaigns(session: Session, caller: Principal) -> list[CampaignRow]:
    caller.require(Permission.READ)
    return repository.campaigns(session, caller.creditor())


def get_campaign(session: Session, caller: Principal, campaign_id: str) -> CampaignRow:
    caller.require(Permission.READ)
    row = repository.campaign(session, caller.creditor(), campaign_id)
    if row is None:
        raise NotFound(f"campaign {campaign_id} not found")
    return row


# --- runs -----------------------------------------------------------------------------------


def start_run(
    session: Session, clock: Clock, caller: Principal, campaign_id: str
) -> CampaignRunRow:
    """A run now, on demand: it prepares drafts and waits for a person's approval."""
    caller.require(Permission.MANAGE_CAMPAIGNS)
    campaign = get_campaign(session, caller, campaign_id)
    return _new_run(session, clock, campaign, trigger="manual", period=None, actor=caller.actor)


def start_scheduled(session: Session, clock: Clock) -> list[CampaignRunRow]:
    """The runs the schedules ask for today that do not exist yet (one per campaign and month;
    several consumers sweeping at once make one). A scheduled run only prepares."""
    today = clock.today()
    made = []
    for campaign in repository.scheduled(session):
        schedule = Schedule(campaign.schedule["type"], campaign.schedule.get("day"))
        period = schedule.due_period(today)
        if period is None or repository.run_for_period(session, campaign.id, period):
            continue
        made.append(
            _new_run(session, clock, campaign, trigger="schedule", period=period, actor="schedule")
        )
    return made


def _new_run(
    session: Session,
    clock: Clock,
    campaign: CampaignRow,
    *,
    trigger: str,
    period: str | None,
    actor: str,
) -> CampaignRunRow:
    now = clock.now()
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "campaign_id": campaign.id,
        "creditor_id": campaign.creditor_id,
        "trigger": trigger,
        "period": period,
        "state": PREPARING,
        "as_of": clock.today(),
        "total": None,
        "started_by": actor,
        "created_at": now,
    }
    if period is None:
        run = CampaignRunRow(**values)
        repository.add(session, run)
    else:
        found = repository.add_scheduled_run(session, **values)
        if found is None:
            raise Conflict(f"campaign {campaign.id} already has a run for {period}")
        run = found
    event = CampaignRunStarted(campaign.id, run.id, trigger, period)
    audit.record(session, event, creditor_id=campaign.creditor_id, actor=actor, at=now)
    enqueue(session, clock, run, SELECT, {})
    log_event(log, "campaign.run_started", campaign_id=campaign.id, run_id=run.id, trigger=trigger)
    return run


def enqueue(
    session: Session, clock: Clock, run: CampaignRunRow, topic: str, extra: dict[str, Any]
) -> None:
    outbox.enqueue(
        session,
        topic=topic,
        payload={"run_id": run.id, **extra},
        creditor_id=run.creditor_id,
        subject=f"campaign_run:{run.id}",
        at=clock.now(),
    )


def get_run(
    session: Session, caller: Principal, campaign_id: str, run_id: str
) -> tuple[CampaignRow, CampaignRunRow]:
    campaign = get_campaign(session, caller, campaign_id)
    run = repository.run(session, run_id)
    if run is None or run.campaign_id != campaign.id:
        raise NotFound(f"run {run_id} of campaign {campaign_id} not found")
    return campaign, run


def runs_of(session: Session, caller: Principal, campaign_id: str) -> list[CampaignRunRow]:
    return repository.runs(session, get_campaign(session, caller, campaign_id).id)


def run_out(session: Session, run: CampaignRunRow) -> RunOut:
    """The run with its progress, counted from its drafts and their deliveries."""
    campaign = repository.campaign_by_id(session, run.campaign_id)
    counts = repository.counts(session, run.id)
    progress = progress_of(counts, repository.delivery_states(session, run.id), run.total)
    sends = campaign is not None and campaign.channel in SENT_CHANNELS
    state = state_of(run, progress, sends)
    digest = run.drafts_digest
    if state == "awaiting_approval":
        prepared = repository.drafts(session, run.id, status=repository.PREPARED)
        digest = drafts_digest((d.external_id, d.facts_digest or "") for d in prepared)
    refusals = [
        RefusalOut(
            case=d.external_id,
            status=d.status,
            errors=(d.outcome or {}).get("errors", []),
            violations=(d.outcome or {}).get("violations", []),
        )
        for d in repository.with_outcome(session, run.id)
    ]
    return RunOut(
        id=run.id,
        campaign=run.campaign_id,
        state=state,
        trigger=run.trigger,
        period=run.period,
        as_of=run.as_of,
        started_by=run.started_by,
        created_at=run.created_at,
        drafts_digest=digest,
        decided_by=run.decided_by,
        decided_at=run.decided_at,
        reason=run.reason,
        progress=progress,
        refusals=refusals,
    )


def drafts_of(
    session: Session, caller: Principal, campaign_id: str, run_id: str, status: str | None
) -> list[CampaignDraftRow]:
    _, run = get_run(session, caller, campaign_id, run_id)
    return repository.drafts(session, run.id, status=status)


def preview(
    session: Session,
    ports: documents.Issuing,
    caller: Principal,
    campaign_id: str,
    run_id: str,
    external_id: str,
) -> bytes:
    """A draft's PDF as it would be issued today: unnumbered, unsigned, marked draft."""
    _, run = get_run(session, caller, campaign_id, run_id)
    draft = repository.draft_of_case(session, run.id, external_id)
    if draft is None or draft.request is None:
        raise NotFound(f"run {run_id} has no draft for case {external_id}")
    request = IssueIn.model_validate(draft.request)
    return documents.preview(session, ports, caller, external_id, request).pdf


# --- approval -------------------------------------------------------------------------------


def approve(
    session: Session,
    clock: Clock,
    caller: Principal,
    campaign_id: str,
    run_id: str,
    digest: str,
) -> CampaignRunRow:
    """A person approves exactly the prepared drafts they read (named by their digest)."""
    caller.require(Permission.APPROVE_CAMPAIGNS)
    run = _decidable(session, caller, campaign_id, run_id)
    prepared = repository.drafts(session, run.id, status=repository.PREPARED)
    current = drafts_digest((d.external_id, d.facts_digest or "") for d in prepared)
    if digest != current:
        raise Conflict(
            "the drafts changed since they were read (or the digest is not theirs): read the "
            f"run again and approve its drafts_digest {current}"
        )
    if not prepared:
        raise Conflict("the run has no prepared draft to approve; reject it instead")
    now = clock.now()
    approved = repository.approve_prepared(session, run.id)
    run.state, run.decided_by, run.decided_at = APPROVED, caller.actor, now
    run.drafts_digest = current
    refused = repository.counts(session, run.id).get(repository.REFUSED, 0)
    event = CampaignRunApproved(run.campaign_id, run.id, approved, current, refused)
    audit.record(session, event, creditor_id=run.creditor_id, actor=caller.actor, at=now)
    ids = [d.id for d in prepared]
    for start in range(0, len(ids), CHUNK):
        enqueue(session, clock, run, ISSUE, {"drafts": ids[start : start + CHUNK]})
    log_event(log, "campaign.approved", run_id=run.id, drafts=approved, digest=current)
    return run


def reject(
    session: Session,
    clock: Clock,
    caller: Principal,
    campaign_id: str,
    run_id: str,
    reason: str | None,
) -> CampaignRunRow:
    caller.require(Permission.APPROVE_CAMPAIGNS)
    run = _decidable(session, caller, campaign_id, run_id, ready=False)
    now = clock.now()
    declined = repository.decline_prepared(session, run.id)
    run.state, run.decided_by, run.decided_at, run.reason = REJECTED, caller.actor, now, reason
    event = CampaignRunRejected(run.campaign_id, run.id, declined)
    audit.record(session, event, creditor_id=run.creditor_id, actor=caller.actor, at=now)
    return run


def _decidable(
    session: Session, caller: Principal, campaign_id: str, run_id: str, *, ready: bool = True
) -> CampaignRunRow:
    get_run(session, caller, campaign_id, run_id)  # visible to this caller
    run = repository.lock_run(session, run_id)
    if run is None:
        raise NotFound(f"run {run_id} not found")
    if run.state != PREPARING:
        raise Conflict(f"run {run_id} is {run.state} already")
    if ready:
        pending = repository.counts(session, run.id).get(repository.PENDING, 0)
        if run.total is None or pending:
            raise Conflict(f"run {run_id} is still being prepared ({pending} drafts to go)")
    return run
