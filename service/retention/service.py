"""Legal holds, and anonymising the personal data of cases past their retention period.

A hold (``PUT /v1/cases/{id}/legal-hold``, admin or system keys) keeps a case whole whatever
its period says; lifting it (``DELETE``) lets the next run decide. ``talap retention run``
plans in one read-only transaction (``plan``) and anonymises each due case in a transaction of
its own (``anonymise_case``), which re-checks the case under its retention row's lock.

Anonymising replaces the debtor's name, ИИН, contacts and address wherever the case stores
them (the debtor row, each document's snapshot and request, deliveries, post-list lines, SMS
messages, agreements, notes and the case log's texts) and
keeps every number, date, amount, hash and the audit log — whose payloads never held personal
data, so the chain still verifies. The signed PDFs stay in the archive (legal/retention).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.record_events import CaseAnonymised, LegalHoldLifted, LegalHoldPlaced
from service.cases import repository as cases
from service.cases.models import CaseRow
from service.clock import Clock
from service.creditors.auth import Permission, Principal
from service.errors import FieldError, ValidationFailed
from service.kit.logs import log_event
from service.retention import repository
from service.retention.models import CaseRetentionRow
from service.retention.policy import Assessment, CaseFacts, RetentionPolicy, Verdict, assess
from service.retention.scrub import PLACEHOLDER, anonymous_debtor, scrub, secrets_of
from service.timeline.entry import day_of

log = logging.getLogger("talap.retention")

ACTOR = "system:retention"
MAX_REASON = 2000

Anonymiser = Callable[[Session, CaseRow, tuple[str, ...]], None]
"""Scrubs one more domain's rows of a case (``secrets``: the debtor's values to replace)."""

ANONYMISERS: list[Anonymiser] = []
"""Other domains holding personal data of a case register here (beyond those scrubbed below)."""


@dataclass(frozen=True)
class HoldState:
    case: str
    on_hold: bool
    reason: str | None
    placed_at: dt.datetime | None
    placed_by: str | None
    anonymised_at: dt.datetime | None


def _state(external_id: str, row: CaseRetentionRow | None) -> HoldState:
    if row is None:
        return HoldState(external_id, False, None, None, None, None)
    return HoldState(
        external_id,
        row.hold_reason is not None,
        row.hold_reason,
        row.hold_placed_at,
        row.hold_placed_by,
        row.anonymised_at,
    )


def hold_of(session: Session, caller: Principal, external_id: str) -> HoldState:
    caller.require(Permission.READ)
    case = cases.get_row(session, caller.creditor(), external_id)
    return _state(external_id, repository.state_of(session, case.id))


def place_hold(
    session: Session, clock: Clock, caller: Principal, external_id: str, reason: str
) -> HoldState:
    caller.require(Permission.WRITE_CASES)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed([FieldError("reason", "required", "say why the case is held")])
    case = cases.get_row(session, caller.creditor(), external_id)
    row = repository.lock_state(session, case)
    if row.hold_reason == reason:
        return _state(external_id, row)  # the same hold again: nothing changes
    row.hold_reason = reason
    row.hold_placed_at = clock.now()
    row.hold_placed_by = caller.actor
    event = LegalHoldPlaced(external_id, hashlib.sha256(reason.encode()).hexdigest())
    audit.record(session, event, creditor_id=case.creditor_id, actor=caller.actor, at=clock.now())
    log_event(log, "legal_hold.placed", case=external_id)
    return _state(external_id, row)


def lift_hold(session: Session, clock: Clock, caller: Principal, external_id: str) -> HoldState:
    caller.require(Permission.WRITE_CASES)
    case = cases.get_row(session, caller.creditor(), external_id)
    row = repository.lock_state(session, case)
    if row.hold_reason is None:
        return _state(external_id, row)
    event = LegalHoldLifted(external_id, hashlib.sha256(row.hold_reason.encode()).hexdigest())
    row.hold_reason = row.hold_placed_at = row.hold_placed_by = None
    audit.record(session, event, creditor_id=case.creditor_id, actor=caller.actor, at=clock.now())
    log_event(log, "legal_hold.lifted", case=external_id)
    return _state(external_id, row)


def _facts(session: Session, rows: list[CaseRow], case_id: str | None = None) -> list[CaseFacts]:
    charged, paid = repository.totals(session, case_id)
    sources = repository.activity(session, case_id)
    states = repository.states(session, case_id)
    found = []
    for case in rows:
        moments: list[dt.date] = [day_of(case.updated_at)]
        for source in sources:
            value = source.get(case.id)
            if isinstance(value, dt.datetime):
                moments.append(day_of(value))
            elif isinstance(value, dt.date):
                moments.append(value)
        state = states.get(case.id)
        found.append(
            CaseFacts(
                case_id=case.id,
                creditor_id=case.creditor_id,
                external_id=case.external_id,
                charged_tiyn=charged.get(case.id, 0),
                paid_tiyn=paid.get(case.id, 0),
                last_activity=max(moments),
                on_hold=state is not None and state.hold_reason is not None,
                anonymised=state is not None and state.anonymised_at is not None,
            )
        )
    return found


def plan(
    session: Session, policy: RetentionPolicy, today: dt.date, creditor_id: str | None = None
) -> list[Assessment]:
    """Every case (of one creditor, or all) assessed against the period on ``today``."""
    rows = repository.cases(session, creditor_id)
    return [assess(f, policy.period, today) for f in _facts(session, rows)]


def anonymise_case(
    session: Session, policy: RetentionPolicy, case_id: str, today: dt.date, now: dt.datetime
) -> Assessment | None:
    """Anonymise one case if, re-checked under its lock, it is still due; the assessment that
    decided (``None``: the case is gone)."""
    case = repository.case_by_id(session, case_id)
    if case is None:
        return None
    state = repository.lock_state(session, case)
    (facts,) = _facts(session, [case], case.id)
    found = assess(facts, policy.period, today)
    if found.verdict is not Verdict.ANONYMISE or found.retention_ends is None:
        return found
    documents = _scrub_case(session, case)
    state.anonymised_at = now
    state.anonymised_policy = policy.period.id
    state.retention_ended_on = found.retention_ends
    event = CaseAnonymised(
        external_id=case.external_id,
        policy=policy.period.id,
        retention_ended_on=found.retention_ends,
        documents=documents,
        archive_objects_kept=documents if policy.keep_signed_pdfs else 0,
    )
    audit.record(session, event, creditor_id=case.creditor_id, actor=ACTOR, at=now)
    log_event(log, "case.anonymised", case_id=case.id, documents=documents)
    return found


def _scrub_case(session: Session, case: CaseRow) -> int:
    """Replace the debtor's values in every row of the case; the number of documents."""
    debtor = repository.debtor_of(session, case)
    secrets: tuple[str, ...] = ()
    language = "kk"
    if debtor is not None:
        secrets = secrets_of([debtor.full_name, debtor.iin, debtor.contacts])
        language = debtor.language
        debtor.full_name = PLACEHOLDER
        debtor.iin = None
        debtor.contacts = {}
    documents = repository.documents_of(session, case.id)
    for document in documents:
        stored = scrub(document.snapshot, secrets)
        if "debtor" in stored:
            stored["debtor"] = anonymous_debtor(language)
        document.snapshot = stored
        document.request = scrub(document.request, secrets)
    attempts = repository.deliveries_of(session, (d.id for d in documents))
    for delivery in attempts:
        delivery.note = None
        delivery.recipient = None if delivery.recipient is None else PLACEHOLDER
        delivery.details = scrub(delivery.details, secrets)
    for event in repository.delivery_events_of(session, (a.id for a in attempts)):
        event.details = scrub(event.details, secrets)
    for line in repository.post_lines_of(session, (a.id for a in attempts)):
        line.addressee, line.address = PLACEHOLDER, None  # the stamped paper copy keeps them
    for message in repository.sms_of(session, (a.id for a in attempts)):
        message.recipient = PLACEHOLDER
        message.text = scrub(message.text, secrets)
    for agreement in repository.agreements_of(session, case.id):
        agreement.schedule = scrub(agreement.schedule, secrets)
        agreement.terms = scrub(agreement.terms, secrets)
    for acknowledgment in repository.acknowledgments_of(session, case.id):
        acknowledgment.note = None
    for hardship in repository.hardships_of(session, case.id):
        hardship.note = None
    for entry in repository.case_log_of(session, case.id):
        # free texts about the debtor: kept as "there was a text", not what it said
        entry.note, entry.request, entry.answer = (
            None if text is None else PLACEHOLDER
            for text in (entry.note, entry.request, entry.answer)
        )
    for anonymiser in ANONYMISERS:
        anonymiser(session, case, secrets)
    return len(documents)
