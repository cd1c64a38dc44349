"""Facts → the view model every template engine lays out.

The facts (``service.documents.facts``) are typed domain values. Everything a reader sees is
formatted here, per language: amounts («58 648,00»), totals in words, dates in words (with the
Kazakh case forms the letters need), month names, contribution and unit names, citations. The
templates only lay these strings out, and they hold the letter's own wording, so a template
version fixes the text.

Shape::

    {"kind", "language", "languages": ["kk"] | ["ru"] | ["kk", "ru"], "draft",
     "development_signature", "document_id", "verify_url",
     "text": {"kk": {...localized...}, "ru": {...}}}

``text`` carries one entry per language of the document, so a bilingual template (Kazakh left or
top, Russian right or bottom: language law art. 21) lays two of them side by side. The parts a
kind adds (``enforcement``, ``venue``, ``acknowledgment``, ``restructuring``, ``agreement``) are
``None`` when the document does not state them, so a template tests one value and never prints a
label alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from service.cases.case import Basis, DebtCase
from service.cases.debt import ACCOUNT_FOR, Account, DebtLine
from service.cases.penalty import PenaltyResult
from service.creditors.creditor import Creditor
from service.documents import formats, party
from service.documents.facts import DocumentFacts
from service.documents.wording import (
    UNITS,
    contribution_phrase,
    contribution_short,
    unit_label,
)
from service.kernel.money import ZERO
from service.kernel.period import Period
from service.kernel.text import Lang
from service.kernel.words import format_date, nbsp_abbreviations

# Parts every template may test for, stated or not.
PART_NAMES = (
    "enforcement",
    "venue",
    "acknowledgment",
    "restructuring",
    "claim",
    "penalty_offer",
    "agreement",
)


def present(facts: DocumentFacts) -> dict[str, Any]:
    issuance = facts.issuance
    return {
        "kind": facts.kind,
        "language": facts.language,
        "languages": list(facts.languages),
        "draft": facts.draft,
        "development_signature": bool(issuance and issuance.development_signature),
        "document_id": issuance.document_id if issuance else None,
        "verify_url": issuance.verify_url if issuance else None,
        "text": {lang: localized(facts, lang) for lang in facts.languages},
    }


def localized(facts: DocumentFacts, lang: Lang) -> dict[str, Any]:
    summary = facts.debt.summary
    totals = summary.totals
    cites = {c.id: nbsp_abbreviations(c.cite[lang]) for c in facts.provisions}
    lines = _lines(summary.lines, summary.as_of, lang)
    view: dict[str, Any] = {
        "lang": lang,
        "number": facts.issuance.number if facts.issuance else None,
        **formats.flat_day("issue_date", facts.issue_date, lang),
        **(
            formats.flat_day("deadline", facts.deadline, lang)
            if facts.deadline
            else {"deadline": None}
        ),
        **formats.flat_day("as_of", summary.as_of, lang),
        "payment_term": payment_term((facts.deadline - facts.issue_date).days, lang)
        if facts.deadline
        else None,
        "creditor": _creditor(facts.creditor, lang),
        "debtor": _debtor(facts.case, lang),
        "basis": [_basis(b, lang) for b in facts.case.basis],
        "protocols": _protocols(facts.case.basis, lang),
        "debt": {
            "lines": lines,
            "groups": debt_groups(summary.lines, lines),
            "totals": {
                "charged": formats.amount(totals.charged),
                "paid": formats.amount(totals.paid),
                "outstanding": formats.amount(totals.outstanding),
                "overdue": formats.amount(totals.overdue),
                "past_gate": formats.amount(totals.past_gate),
            },
            "overdue_words": formats.words(totals.overdue, lang),
            "outstanding_words": formats.words(totals.outstanding, lang),
            "has_not_yet_due": any(summary.as_of <= line.due_date for line in summary.lines),
            "has_moved_due": any(line.moved_from is not None for line in summary.lines),
        },
        "penalty": _penalty(facts.debt.penalty, lang),
        "payment": _payment(facts, lang),
        "cites": cites,
        "provisions": list(cites.values()),
        "route": facts.route.value if facts.route else None,
    }
    for name in PART_NAMES:
        view[name] = None
    for name, part in facts.parts.items():
        view[name] = part.view(facts, lang)
    return view


def _creditor(creditor: Creditor, lang: Lang) -> dict[str, Any]:
    chairman = creditor.chairman
    accounts = [
        (Account.CURRENT, creditor.accounts.current),
        (Account.SAVINGS, creditor.accounts.savings),
    ]
    return {
        "name": creditor.name[lang],
        "form": creditor.form.value,
        "bin": formats.blank_to_none(creditor.bin),
        "address": nbsp_abbreviations(creditor.address[lang]),
        "chairman": {
            "full_name": chairman.full_name,
            "short_name": formats.short_name(chairman.full_name),
            "position": chairman.position[lang],
        },
        "party": party.party(creditor, lang),
        "signer": party.signer(creditor, lang),
        "osi": party.osi(creditor, lang),
        "accounts": [
            {
                "key": key.value,
                "iban": acc.iban,
                "bank": formats.blank_to_none(acc.bank[lang]),
                "bic": acc.bic or None,
            }
            for key, acc in accounts
            if acc is not None
        ],
        "phone": formats.phone(creditor.contacts.phone),
        "email": formats.blank_to_none(creditor.contacts.email),
    }


def _debtor(case: DebtCase, lang: Lang) -> dict[str, Any]:
    debtor, unit = case.debtor, case.unit
    postal = debtor.postal()
    address = postal[lang] if postal else None
    return {
        "full_name": debtor.full_name,
        # Initials before the surname on a signature line, as the creditor's signer (#20).
        "short_name": formats.initials_first(debtor.full_name),
        "iin": formats.blank_to_none(debtor.iin),
        "postal_address": nbsp_abbreviations(address) if address else None,
        "email": formats.blank_to_none(debtor.email),
        "phone": formats.phone(debtor.phone),
        "unit": {
            "type": unit.type.value,
            "type_name": UNITS[unit.type][lang],
            "number": unit.number,
            "area": formats.amount(unit.area_m2) if unit.area_m2 is not None else None,
            "label": unit_label(unit.type, unit.number, lang),
        },
    }


def _basis(basis: Basis, lang: Lang) -> dict[str, Any]:
    protocol = basis.protocol
    return {
        "contribution": basis.contribution.value,
        "name": contribution_phrase(basis.contribution, lang),
        "monthly_amount": formats.amount(basis.monthly_amount) if basis.monthly_amount else None,
        "protocol_number": protocol.number,
        "protocol_date": format_date(protocol.date),
        "protocol_date_attributive": formats.day(protocol.date, lang)["attributive"],
    }


def _protocols(basis: tuple[Basis, ...], lang: Lang) -> list[dict[str, Any]]:
    """Each meeting protocol once (one protocol usually approves several contribution types)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for item in basis:
        row = _basis(item, lang)
        key = (row["protocol_number"], row["protocol_date"])
        entry = seen.setdefault(
            key,
            {
                "protocol_number": row["protocol_number"],
                "protocol_date": row["protocol_date"],
                "protocol_date_attributive": row["protocol_date_attributive"],
                "names": [],
            },
        )
        entry["names"].append(row["name"])
    return [{**e, "names": ", ".join(e["names"])} for e in seen.values()]


def _lines(lines: tuple[DebtLine, ...], as_of: dt.date, lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "period": formats.month(line.period, lang),
            "period_numeric": _period_numeric(line.period),
            "contribution": contribution_short(line.contribution, lang),
            "charged": formats.amount(line.charged),
            "paid": formats.amount(line.paid),
            "outstanding": formats.amount(line.outstanding),
            "due_date": format_date(line.due_date),
            "due_moved": line.moved_from is not None,
            "days_overdue": str(line.days_overdue) if line.days_overdue else "—",
            "overdue": line.overdue,
            "past_gate": line.past_gate,
            "gate_opens": format_date(line.gate_opens),
            "not_yet_due": as_of <= line.due_date,
        }
        for line in lines
    ]


def _penalty(penalty: PenaltyResult, lang: Lang) -> dict[str, Any] | None:
    if penalty.total == 0:
        return None
    return {
        "total": formats.amount(penalty.total),
        "total_words": formats.words(penalty.total, lang),
        "rate_source": penalty.policy.source.get(lang),
        "provision": penalty.policy.provision,
        "day_count": penalty.policy.day_count,
        "lines": [
            {
                "period": formats.month(s.period, lang),
                "period_numeric": _period_numeric(s.period),
                "contribution": contribution_short(s.contribution, lang),
                "base": formats.amount(s.base),
                "rate": str(s.rate).replace(".", ","),
                "from": format_date(s.start),
                "to": format_date(s.end),
                "days": str(s.days),
                "amount": formats.amount(s.amount),
                "paid_late": _PAID_LATE[lang].format(date=format_date(s.end))
                if s.paid_late
                else None,
            }
            for s in penalty.segments
        ]
        + _discount_lines(penalty, lang),
    }


DISCOUNT_ROW = {
    "kk": "өсімпұл бойынша жеңілдік: шарт орындалды",
    "ru": "скидка на пеню: условие выполнено",
}


def _discount_lines(penalty: PenaltyResult, lang: Lang) -> list[dict[str, str | None]]:
    """A discount the debtor earned (#36), as a row of its own, so the rows add up to the total."""
    if penalty.discounted <= 0:
        return []
    blank = "—"
    return [
        {
            "period": blank,
            "period_numeric": blank,
            "contribution": DISCOUNT_ROW[lang],
            "base": blank,
            "rate": blank,
            "from": blank,
            "to": blank,
            "days": blank,
            "amount": "-" + formats.amount(penalty.discounted),
            "paid_late": None,
        }
    ]


_PAID_LATE: dict[Lang, str] = {
    "kk": "{date} кешіктіріліп төленді",
    "ru": "оплачено {date} с просрочкой",
}
"""A penalty row on an amount already paid, late (review #24)."""


def _period_numeric(period: Period) -> str:
    """One period format in every table and language, «04.2026» (review #38)."""
    return f"{period.month:02d}.{period.year}"


def payment_term(days: int, lang: Lang) -> dict[str, str]:
    """The time to pay, counted from the day the debtor receives the letter (review #13;
    research A.5: waiting periods start at delivery): «10» and «календарных дней» /
    «күнтізбелік күн» (Russian agrees with the number after «в течение»)."""
    if lang == "kk":
        unit = "күнтізбелік күн"
    else:
        unit = "календарного дня" if days % 10 == 1 and days % 100 != 11 else "календарных дней"
    return {"days": str(days), "unit": unit}


def _payment(facts: DocumentFacts, lang: Lang) -> list[dict[str, Any]]:
    """The overdue amount split by the account it must be paid to (an account the creditor has
    not given is a field error, reported by ``requirements`` before anything is rendered)."""
    due = facts.overdue_by_account()
    names: dict[str, list[str]] = {}
    for line in facts.debt.summary.lines:
        if line.overdue and line.outstanding > 0:
            phrase = contribution_phrase(line.contribution, lang)
            target = names.setdefault(ACCOUNT_FOR[line.contribution].value, [])
            if phrase not in target:
                target.append(phrase)
    rows = []
    for account in (Account.CURRENT, Account.SAVINGS):
        bank = facts.creditor.accounts.for_account(account)
        if account.value not in due or bank is None:
            continue
        rows.append(
            {
                "account": account.value,
                "contributions": ", ".join(names[account.value]),
                "amount": formats.amount(due[account.value]),
                "iban": bank.iban,
                "bank": formats.blank_to_none(bank.bank[lang]),
                "bic": bank.bic or None,
            }
        )
    return rows


def _past_gate(line: DebtLine) -> bool:
    return line.past_gate and line.outstanding > 0


def _overdue(line: DebtLine) -> bool:
    return line.overdue and line.outstanding > 0


GROUPS: tuple[tuple[str, Callable[[DebtLine], bool]], ...] = (
    ("past", _past_gate),
    # Overdue but the two-month gate not passed yet; amounts not yet due are no arrears (#11).
    ("newer", lambda line: _overdue(line) and not _past_gate(line)),
    ("overdue", _overdue),
)


def debt_groups(
    lines: tuple[DebtLine, ...], shown: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Lines past the gate (subject to enforcement) apart from the newer overdue ones (the gate
    not passed yet), and the overdue lines (what a restructuring agreement acknowledges). Fully
    paid lines and lines not yet due appear in none of them (#11). ``shown`` are the presented
    lines, in the same order as ``lines``."""
    groups: dict[str, dict[str, Any]] = {}
    for name, keep in GROUPS:
        picked = [(line, view) for line, view in zip(lines, shown, strict=True) if keep(line)]
        totals = {
            "charged": sum((line.charged for line, _ in picked), ZERO),
            "paid": sum((line.paid for line, _ in picked), ZERO),
            "outstanding": sum((line.outstanding for line, _ in picked), ZERO),
        }
        groups[name] = {
            "lines": [view for _, view in picked],
            "totals": {k: formats.amount(v) for k, v in totals.items()},
        }
    return groups
