"""The case's story in date order: charges (on their due dates), payments, documents issued,
deliveries with their outcome and proofs, agreements signed and defaulted, acknowledgments, and
the creditor's case log (what kind of contact on which day, promises with their sum and date,
requests and when they were answered — not the free texts, which stay in ``GET …/log``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from service.agreements.restructuring import (
    Acknowledgment,
    Agreement,
    AgreementState,
    AgreementStatus,
)
from service.cases.debt import DebtLine, Payment
from service.documents.kinds.statement import CHANNELS, STATUSES
from service.documents.wording import DOCUMENT_KINDS, contribution_short
from service.evidence.pack import ChronologyEntry, DocumentEntry, EntryKind
from service.kernel.text import Localized
from service.rules.history import DeliveryStatus

_ORDER = {kind: index for index, kind in enumerate(EntryKind)}


@dataclass(frozen=True)
class LogNote:
    """One case-log entry as the chronology shows it (``service.caselog``)."""

    on: dt.date
    kind: str
    """call, visit, promise, hardship or request"""
    amount: Decimal | None = None
    promised_date: dt.date | None = None
    until: dt.date | None = None
    answered_on: dt.date | None = None


def chronology(
    lines: Sequence[DebtLine],
    payments: Sequence[Payment],
    documents: Sequence[DocumentEntry],
    agreements: Sequence[tuple[Agreement, AgreementStatus]],
    acknowledgments: Sequence[Acknowledgment],
    log: Sequence[LogNote] = (),
) -> tuple[ChronologyEntry, ...]:
    entries: list[ChronologyEntry] = []
    for line in lines:
        month = f"{line.period.month:02d}.{line.period.year}"
        entries.append(
            ChronologyEntry(
                line.due_date,
                EntryKind.CHARGE,
                Localized(
                    kk=f"{month} жарнасы ({contribution_short(line.contribution, 'kk')})"
                    " төлеу мерзімі",
                    ru=f"Срок уплаты взносов за {month} "
                    f"({contribution_short(line.contribution, 'ru')})",
                ),
                amount=line.charged,
            )
        )
    for payment in payments:
        entries.append(
            ChronologyEntry(
                payment.date,
                EntryKind.PAYMENT,
                Localized(kk="Төлем түсті", ru="Поступил платёж"),
                amount=payment.amount,
                reference=payment.reference or "",
            )
        )
    for document in documents:
        entries.extend(_document(document))
    for agreement, status in agreements:
        entries.extend(_agreement(agreement, status))
    for ack in acknowledgments:
        if ack.source == "agreement":
            continue  # the agreement's signing says it
        entries.append(
            ChronologyEntry(
                ack.date,
                EntryKind.ACKNOWLEDGMENT,
                Localized(
                    kk="Борыш жазбаша мойындалды" + (" (нотариат)" if ack.notarised else ""),
                    ru="Долг признан письменно" + (" (нотариально)" if ack.notarised else ""),
                ),
            )
        )
    entries.extend(_log_entry(note) for note in log)
    return tuple(sorted(entries, key=lambda e: (e.on, _ORDER[e.kind])))


def _log_entry(note: LogNote) -> ChronologyEntry:
    def day(value: dt.date | None) -> str:
        return value.strftime("%d.%m.%Y") if value else ""

    if note.kind == "promise":
        text = Localized(
            kk=f"Борышкер {day(note.promised_date)} дейін төлеуге уәде берді",
            ru=f"Должник обещал оплатить до {day(note.promised_date)}",
        )
    elif note.kind == "hardship":
        until_kk = f" ({day(note.until)} дейін)" if note.until else ""
        until_ru = f" (до {day(note.until)})" if note.until else ""
        text = Localized(
            kk=f"Борышкердің қиын қаржылық жағдайы туралы белгі{until_kk}",
            ru=f"Отметка о трудном финансовом положении должника{until_ru}",
        )
    elif note.kind == "request":
        answered_kk = (
            f"; жауап {day(note.answered_on)} берілді" if note.answered_on else "; жауап әлі жоқ"
        )
        answered_ru = (
            f"; ответ дан {day(note.answered_on)}" if note.answered_on else "; ответа ещё нет"
        )
        text = Localized(
            kk=f"Борышкердің өтініші{answered_kk}", ru=f"Обращение должника{answered_ru}"
        )
    else:
        text = _CONTACTS.get(note.kind, Localized(note.kind, note.kind))
    return ChronologyEntry(note.on, EntryKind.LOG, text, amount=note.amount)


_CONTACTS = {
    "call": Localized(kk="Борышкерге телефон соғылды", ru="Звонок должнику"),
    "visit": Localized(kk="Борышкерге барылды", ru="Визит к должнику"),
}


def _document(document: DocumentEntry) -> list[ChronologyEntry]:
    name = DOCUMENT_KINDS.get(document.kind, Localized(document.kind, document.kind))
    found = [
        ChronologyEntry(
            document.issue_date,
            EntryKind.DOCUMENT,
            Localized(kk=f"Шығарылды: {name.kk}", ru=f"Выпущен документ: {name.ru}"),
            reference=document.number,
            sha256=document.sha256,
        )
    ]
    for delivery in document.deliveries:
        channel, status = channel_name(delivery.channel), status_name(delivery.status)
        on = delivery.delivered_at or delivery.recorded_at.date()
        found.append(
            ChronologyEntry(
                on,
                EntryKind.DELIVERY,
                Localized(
                    kk=f"№ {document.number}: {channel.kk} — {status.kk}",
                    ru=f"№ {document.number}: {channel.ru} — {status.ru}",
                ),
                reference=delivery.tracking_number or "",
            )
        )
        for proof in delivery.proofs:
            found.append(
                ChronologyEntry(
                    on,
                    EntryKind.DELIVERY,
                    Localized(
                        kk=f"№ {document.number} тапсыру дәлелі: {proof.filename}",
                        ru=f"Доказательство вручения № {document.number}: {proof.filename}",
                    ),
                    sha256=proof.sha256,
                )
            )
    return found


def channel_name(channel: str) -> Localized:
    return CHANNELS.get(channel, Localized(channel, channel))


def status_name(status: str) -> Localized:
    try:
        return STATUSES[DeliveryStatus(status)]
    except ValueError:
        return Localized(status, status)


def _agreement(agreement: Agreement, status: AgreementStatus) -> list[ChronologyEntry]:
    found: list[ChronologyEntry] = []

    def add(on: dt.date | None, kk: str, ru: str) -> None:
        if on is not None:
            found.append(
                ChronologyEntry(
                    on,
                    EntryKind.AGREEMENT,
                    Localized(kk=kk, ru=ru),
                    amount=agreement.schedule.total,
                )
            )

    add(agreement.signed_on, "Келісімге қол қойылды", "Соглашение подписано")
    add(status.defaulted_on, "Келісім бұзылды", "Соглашение нарушено")
    if status.state is AgreementState.COMPLETED:
        last = max((p.date for p in agreement.payments), default=None)
        add(last, "Келісім толық орындалды", "Соглашение исполнено полностью")
    return found
