"""Making a list of letters for the post office, a courier or hand delivery — one delivery
attempt per letter — and printing it as PDF and XLSX."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.audit.delivery_events import PostListCreated
from service.cases.case import Debtor
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal
from service.deliveries import service as deliveries
from service.deliveries.proofs import ProofFile
from service.deliveries.records import service as delivery_records
from service.deliveries.schemas import AppendedOut, EventIn
from service.documents import repository as documents
from service.documents.models import IssuedDocumentRow
from service.documents.numbering import Register, format_number
from service.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.kernel.text import Localized
from service.kit.logs import log_event
from service.postal import repository
from service.postal.listing import Channel, Line, PostList, Sender, view
from service.postal.models import PostListLineRow, PostListRow
from service.postal.schemas import PostListIn, PostListLineOut, PostListOut, ReturnReceiptIn
from service.postal.sheet import workbook
from service.postal.tracking import normalized, s10_problem
from service.rendering.base import Renderer, TemplateRef, texts

if TYPE_CHECKING:
    from service.bootstrap import Wiring

TEMPLATE = TemplateRef("post_register", "bilingual")
log = logging.getLogger("talap.postal")


@dataclass(frozen=True)
class Printed:
    """A list ready to print: its record and the view both files lay out."""

    row: PostListRow
    lines: list[PostListLineRow]
    view: dict[str, object]


def create_list(
    session: Session,
    clock: Clock,
    renderer: Renderer,
    public_url: str,
    caller: Principal,
    request: PostListIn,
) -> PostListOut:
    caller.require(Permission.ISSUE)
    creditor_id = caller.creditor()
    channel = Channel("hand_delivery" if request.channel == "hand" else request.channel)
    numbers, errors = _tracking_numbers(request, channel)
    seen: dict[str, int] = {}
    for index, document_id in enumerate(request.document_ids):
        if document_id in seen:
            errors.append(
                FieldError(
                    f"document_ids.{index}",
                    "duplicate",
                    f"{document_id} is already line {seen[document_id] + 1} of the list",
                )
            )
        seen.setdefault(document_id, index)
    if errors:
        raise ValidationFailed(errors)
    records = [documents.visible(session, caller, d) for d in request.document_ids]
    lines = [
        _line(session, position, record, numbers.get(record.id))
        for position, record in enumerate(records, 1)
    ]
    errors = [
        FieldError(
            f"document_ids.{line.position - 1}",
            "postal_address_missing",
            f"the debtor of document {line.document_number} has no postal address: "
            f"add it to the case (debtor.postal_address) before sending by {channel.value}",
        )
        for line in lines
        if channel.needs_address and line.address is None
    ]
    if errors:
        raise ValidationFailed(errors)
    _refuse_used(session, creditor_id, numbers)
    today = clock.today()
    sequence = documents.allocate_number(session, creditor_id, today.year, Register.POST_LIST)
    number = format_number(today.year, sequence, Register.POST_LIST)
    sender = Sender.of(creditors.get(session, creditor_id))
    post_list = PostList(number, today, channel, sender, tuple(lines))
    uncovered = renderer.glyph_errors(texts(view(post_list)))
    if uncovered:
        raise ValidationFailed(uncovered)
    attempts = [
        deliveries.start_attempt(
            session,
            clock,
            caller,
            document_id=record.id,
            channel=channel.value,
            recipient=line.address.ru if line.address is not None else None,
            tracking_number=line.tracking_number,
        )
        for record, line in zip(records, lines, strict=True)
    ]
    now = clock.now()
    row = PostListRow(
        id=str(uuid.uuid4()),
        creditor_id=creditor_id,
        year=today.year,
        sequence=sequence,
        number=number,
        date=today,
        channel=channel.value,
        sender=sender.wire(),
        actor=caller.actor,
        created_at=now,
    )
    line_rows = [
        PostListLineRow(
            list_id=row.id,
            position=line.position,
            document_id=record.id,
            delivery_id=attempt.id,
            document_number=line.document_number,
            document_date=line.document_date,
            addressee=line.addressee,
            address=line.address.as_dict() if line.address is not None else None,
            tracking_number=line.tracking_number,
        )
        for record, line, attempt in zip(records, lines, attempts, strict=True)
    ]
    repository.add(session, row, line_rows)
    event = PostListCreated(
        list_id=row.id,
        number=number,
        channel=channel.value,
        date=today,
        lines=tuple((r.document_id, r.delivery_id, r.tracking_number) for r in line_rows),
    )
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=now)
    log_event(log, "post_list.created", list_id=row.id, number=number, lines=len(line_rows))
    return _out(row, line_rows, public_url)


def get_list(session: Session, caller: Principal, public_url: str, list_id: str) -> PostListOut:
    found = _visible(session, caller, list_id)
    return _out(found, repository.lines_of(session, found.id), public_url)


def printed(session: Session, caller: Principal, list_id: str) -> Printed:
    found = _visible(session, caller, list_id)
    rows = repository.lines_of(session, found.id)
    post_list = PostList(
        number=found.number,
        date=found.date,
        channel=Channel(found.channel),
        sender=Sender.from_wire(found.sender),
        lines=tuple(
            Line(
                position=r.position,
                document_number=r.document_number,
                document_date=r.document_date,
                addressee=r.addressee,
                address=Localized(**r.address) if r.address is not None else None,
                tracking_number=r.tracking_number,
            )
            for r in rows
        ),
    )
    return Printed(found, rows, view(post_list))


def pdf(renderer: Renderer, list_: Printed) -> bytes:
    """PDF/A-2b by Typst (``templates/bilingual/post_register.typ``), dated the list's date: the
    same list gives the same bytes."""
    return renderer.render(TEMPLATE, list_.view, created=list_.row.date)


def xlsx(list_: Printed) -> bytes:
    return workbook(list_.view)


def _visible(session: Session, caller: Principal, list_id: str) -> PostListRow:
    caller.require(Permission.READ)
    found = repository.find(session, list_id)
    if found is None or not caller.may_see(found.creditor_id):
        raise NotFound(f"post list {list_id} not found")
    return found


def _tracking_numbers(
    request: PostListIn, channel: Channel
) -> tuple[dict[str, str], list[FieldError]]:
    """Tracking numbers by document id, normalized, and every problem with them."""
    errors: list[FieldError] = []
    numbers: dict[str, str] = {}
    listed = set(request.document_ids)
    owner: dict[str, str] = {}
    for document_id, given in request.tracking_numbers.items():
        path = f"tracking_numbers.{document_id}"
        number = normalized(given)
        if not channel.tracked:
            errors.append(FieldError(path, "not_allowed", "a hand delivery has no tracking number"))
            continue
        if document_id not in listed:
            errors.append(
                FieldError(path, "not_in_list", f"{document_id} is not among document_ids")
            )
            continue
        problem = s10_problem(number) if channel is Channel.REGISTERED_POST else None
        if problem is not None:
            errors.append(FieldError(path, problem[0], problem[1]))
            continue
        if number in owner:
            errors.append(
                FieldError(path, "duplicate", f"{number} is also given for {owner[number]}")
            )
            continue
        owner[number] = document_id
        numbers[document_id] = number
    return numbers, errors


def _refuse_used(session: Session, creditor_id: str, numbers: Mapping[str, str]) -> None:
    """A tracking number names one letter: one already on an attempt of this creditor is
    refused (a return receipt attached by it must find one attempt)."""
    used = repository.attempts_tracked(session, creditor_id, sorted(set(numbers.values())))
    if used:
        named = ", ".join(sorted({u.tracking_number or "" for u in used}))
        raise Conflict(f"tracking number already on a delivery attempt of yours: {named}")


def _line(session: Session, position: int, record: IssuedDocumentRow, tracking: str | None) -> Line:
    debtor = repository.debtor_of_case(session, record.case_id)
    address = Debtor.address_of(debtor.contacts.get("postal_address"))
    postal = Debtor(full_name=debtor.full_name, postal_address=address).postal()
    return Line(
        position=position,
        document_number=record.number,
        document_date=record.issue_date,
        addressee=debtor.full_name,
        address=postal,
        tracking_number=tracking,
    )


def _out(row: PostListRow, lines: list[PostListLineRow], public_url: str) -> PostListOut:
    base = f"{public_url.rstrip('/')}/v1/post-registers/{row.id}"
    return PostListOut(
        id=row.id,
        number=row.number,
        date=row.date,
        channel=row.channel,
        created_at=row.created_at,
        lines=[
            PostListLineOut(
                position=line.position,
                document_id=line.document_id,
                document_number=line.document_number,
                delivery_id=line.delivery_id,
                tracking_number=line.tracking_number,
            )
            for line in lines
        ],
        pdf_url=f"{base}.pdf",
        xlsx_url=f"{base}.xlsx",
    )


def attach_receipt(
    session: Session,
    wiring: Wiring,
    caller: Principal,
    tracking_number: str,
    receipt: ReturnReceiptIn,
    proofs: list[ProofFile],
) -> AppendedOut:
    """The return receipt of a letter found by its tracking number among the caller's own
    attempts: its event (delivered, refused or returned, on the receipt's date) with the scan
    as proof, through the delivery model (``deliveries.records.service.record_event``: proof files
    typed by content, size-limited, archived write-once; the legal outcome recomputed)."""
    caller.require(Permission.ISSUE)
    number = normalized(tracking_number)
    found = repository.attempts_tracked(
        session, caller.creditor(), sorted({number, tracking_number.strip()})
    )
    if not found:
        raise NotFound(f"no delivery attempt of yours has tracking number {number}")
    if len(found) > 1:
        ids = ", ".join(row.id for row in found)
        raise Conflict(
            f"tracking number {number} is on {len(found)} delivery attempts ({ids}): attach "
            "the receipt to one of them at POST /v1/deliveries/{id}/events"
        )
    if not proofs:
        raise ValidationFailed(
            [FieldError("proof", "required", "attach the return receipt (scan or photo)")]
        )
    event = EventIn(status=receipt.status, occurred_on=receipt.date, note=receipt.note)
    result = delivery_records.record_event(
        session, wiring, caller, found[0].id, event, proofs, None
    )
    log_event(log, "post.receipt_attached", delivery_id=found[0].id, status=receipt.status)
    return result
