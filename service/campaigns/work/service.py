"""The campaign work the job queue does, each step its own transaction and safe to redo:
choosing a run's cases, preparing its drafts (the issuing pipeline's dry run), and, after a
person's approval, checking each draft again, issuing it and queueing its sending
(``service.campaigns.service`` says the order; ``service.campaigns.tasks`` runs it).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from service.campaigns import repository
from service.campaigns.definition import (
    CONTACT_OF,
    SENT_CHANNELS,
    CaseFacts,
    CaseFilter,
    changed_sections,
    facts_digest,
    language_for,
    matches,
    sections,
)
from service.campaigns.models import CampaignDraftRow, CampaignRunRow
from service.campaigns.service import (
    APPROVED,
    CHUNK,
    PREPARE,
    PREPARING,
    enqueue,
    idempotency_key,
    run_principal,
)
from service.cases import repository as cases
from service.cases.case import assess
from service.channels.email import is_address
from service.clock import Clock
from service.deliveries.senders import SENDERS
from service.deliveries.service import start_attempt
from service.documents import service as documents
from service.documents.schemas import IssueIn
from service.documents.snapshot import snapshot
from service.errors import FieldError, TalapError, ValidationFailed
from service.kit.logs import log_event
from service.law.context import LawContext
from service.rules import service as rules
from service.rules.engine import PolicyOverrides
from service.segments.segments import segment_case

if TYPE_CHECKING:
    from service.bootstrap import Wiring

log = logging.getLogger("talap.campaigns")


# --- selecting and preparing (jobs) ---------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    case_id: str
    external_id: str
    request: dict[str, Any]


def choose_cases(
    session: Session, clock: Clock, law: LawContext, kinds: Any, run_id: str
) -> list[Chosen] | None:
    """The cases the run's filter takes today, each with its request (read only: every case
    of the creditor is classified, which may take a while); None if they were chosen already."""
    run = repository.run(session, run_id)
    campaign = repository.campaign_by_id(session, run.campaign_id) if run else None
    if run is None or campaign is None or run.total is not None or run.state != PREPARING:
        return None
    spec = kinds.get(campaign.kind)
    languages = spec.languages if spec is not None else ()
    case_filter = filter_of(campaign.filter)
    today = clock.today()
    overrides = rules.overrides_for(session, run.creditor_id, today)
    chosen = []
    for external_id in cases.external_ids(session, run.creditor_id):
        facts, case_id, debtor_language = _case_facts(
            session, law, today, run.creditor_id, external_id, overrides
        )
        if not matches(case_filter, campaign.kind, facts, today):
            continue
        request: dict[str, Any] = {
            "kind": campaign.kind,
            "language": language_for(campaign.language_rule, debtor_language, languages),
        }
        if campaign.filter.get("route"):
            request["route"] = campaign.filter["route"]
        chosen.append(Chosen(case_id, external_id, request))
    return chosen


def record_chosen(session: Session, clock: Clock, run_id: str, chosen: Sequence[Chosen]) -> int:
    """One pending draft per chosen case and their preparation queued in chunks — once: a
    second run of the job finds the run's cases chosen and adds nothing."""
    run = repository.lock_run(session, run_id)
    if run is None or run.total is not None or run.state != PREPARING:
        return 0
    now = clock.now()
    rows = [
        CampaignDraftRow(
            run_id=run.id,
            case_id=c.case_id,
            external_id=c.external_id,
            status=repository.PENDING,
            request=c.request,
            updated_at=now,
        )
        for c in chosen
    ]
    repository.add_drafts(session, rows)
    run.total = len(rows)
    ids = [row.id for row in rows]
    for start in range(0, len(ids), CHUNK):
        enqueue(session, clock, run, PREPARE, {"drafts": ids[start : start + CHUNK]})
    log_event(log, "campaign.selected", run_id=run.id, total=len(rows))
    return len(rows)


def filter_of(stored: dict[str, Any]) -> CaseFilter:
    minimum = stored.get("min_overdue")
    return CaseFilter(
        min_overdue=Decimal(minimum) if minimum is not None else None,
        min_months=stored.get("min_months"),
        segments=tuple(stored.get("segments") or ()),
        next_step_allowed=bool(stored.get("next_step_allowed", True)),
        unit_types=tuple(stored.get("unit_types") or ()),
        external_id_prefix=stored.get("external_id_prefix"),
        units=tuple(stored.get("units") or ()),
    )


def _case_facts(
    session: Session,
    law: LawContext,
    today: dt.date,
    creditor_id: str,
    external_id: str,
    overrides: PolicyOverrides,
) -> tuple[CaseFacts, str, str]:
    case = cases.load(session, creditor_id, external_id)
    debt = assess(case, today, law.calendar, law.penalty_policy)
    history = rules.case_history(session, case, debt.summary)
    result = segment_case(history, today, law.rulebook, law.calendar, overrides)
    step = result.next_step
    facts = CaseFacts(
        external_id=external_id,
        overdue=debt.summary.totals.overdue,
        months_in_arrears=len(result.months_in_arrears),
        segment=result.segment.value,
        next_kind=str(step.kind) if step.kind else None,
        next_earliest=step.earliest,
        unit_type=case.unit.type.value,
        unit_number=case.unit.number,
    )
    return facts, case.id, case.debtor.language


@dataclass(frozen=True)
class Verdict:
    """One draft prepared (or prepared again at issue time)."""

    draft_id: int
    ok: bool
    digest: str | None
    sections: dict[str, str] | None
    outcome: dict[str, Any] | None


def check_draft(
    session: Session, ports: documents.Issuing, run: CampaignRunRow, channel: str, draft: Any
) -> Verdict:
    """The dry run of issuing one draft's notice: every field error and rule violation, and
    the debtor's contact for the channel (read only)."""
    caller = run_principal(run)
    request = IssueIn.model_validate(draft.request)
    try:
        prepared = documents.prepare(
            session, ports, caller, draft.external_id, request.to_request()
        )
    except ValidationFailed as failed:
        return Verdict(draft.id, False, None, None, _reasons(failed.errors, []))
    except TalapError as exc:
        error = FieldError("case", exc.code, str(exc))
        return Verdict(draft.id, False, None, None, _reasons([error], []))
    errors = list(prepared.errors)
    contact = CONTACT_OF.get(channel)
    if contact is not None:
        given = getattr(prepared.case.debtor, contact)
        if not given:
            errors.append(FieldError(f"debtor.{contact}", "required", f"no {contact} to send to"))
        elif contact == "email" and not is_address(given):
            errors.append(FieldError("debtor.email", "invalid_email", "not an e-mail address"))
    violations = list(prepared.evaluation.violations)
    if errors or violations or prepared.facts is None:
        return Verdict(draft.id, False, None, None, _reasons(errors, violations))
    stored = snapshot(prepared.facts)
    return Verdict(draft.id, True, facts_digest(stored), sections(stored), None)


def _reasons(errors: Sequence[FieldError], violations: Sequence[Any]) -> dict[str, Any]:
    return {
        "errors": [e.as_dict() for e in errors],
        "violations": [v.as_dict() for v in violations],
    }


def prepare_drafts(
    session: Session, ports: documents.Issuing, run_id: str, draft_ids: Sequence[int]
) -> list[Verdict]:
    """Dry-run the chunk's pending drafts (read only; ``record_prepared`` writes)."""
    run = repository.run(session, run_id)
    if run is None or run.state != PREPARING:
        return []
    campaign = repository.campaign_by_id(session, run.campaign_id)
    channel = campaign.channel if campaign else "none"
    pending = repository.drafts(session, run_id, draft_ids, status=repository.PENDING)
    return [check_draft(session, ports, run, channel, draft) for draft in pending]


def record_prepared(session: Session, clock: Clock, verdicts: Sequence[Verdict]) -> None:
    now = clock.now()
    for verdict in verdicts:
        repository.move(
            session,
            verdict.draft_id,
            from_status=repository.PENDING,
            status=repository.PREPARED if verdict.ok else repository.REFUSED,
            facts_digest=verdict.digest,
            sections=verdict.sections,
            outcome=verdict.outcome,
            updated_at=now,
        )


# --- issuing and sending (jobs) -------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    draft_id: int
    external_id: str
    request: IssueIn
    key: str


@dataclass(frozen=True)
class Plan:
    run: CampaignRunRow
    channel: str
    to_issue: list[Planned]
    stale: list[Verdict]


def plan_issue(
    session: Session, ports: documents.Issuing, run_id: str, draft_ids: Sequence[int]
) -> Plan | None:
    """The chunk's approved drafts, checked again (read only): a draft already issued under its
    key (a crash after issuing) goes on as is; any other is prepared again and goes stale if the
    rules refuse it now or its facts are no longer the ones approved."""
    run = repository.run(session, run_id)
    if run is None or run.state != APPROVED:
        return None
    campaign = repository.campaign_by_id(session, run.campaign_id)
    channel = campaign.channel if campaign else "none"
    approved = repository.drafts(session, run_id, draft_ids, status=repository.APPROVED)
    keys = {d.id: idempotency_key(run.id, d.external_id) for d in approved}
    issued = repository.documents_under_keys(session, run.creditor_id, list(keys.values()))
    to_issue, stale = [], []
    for draft in approved:
        planned = Planned(
            draft.id, draft.external_id, IssueIn.model_validate(draft.request), keys[draft.id]
        )
        if keys[draft.id] in issued:
            to_issue.append(planned)
            continue
        verdict = check_draft(session, ports, run, channel, draft)
        if not verdict.ok:
            stale.append(verdict)
        elif verdict.digest != draft.facts_digest:
            changed = changed_sections(draft.sections or {}, verdict.sections or {})
            error = FieldError(
                "facts",
                "changed_since_approval",
                f"the facts changed after approval ({', '.join(changed)}): prepare it again",
            )
            stale.append(Verdict(draft.id, False, None, None, _reasons([error], [])))
        else:
            to_issue.append(planned)
    return Plan(run, channel, to_issue, stale)


def record_stale(session: Session, clock: Clock, verdicts: Sequence[Verdict]) -> None:
    now = clock.now()
    for verdict in verdicts:
        repository.move(
            session,
            verdict.draft_id,
            from_status=repository.APPROVED,
            status=repository.STALE,
            outcome=verdict.outcome,
            updated_at=now,
        )


def record_failed(
    session: Session, clock: Clock, draft_id: int, status: str, outcome: dict[str, Any]
) -> None:
    repository.move(
        session,
        draft_id,
        from_status=repository.APPROVED,
        status=status,
        outcome=outcome,
        updated_at=clock.now(),
    )


def record_issued(
    session: Session,
    wiring: Wiring,
    run: CampaignRunRow,
    channel: str,
    draft_id: int,
    document_id: str,
    number: str | None,
    *,
    send: bool = True,
) -> bool:
    """Mark the draft issued and queue its sending in the outbox, in this one transaction:
    whether this call did (a re-run after a crash finds it done and queues nothing)."""
    now = wiring.clock.now()
    if not repository.move(
        session,
        draft_id,
        from_status=repository.APPROVED,
        status=repository.ISSUED,
        document_id=document_id,
        number=number,
        updated_at=now,
    ):
        return False
    if send and channel in SENT_CHANNELS:
        caller = run_principal(run)
        attempt = start_attempt(
            session,
            wiring.clock,
            caller,
            document_id=document_id,
            channel=channel,
            recipient=None,
            tracking_number=None,
            note=f"campaign run {run.id}",
            details={"campaign_run": run.id},
        )
        SENDERS[channel](session, wiring.clock, wiring, attempt)
        repository.move(
            session,
            draft_id,
            from_status=repository.ISSUED,
            delivery_id=attempt.id,
        )
    return True


def record_unsent(
    session: Session, clock: Clock, draft_id: int, document_id: str, number: str | None, why: str
) -> None:
    """Issued, but the channel refused to queue it (after the queuing transaction rolled back):
    the draft says so instead of pretending it is on its way."""
    repository.move(
        session,
        draft_id,
        from_status=repository.APPROVED,
        status=repository.ISSUED,
        document_id=document_id,
        number=number,
        outcome={"errors": [{"path": "channel", "code": "not_queued", "message": why}]},
        updated_at=clock.now(),
    )
