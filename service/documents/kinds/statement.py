"""Справка о задолженности и принятых мерах / Берешек және қабылданған шаралар туралы анықтама.

The debtor's right to information about the debt and every step taken (issue 8, scope 10): issued
on the owner's request, in the language of the request (kk, ru or bilingual; language law
art. 11: an answer is given in the state language or in the language of the appeal). It states

- the debt by month and contribution, and by account (current / savings: housing law art. 34-1
  p. 3–4), with the due dates (art. 34-1 p. 8);
- the penalty apart from the debt (art. 34-1 p. 9; its rate source as the creditor computes it);
- every document issued on the case, with its number, date and delivery (channel, status and the
  delivery date: waiting periods count from it, e-document law art. 7 p. 2–4);
- the payments on record, and the restructuring agreements with their number, date and state.

to-confirm: language law art. 10 keeps financial documentation, debt calculations included, in
Kazakh and Russian; whether a statement answering a request in one language (art. 11) must
still carry its debt table in both is for a lawyer. Until then the request's language decides,
and ``bilingual`` gives both.

It is not a step of the ladder: no rule applies to it (rules name the ladder's kinds only,
``rules.history.DocumentKind``), so it may be issued at any time, also while an agreement is
performed; and no rule counts it (each looks at documents of its own kinds). It sets no payment
deadline and asks for no payment. The creditor is named by its name, never by a form's acronym.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from service.agreements.restructuring import SUPERSEDED, AgreementState, assess
from service.cases.debt import ACCOUNT_FOR, Account, DebtSummary, Payment
from service.deliveries.outcome import RECEIPT_ONLY, Reason
from service.documents import formats
from service.documents.facts import DocumentFacts, FactPart
from service.documents.kinds.spec import COMMON, CONTRIBUTION_BASIS, FactsContext, KindSpec
from service.documents.present import payment_term
from service.documents.wording import DOCUMENT_KINDS
from service.kernel.money import ZERO, money_str
from service.kernel.route import Route
from service.kernel.text import Lang, Localized
from service.kernel.words import format_date, nbsp_abbreviations
from service.rules.history import DeliveryStatus, IssuedDocument
from service.rules.ladder import deadline_from_delivery

ROUTES: Mapping[Route, Localized] = {
    Route.NOTARY: Localized("нотариаттық тәртіппен", "в нотариальном порядке"),
    Route.COURT: Localized("сот тәртібімен", "в судебном порядке"),
}

CHANNELS: Mapping[str, Localized] = {
    "registered_post": Localized("тапсырысты хат", "заказное письмо"),
    "post": Localized("пошта", "почта"),
    "courier": Localized("курьер", "курьер"),
    "hand_delivery": Localized("қолма-қол тапсыру", "вручение лично"),
    "email": Localized("электрондық пошта", "электронная почта"),
    "sms": Localized("SMS", "SMS"),
    "portal": Localized("портал", "портал"),
}

STATUSES: Mapping[DeliveryStatus, Localized] = {
    DeliveryStatus.DELIVERED: Localized("тапсырылды", "вручено"),
    DeliveryStatus.RETURNED: Localized("қайтарылды", "возвращено"),
    DeliveryStatus.REFUSED: Localized("алудан бас тартты", "отказ от получения"),
    DeliveryStatus.NOT_DELIVERED: Localized("жеткізілмеді", "не доставлено"),
    DeliveryStatus.UNKNOWN: Localized("жолда", "в пути"),
}
NO_RECEIPT = Localized(
    "жіберілді, алу туралы хабарлама жоқ", "отправлено, уведомления о получении нет"
)
"""An e-mail or SMS only sent: not received without a receipt (e-document law art. 7 p. 2–4)."""

NOT_DELIVERED = Localized("тапсыру туралы мәлімет жоқ", "сведений о вручении нет")

AGREEMENT_STATES: Mapping[str, Localized] = {
    AgreementState.DRAFT: Localized("жоба", "проект"),
    AgreementState.ISSUED: Localized("ұсынылды, қол қойылмаған", "предложено, не подписано"),
    AgreementState.ACTIVE: Localized("қол қойылды, күшінде", "подписано, действует"),
    AgreementState.PERFORMING: Localized("орындалуда", "исполняется"),
    AgreementState.LATE: Localized("төлем мерзімі өткен", "платёж просрочен"),
    AgreementState.DEFAULTED: Localized("бұзылды", "нарушено"),
    AgreementState.COMPLETED: Localized("толық орындалды", "исполнено полностью"),
}
SUPERSEDED_NAME = Localized("басқа келісіммен ауыстырылды", "заменено другим соглашением")


def _named(names: Mapping[Any, Localized], key: Any, lang: Lang) -> str:
    name = names.get(key)
    return name[lang] if name is not None else str(key)


@dataclass(frozen=True)
class AccountDebt:
    """The debt per account it is paid to (housing law art. 34-1 p. 3–4): current, target and
    parking contributions to the current account, accumulative ones to the savings account."""

    name: ClassVar[str] = "by_account"
    totals: Mapping[Account, Mapping[str, Decimal]]
    """Account → ``charged``, ``paid``, ``outstanding``, ``overdue``; only accounts charged."""

    @classmethod
    def of(cls, summary: DebtSummary) -> AccountDebt:
        totals: dict[Account, dict[str, Decimal]] = {}
        for line in summary.lines:
            row = totals.setdefault(
                ACCOUNT_FOR[line.contribution],
                {"charged": ZERO, "paid": ZERO, "outstanding": ZERO, "overdue": ZERO},
            )
            row["charged"] += line.charged
            row["paid"] += line.paid
            row["outstanding"] += line.outstanding
            if line.overdue:
                row["overdue"] += line.outstanding
        return cls({a: totals[a] for a in Account if a in totals})

    def wire(self) -> dict[str, Any]:
        return {
            account.value: {k: money_str(v) for k, v in row.items()}
            for account, row in self.totals.items()
        }

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        keys = ("charged", "paid", "outstanding", "overdue")
        return {
            "rows": [
                {"account": account.value, **{k: formats.amount(row[k]) for k in keys}}
                for account, row in self.totals.items()
            ],
            "totals": {
                k: formats.amount(sum((row[k] for row in self.totals.values()), ZERO)) for k in keys
            },
        }


@dataclass(frozen=True)
class AgreementEntry:
    """A restructuring agreement on the case, as it stands on the statement's date."""

    document_id: str | None
    number: str | None
    issued_on: dt.date | None
    signed_on: dt.date | None
    state: AgreementState
    total: Decimal
    paid: Decimal
    outstanding: Decimal
    superseded: bool = False
    """An unsigned offer replaced by another signed agreement: shown as such, not as open."""


@dataclass(frozen=True)
class History:
    """What was done on the case: every document issued with its deliveries, the payments on
    record, the agreements and their state."""

    name: ClassVar[str] = "history"
    documents: tuple[IssuedDocument, ...]
    payments: tuple[Payment, ...]
    agreements: tuple[AgreementEntry, ...]
    received_deadlines: Mapping[str, dt.date] = field(default_factory=dict)
    """A letter's deadline counted from its recorded receipt (review #13: the letters say «в
    течение N дней со дня получения»), by document id; absent while it is not delivered."""

    @classmethod
    def of(cls, context: FactsContext) -> History:
        history = context.history
        numbers = {d.id: d.number for d in history.documents}
        agreements = []
        for agreement in history.agreements:
            status = assess(agreement, context.today, context.law.calendar)
            document_id = agreement.document_id
            agreements.append(
                AgreementEntry(
                    document_id=document_id,
                    number=numbers.get(document_id) if document_id else None,
                    issued_on=agreement.issued_on,
                    signed_on=agreement.signed_on,
                    state=status.state,
                    total=agreement.schedule.total,
                    paid=status.paid,
                    outstanding=status.outstanding,
                    superseded=agreement.superseded,
                )
            )
        payments = tuple(
            sorted(
                (p for p in context.case.payments if p.date <= context.today),
                key=lambda p: p.date,
            )
        )
        documents = tuple(sorted(history.documents, key=lambda d: (d.issue_date, d.number)))
        received = {}
        for document in documents:
            delivered = document.delivered_on(RECEIPT_ONLY)
            if delivered is not None and document.kind in LETTER_KINDS:
                deadline = deadline_from_delivery(document, delivered, context.law.calendar)
                if deadline is not None:
                    received[document.id] = deadline
        return cls(documents, payments, tuple(agreements), received)

    def wire(self) -> dict[str, Any]:
        return {
            "documents": [
                {
                    "id": d.id,
                    "kind": d.kind,
                    "number": d.number,
                    "issue_date": d.issue_date.isoformat(),
                    "deadline": d.payment_deadline.isoformat() if d.payment_deadline else None,
                    "deadline_from_receipt": (
                        self.received_deadlines[d.id].isoformat()
                        if d.id in self.received_deadlines
                        else None
                    ),
                    "route": d.route.value if d.route else None,
                    "deliveries": [
                        {
                            "channel": v.channel,
                            "status": v.status.value,
                            "delivered_at": v.delivered_at.isoformat() if v.delivered_at else None,
                            "tracking_number": v.tracking_number,
                        }
                        for v in d.deliveries
                    ],
                }
                for d in self.documents
            ],
            "payments": [
                {
                    "date": p.date.isoformat(),
                    "amount": money_str(p.amount),
                    "reference": p.reference,
                }
                for p in self.payments
            ],
            "agreements": [
                {
                    "document_id": a.document_id,
                    "number": a.number,
                    "issued_on": a.issued_on.isoformat() if a.issued_on else None,
                    "signed_on": a.signed_on.isoformat() if a.signed_on else None,
                    "state": SUPERSEDED if a.superseded else a.state.value,
                    "total": money_str(a.total),
                    "paid": money_str(a.paid),
                    "outstanding": money_str(a.outstanding),
                }
                for a in self.agreements
            ],
        }

    def view(self, facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
        paid = sum((p.amount for p in self.payments), ZERO)
        return {
            "documents": [
                self._document(d, lang, self.received_deadlines.get(d.id)) for d in self.documents
            ],
            "payments": [
                {
                    "date": format_date(p.date),
                    "amount": formats.amount(p.amount),
                    "reference": nbsp_abbreviations(p.reference) if p.reference else "—",
                }
                for p in self.payments
            ],
            "paid_total": formats.amount(paid),
            "agreements": [
                {
                    "number": a.number or "—",
                    "issued_on": format_date(a.issued_on) if a.issued_on else "—",
                    "signed_on": format_date(a.signed_on) if a.signed_on else "—",
                    "state": SUPERSEDED_NAME[lang]
                    if a.superseded
                    else _named(AGREEMENT_STATES, a.state, lang),
                    "total": formats.amount(a.total),
                    "paid": formats.amount(a.paid),
                    "outstanding": formats.amount(a.outstanding),
                }
                for a in self.agreements
            ],
        }

    @staticmethod
    def _document(
        document: IssuedDocument, lang: Lang, received_deadline: dt.date | None
    ) -> dict[str, Any]:
        name = _named(DOCUMENT_KINDS, document.kind, lang)
        if document.route is not None:
            name = f"{name} ({ROUTES[document.route][lang]})"
        deliveries = [
            {
                "channel": _named(CHANNELS, v.channel, lang),
                "status": NO_RECEIPT[lang]
                if v.why_not is Reason.NO_RECEIPT
                else _named(STATUSES, v.status, lang),
                "date": format_date(v.delivered_at) if v.delivered_at else None,
                "tracking": v.tracking_number,
            }
            for v in document.deliveries
        ]
        return {
            "number": document.number,
            "issue_date": format_date(document.issue_date),
            "name": name,
            "deadline": _term(document, lang, received_deadline),
            "deliveries": deliveries,
            "no_delivery": NOT_DELIVERED[lang],
        }


LETTER_KINDS = frozenset({"reminder", "warning", "pretrial"})
"""The letters that set a time to pay from receipt; an agreement's date is its offer's, and a
statement sets none."""


def _term(document: IssuedDocument, lang: Lang, received_deadline: dt.date | None) -> str:
    """The time to pay as the letter worded it — N days from receipt — and, once its receipt is
    recorded, the day that ends on (review #13; the stored date counts from the issue date)."""
    deadline = document.payment_deadline
    if document.kind not in LETTER_KINDS or deadline is None:
        return "—"
    term = payment_term((deadline - document.issue_date).days, lang)
    if lang == "kk":
        text = f"алған күннен бастап {term['days']} {term['unit']} ішінде"
        return f"{text} ({format_date(received_deadline)} дейін)" if received_deadline else text
    text = f"в течение {term['days']} {term['unit']} со дня получения"
    return f"{text} (до {format_date(received_deadline)})" if received_deadline else text


def statement_parts(context: FactsContext) -> tuple[FactPart, ...]:
    return (AccountDebt.of(context.debt.summary), History.of(context))


SPEC = KindSpec(
    name="statement",
    cites=(
        *CONTRIBUTION_BASIS,
        "housing-34-1-p9",
        "housing-51-1-p5-12",
        "language-11",
    ),
    required=(
        *(path for path in COMMON if path != "deadline"),
        "history.documents.*.number",
        "history.documents.*.issue_date",
    ),
    parts=statement_parts,
    sets_deadline=False,
)
