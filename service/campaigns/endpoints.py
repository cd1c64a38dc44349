"""``/v1/campaigns``: define campaigns, start runs, read their progress, approve or reject.

Approving and rejecting need ``approve_campaigns`` (a lawyer's or an admin's key): a system key
may define campaigns and start runs, which only prepare drafts, but never decides for a person
(personal-data law art. 19-1).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from service.campaigns import service
from service.campaigns.schemas import (
    ApproveIn,
    CampaignIn,
    CampaignListOut,
    CampaignOut,
    DraftListOut,
    DraftOut,
    RejectIn,
    RunListOut,
    RunOut,
)
from service.creditors.auth import Permission
from service.kit.deps import Caller, DbSession, WiringDep, requires
from service.kit.http_errors import errors

router = APIRouter(prefix="/v1/campaigns", tags=["campaigns"])

PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "description": "The draft as it would be issued today: unnumbered, unsigned, marked draft",
    }
}


@router.post(
    "",
    dependencies=[requires(Permission.MANAGE_CAMPAIGNS)],
    status_code=201,
    response_model=CampaignOut,
    responses=errors(401, 403, 422),
)
def define_campaign(
    payload: CampaignIn, session: DbSession, caller: Caller, wiring: WiringDep
) -> CampaignOut:
    spec = service.CampaignSpec(
        name=payload.name,
        kind=payload.kind,
        language=payload.language,
        channel=payload.channel,
        route=payload.route.value if payload.route else None,
        case_filter=payload.stored_filter(),
        schedule=payload.schedule.model_dump(mode="json", exclude_none=True),
    )
    row = service.define(session, wiring.clock, wiring.kinds, caller, spec)
    return CampaignOut.of(row)


@router.get("", response_model=CampaignListOut, responses=errors(401, 403))
def list_campaigns(session: DbSession, caller: Caller) -> CampaignListOut:
    return CampaignListOut(
        campaigns=[CampaignOut.of(r) for r in service.list_campaigns(session, caller)]
    )


@router.get("/{campaign_id}", response_model=CampaignOut, responses=errors(401, 403, 404))
def get_campaign(campaign_id: str, session: DbSession, caller: Caller) -> CampaignOut:
    return CampaignOut.of(service.get_campaign(session, caller, campaign_id))


@router.post(
    "/{campaign_id}/runs",
    dependencies=[requires(Permission.MANAGE_CAMPAIGNS)],
    status_code=202,
    response_model=RunOut,
    responses=errors(401, 403, 404, 409),
)
def start_run(
    campaign_id: str, session: DbSession, caller: Caller, wiring: WiringDep, response: Response
) -> RunOut:
    """Start a run now: the job queue chooses the cases and prepares a draft for each; nothing
    is numbered or sent before a person approves the run."""
    run = service.start_run(session, wiring.clock, caller, campaign_id)
    response.headers["Location"] = f"/v1/campaigns/{campaign_id}/runs/{run.id}"
    return service.run_out(session, run)


@router.get("/{campaign_id}/runs", response_model=RunListOut, responses=errors(401, 403, 404))
def list_runs(campaign_id: str, session: DbSession, caller: Caller) -> RunListOut:
    runs = service.runs_of(session, caller, campaign_id)
    return RunListOut(runs=[service.run_out(session, r) for r in runs])


@router.get("/{campaign_id}/runs/{run_id}", response_model=RunOut, responses=errors(401, 403, 404))
def get_run(campaign_id: str, run_id: str, session: DbSession, caller: Caller) -> RunOut:
    """The run's state and progress: prepared, refused (with reasons), approved, issued,
    stale, failed, queued, sent."""
    _, run = service.get_run(session, caller, campaign_id, run_id)
    return service.run_out(session, run)


@router.get(
    "/{campaign_id}/runs/{run_id}/drafts",
    response_model=DraftListOut,
    responses=errors(401, 403, 404),
)
def list_drafts(
    campaign_id: str, run_id: str, session: DbSession, caller: Caller, status: str | None = None
) -> DraftListOut:
    drafts = service.drafts_of(session, caller, campaign_id, run_id, status)
    return DraftListOut(drafts=[DraftOut.of(d) for d in drafts])


@router.get(
    "/{campaign_id}/runs/{run_id}/drafts/{external_id}/pdf",
    response_class=Response,
    responses=errors(401, 403, 404, 422, also=PDF),
)
def draft_pdf(
    campaign_id: str,
    run_id: str,
    external_id: str,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> Response:
    pdf = service.preview(session, wiring.issuing(), caller, campaign_id, run_id, external_id)
    headers = {"Content-Disposition": 'inline; filename="draft.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post(
    "/{campaign_id}/runs/{run_id}:approve",
    dependencies=[requires(Permission.APPROVE_CAMPAIGNS)],
    response_model=RunOut,
    responses=errors(401, 403, 404, 409, 422),
)
def approve_run(
    campaign_id: str,
    run_id: str,
    payload: ApproveIn,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> RunOut:
    """A person approves the run's prepared drafts, named by the ``drafts_digest`` they read;
    issuing and sending then run in the job queue."""
    run = service.approve(session, wiring.clock, caller, campaign_id, run_id, payload.drafts_digest)
    return service.run_out(session, run)


@router.post(
    "/{campaign_id}/runs/{run_id}:reject",
    dependencies=[requires(Permission.APPROVE_CAMPAIGNS)],
    response_model=RunOut,
    responses=errors(401, 403, 404, 409, 422),
)
def reject_run(
    campaign_id: str,
    run_id: str,
    payload: RejectIn,
    session: DbSession,
    caller: Caller,
    wiring: WiringDep,
) -> RunOut:
    run = service.reject(session, wiring.clock, caller, campaign_id, run_id, payload.reason)
    return service.run_out(session, run)
