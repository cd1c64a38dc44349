"""The outgoing register's rows, columns and CSV form. Pure.

Every document a creditor issued in a period, sorted by number (letters' outgoing numbers
first, then the agreements' own register), with its date, kind, debtor, and delivery outcome.
A voided number (a number allocated to a document that failed before it was recorded,
``documents.models.VoidedNumberRow``) is a row of its own with ``status`` ``voided``, its reason,
and no document behind it: every number of the register shows, none is missing.

Cells a spreadsheet would read as a formula (starting with ``= + - @``, a tab or a carriage
return) get a leading ``'`` in both forms (OWASP "CSV injection"): a debtor named
``=HYPERLINK(…)`` prints as text, never as a link; a control character an XLSX cannot hold
shows as U+FFFD (``kernel.spreadsheet.cell_text``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from service.kernel.spreadsheet import cell_text
from service.kernel.text import Localized


class RowStatus(StrEnum):
    ISSUED = "issued"
    VOIDED = "voided"


STATUS_LABELS = {
    RowStatus.ISSUED: Localized(kk="Берілді", ru="Выдан"),
    RowStatus.VOIDED: Localized(kk="Күші жойылды", ru="Аннулирован"),
}

VOID_REASON_LABELS = {
    "rendering_failed": Localized(
        kk="Құжатты жасау кезінде қате шықты", ru="Ошибка при формировании документа"
    ),
    "signing_failed": Localized(
        kk="Құжатқа қол қою кезінде қате шықты", ru="Ошибка при подписании документа"
    ),
    "archiving_failed": Localized(
        kk="Құжатты мұрағатқа сақтау кезінде қате шықты",
        ru="Ошибка при сохранении документа в архиве",
    ),
    "failed": Localized(kk="Құжатты шығару кезінде қате шықты", ru="Ошибка при выпуске документа"),
}
"""Why a number was voided, by ``reason_code``, in the register's words; the technical message
(English, from the failure) follows it for the administrator."""

OUTCOME_LABELS = {
    "delivered": Localized(kk="Тапсырылды", ru="Вручено"),
    "refused": Localized(kk="Алудан бас тартты", ru="Отказ от получения"),
    "returned": Localized(kk="Қайтарылды", ru="Возвращено"),
    "not_delivered": Localized(kk="Тапсырылмады", ru="Не вручено"),
    "pending": Localized(kk="Нәтиже күтілуде", ru="Ожидается результат"),
    "unknown": Localized(kk="Мәлімет жоқ", ru="Нет сведений"),
}
"""The delivery outcome as the register shows it: an attempt's legal outcome
(``service.deliveries.outcome.LegalState``), ``pending`` while attempts have none yet,
``unknown`` when no attempt is recorded."""

safe_text = cell_text
"""A text as the register's cells hold it (``kernel.spreadsheet.cell_text``)."""


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt of a document, as the register weighs it."""

    outcome: str
    """The attempt's legal outcome: delivered, refused, returned, not_delivered, unknown."""
    channel: str
    on: dt.date | None
    """Its legal date (receipt, refusal, return)."""
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Outcome:
    state: str
    """A key of ``OUTCOME_LABELS``."""
    on: dt.date | None
    channel: str | None


def outcome_of(attempts: Sequence[Delivery]) -> Outcome:
    """The document's delivery outcome from its attempts: the earliest delivery, if any; else
    the latest refusal or return (a legal outcome of its own); else a failure; ``pending``
    while attempts have no outcome yet; ``unknown`` when none is recorded."""
    delivered = sorted(
        (d for d in attempts if d.outcome == "delivered" and d.on is not None),
        key=lambda d: (d.on or dt.date.max, d.recorded_at),
    )
    if delivered:
        return Outcome("delivered", delivered[0].on, delivered[0].channel)
    latest = sorted(attempts, key=lambda d: d.recorded_at)
    for state in ("refused", "returned", "not_delivered"):
        found = [d for d in latest if d.outcome == state]
        if found:
            return Outcome(state, found[-1].on, found[-1].channel)
    if latest:
        return Outcome("pending", None, latest[-1].channel)
    return Outcome("unknown", None, None)


@dataclass(frozen=True)
class RegisterRow:
    register: str
    """``outgoing`` (letters) or ``agreement`` (``documents.numbering.Register``)."""
    year: int
    sequence: int
    number: str
    status: RowStatus
    issue_date: dt.date | None
    kind: str | None
    kind_label: Localized | None
    case: str | None
    debtor: str | None
    outcome: Outcome | None
    sha256: str | None
    document_id: str | None
    reason: str | None = None
    """Why the number was voided (``voided`` rows only)."""

    def sort_key(self) -> tuple[int, int, int]:
        return (0 if self.register == "outgoing" else 1, self.year, self.sequence)


@dataclass(frozen=True)
class Column:
    title: Localized
    width: int
    """Characters, for the XLSX column."""


COLUMNS = (
    Column(Localized(kk="Нөмірі", ru="Номер"), 16),
    Column(Localized(kk="Күні", ru="Дата"), 12),
    Column(Localized(kk="Құжат түрі", ru="Вид документа"), 44),
    Column(Localized(kk="Іс", ru="Дело"), 16),
    Column(Localized(kk="Борышкер", ru="Должник"), 36),
    Column(Localized(kk="Тапсыру нәтижесі", ru="Результат вручения"), 30),
    Column(Localized(kk="Тапсыру күні", ru="Дата вручения"), 14),
    Column(Localized(kk="Тапсыру тәсілі", ru="Способ вручения"), 16),
    Column(Localized(kk="Күйі", ru="Статус"), 22),
    Column(Localized(kk="SHA-256", ru="SHA-256"), 66),
    Column(Localized(kk="Күшін жою себебі", ru="Причина аннулирования"), 40),
)


def heading(column: Column) -> str:
    """Kazakh first: ``Нөмірі / Номер``."""
    if column.title.kk == column.title.ru:
        return column.title.kk
    return f"{column.title.kk} / {column.title.ru}"


def void_reason(code: str, detail: str) -> str:
    label = VOID_REASON_LABELS.get(code)
    return f"{both(label)} ({detail})" if label else detail


def both(text: Localized | None) -> str:
    return f"{text.kk} / {text.ru}" if text is not None else ""


Cell = str | dt.date | None


def cells(row: RegisterRow) -> list[Cell]:
    """The row's values in column order: dates as dates, texts not yet made safe."""
    outcome = row.outcome
    return [
        row.number,
        row.issue_date,
        both(row.kind_label) if row.kind_label else (row.kind or ""),
        row.case or "",
        row.debtor or "",
        both(OUTCOME_LABELS[outcome.state]) if outcome else "",
        outcome.on if outcome else None,
        outcome.channel or "" if outcome else "",
        both(STATUS_LABELS[row.status]),
        row.sha256 or "",
        row.reason or "",
    ]


def to_csv(rows: Iterable[RegisterRow]) -> bytes:
    """UTF-8 with a BOM (Excel then reads the Cyrillic right), ``;``-free comma CSV with
    CRLF lines, ISO dates, every text made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(heading(c)) for c in COLUMNS])
    for row in rows:
        writer.writerow(
            [v.isoformat() if isinstance(v, dt.date) else safe_text(v or "") for v in cells(row)]
        )
    return buffer.getvalue().encode("utf-8-sig")
