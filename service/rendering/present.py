"""Facts → the view model the Typst templates consume.

The facts (``service.application.facts``) are language-neutral wire data: decimal strings, ISO
dates, codes. Everything a reader sees is formatted here, per language: amounts («58 648,00»),
totals in words, dates in words (with the Kazakh case forms the letters need), month names,
contribution and unit names, citations. The templates only lay these strings out, and they hold
the letter's own wording, so a template version (hashed from ``templates/``) fixes the text.

Shape::

    {"kind", "language", "languages": ["kk"] | ["ru"] | ["kk", "ru"], "draft",
     "development_signature", "document_id", "verify_url", "qr_svg" (added by the renderer),
     "text": {"kk": {...localized...}, "ru": {...}}}

``text`` carries one entry per language of the document, so a bilingual template (Kazakh left or
top, Russian right or bottom: language law art. 21) lays two of them side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from service.domain.words import (
    Lang,
    amount_in_words,
    date_in_words,
    format_amount,
    format_date,
    nbsp_abbreviations,
    period_name,
)
from service.errors import FieldError, RenderingFailed
from service.rendering import present_kinds

LANGUAGES: dict[str, tuple[Lang, ...]] = {"kk": ("kk",), "ru": ("ru",), "bilingual": ("kk", "ru")}

# (phrase used in sentences, short name used in table cells)
CONTRIBUTIONS: dict[str, dict[Lang, tuple[str, str]]] = {
    "current": {"kk": ("ағымдағы жарналар", "ағымдағы"), "ru": ("текущие взносы", "текущие")},
    "accumulative": {
        "kk": ("жинақтаушы жарналар", "жинақтаушы"),
        "ru": ("накопительные взносы", "накопительные"),
    },
    "parking": {
        "kk": ("тұрақ орны мен қойма үшін ағымдағы жарналар", "тұрақ, қойма"),
        "ru": ("текущие взносы за паркинг и кладовку", "паркинг, кладовка"),
    },
    "target": {"kk": ("нысаналы жарналар", "нысаналы"), "ru": ("целевые взносы", "целевые")},
}

# Which account receives which contribution (housing law art. 34-1 p. 3–4): accumulative
# contributions go to the savings account, everything else to the current account.
ACCOUNT_FOR: dict[str, str] = {
    "current": "current",
    "parking": "current",
    "target": "current",
    "accumulative": "savings",
}

UNIT_TYPES: dict[str, dict[Lang, str]] = {
    "flat": {"kk": "пәтер", "ru": "квартира"},
    "non_residential": {"kk": "тұрғын емес үй-жай", "ru": "нежилое помещение"},
    "parking": {"kk": "тұрақ орны", "ru": "парковочное место"},
    "storage": {"kk": "қойма", "ru": "кладовка"},
}


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _amount(value: Any) -> str:
    return format_amount(_d(value))


def _words(value: Any, lang: Lang) -> str:
    # Tiyn as digits, as payment orders and accounting printouts in Kazakhstan write them.
    return amount_in_words(_d(value), lang, tiyn="digits")


def _period(value: str, lang: Lang) -> str:
    year, month = value.split("-")
    return period_name(int(year), int(month), lang)


def _opt(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """An optional field: absent, null and blank all mean "do not print the label"."""
    if not mapping:
        return None
    value = mapping.get(key)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _local(value: Any, lang: Lang) -> Any:
    """A ``{"kk": …, "ru": …}`` text, or a plain string used in every language."""
    if isinstance(value, Mapping):
        return value.get(lang) or value.get("ru") or value.get("kk")
    return value


def _phone(value: str | None) -> str | None:
    """A phone number never breaks across lines."""
    return value.replace(" ", "\u00a0") if value else None


def short_name(full_name: str) -> str:
    """``Сәрсенбаева Ләззат Мұратқызы`` → ``Сәрсенбаева Л. М.`` (for the signature line)."""
    surname, *given = full_name.split()
    initials = "\u00a0".join(f"{part[0]}." for part in given if part[:1].isalpha())
    return f"{surname}\u00a0{initials}" if initials else surname


def _dates(facts: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (
        ("issue_date", facts["issue_date"]),
        ("deadline", facts["deadline"]),
        ("as_of", facts["debt"]["as_of"]),
    ):
        day = _date(value)
        out[key] = format_date(day)
        out[f"{key}_words"] = date_in_words(day, lang)
        out[f"{key}_attributive"] = date_in_words(day, lang, "attributive")
        out[f"{key}_dative"] = date_in_words(day, lang, "dative")
        out[f"{key}_ablative"] = date_in_words(day, lang, "ablative")
    return out


def _creditor(creditor: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    chairman = creditor.get("chairman") or {}
    accounts = creditor.get("accounts") or {}
    contacts = creditor.get("contacts") or {}
    return {
        "name": _local(creditor["name"], lang),
        "form": creditor.get("form"),
        "bin": _opt(creditor, "bin"),
        "address": nbsp_abbreviations(_local(creditor["address"], lang)),
        "chairman": {
            "full_name": chairman.get("full_name"),
            "short_name": short_name(chairman["full_name"]) if chairman.get("full_name") else None,
            "position": _local(chairman.get("position"), lang),
        },
        "accounts": [
            {"key": key, "iban": acc["iban"], "bank": _opt(acc, "bank"), "bic": _opt(acc, "bic")}
            for key in ("current", "savings")
            if (acc := accounts.get(key)) and acc.get("iban")
        ],
        "phone": _phone(_opt(contacts, "phone")),
        "email": _opt(contacts, "email"),
    }


def _debtor(debtor: Mapping[str, Any], unit: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    address = _opt(debtor, "postal_address")
    unit_type = UNIT_TYPES[unit["type"]][lang]
    number = str(unit["number"])
    area = _opt(unit, "area_m2")
    return {
        "full_name": debtor["full_name"],
        "short_name": short_name(debtor["full_name"]) if debtor["full_name"].strip() else None,
        "iin": _opt(debtor, "iin"),
        "postal_address": nbsp_abbreviations(address) if address else None,
        "email": _opt(debtor, "email"),
        "phone": _phone(_opt(debtor, "phone")),
        "unit": {
            "type": unit["type"],
            "type_name": unit_type,
            "number": number,
            "area": _amount(area) if area is not None else None,
            "label": f"№\u00a0{number} {unit_type}"
            if lang == "kk"
            else f"{unit_type} №\u00a0{number}",
        },
    }


def _basis(basis: list[Mapping[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    rows = []
    for item in basis:
        protocol = item.get("protocol") or {}
        day = _date(protocol["date"]) if protocol.get("date") else None
        rows.append(
            {
                "contribution": item["contribution"],
                "name": CONTRIBUTIONS[item["contribution"]][lang][0],
                "monthly_amount": _amount(item["monthly_amount"])
                if item.get("monthly_amount")
                else None,
                "protocol_number": _opt(protocol, "number"),
                "protocol_date": format_date(day) if day else None,
                "protocol_date_attributive": date_in_words(day, lang, "attributive")
                if day
                else None,
            }
        )
    return rows


def _protocols(basis: list[Mapping[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """Each meeting protocol once (one protocol usually approves several contribution types)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _basis(basis, lang):
        key = (row["protocol_number"], row["protocol_date"])
        if None in key:
            continue
        entry = seen.setdefault(
            key,
            {
                **{
                    k: row[k]
                    for k in ("protocol_number", "protocol_date", "protocol_date_attributive")
                },
                "names": [],
            },
        )
        entry["names"].append(row["name"])
    return [{**e, "names": ", ".join(e["names"])} for e in seen.values()]


def _not_yet_due(line: Mapping[str, Any], as_of: dt.date) -> bool:
    return as_of <= _date(line["due_date"])


def _lines(lines: list[Mapping[str, Any]], as_of: dt.date, lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "period": _period(line["period"], lang),
            "period_numeric": f"{line['period'][5:7]}.{line['period'][:4]}",
            "contribution": CONTRIBUTIONS[line["contribution"]][lang][1],
            "charged": _amount(line["charged"]),
            "paid": _amount(line["paid"]),
            "outstanding": _amount(line["outstanding"]),
            "due_date": format_date(_date(line["due_date"])),
            "days_overdue": str(line["days_overdue"]) if line.get("days_overdue") else "—",
            "overdue": bool(line.get("overdue")),
            "past_gate": bool(line.get("past_gate")),
            "gate_opens": format_date(_date(line["gate_opens"]))
            if line.get("gate_opens")
            else None,
            "not_yet_due": _not_yet_due(line, as_of),
        }
        for line in lines
    ]


def _penalty(penalty: Mapping[str, Any] | None, lang: Lang) -> dict[str, Any] | None:
    if not penalty or _d(penalty.get("total") or "0") == 0:
        return None
    return {
        "total": _amount(penalty["total"]),
        "total_words": _words(penalty["total"], lang),
        "rate_source": _local(penalty.get("rate_source"), lang),
        "day_count": penalty.get("day_count"),
        "lines": [
            {
                "period": _period(line["period"], lang),
                "contribution": CONTRIBUTIONS[line["contribution"]][lang][1],
                "base": _amount(line["base"]),
                "rate": str(line["rate"]).replace(".", ","),
                "from": format_date(_date(line["from"])),
                "to": format_date(_date(line["to"])),
                "days": str(line["days"]),
                "amount": _amount(line["amount"]),
            }
            for line in penalty.get("lines") or []
        ],
    }


def _payment(facts: Mapping[str, Any], lang: Lang) -> list[dict[str, Any]]:
    """The overdue amount split by the account it must be paid to."""
    accounts = facts["creditor"].get("accounts") or {}
    due: dict[str, Decimal] = {}
    kinds: dict[str, list[str]] = {}
    for line in facts["debt"]["lines"]:
        amount = _d(line["outstanding"])
        if not line.get("overdue") or amount <= 0:
            continue
        target = ACCOUNT_FOR[line["contribution"]]
        due[target] = due.get(target, Decimal(0)) + amount
        name = CONTRIBUTIONS[line["contribution"]][lang][0]
        if name not in kinds.setdefault(target, []):
            kinds[target].append(name)
    rows: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for key in ("current", "savings"):
        if key not in due:
            continue
        account: Mapping[str, Any] = accounts.get(key) or {}
        if not account.get("iban"):
            errors.append(
                FieldError(
                    f"creditor.accounts.{key}",
                    "required",
                    f"overdue contributions are payable to the {key} account "
                    "(housing law art. 34-1 p. 3–4), but the creditor has none on record",
                )
            )
            continue
        rows.append(
            {
                "account": key,
                "contributions": ", ".join(kinds[key]),
                "amount": format_amount(due[key]),
                "iban": account["iban"],
                "bank": _opt(account, "bank"),
                "bic": _opt(account, "bic"),
            }
        )
    if errors:
        raise RenderingFailed("payment details are incomplete", errors)
    return rows


def localized(facts: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    debt = facts["debt"]
    totals = debt["totals"]
    as_of = _date(debt["as_of"])
    cites = {
        p["id"]: nbsp_abbreviations(_local(p["cite"], lang)) for p in facts.get("provisions") or []
    }
    lines = _lines(debt["lines"], as_of, lang)
    return {
        "lang": lang,
        "number": None if facts.get("draft") else _opt(facts, "number"),
        **_dates(facts, lang),
        "creditor": _creditor(facts["creditor"], lang),
        "debtor": _debtor(facts["debtor"], facts["unit"], lang),
        "basis": _basis(facts.get("basis") or [], lang),
        "protocols": _protocols(facts.get("basis") or [], lang),
        "debt": {
            "lines": lines,
            "groups": present_kinds.debt_groups(debt["lines"], lines),
            "totals": {k: _amount(v) for k, v in totals.items() if v is not None},
            "overdue_words": _words(totals["overdue"], lang),
            "outstanding_words": _words(totals["outstanding"], lang),
            "has_not_yet_due": any(_not_yet_due(line, as_of) for line in debt["lines"]),
        },
        "penalty": _penalty(debt.get("penalty"), lang),
        "payment": _payment(facts, lang),
        "cites": cites,
        "provisions": list(cites.values()),
        "enforcement": present_kinds.enforcement(facts, lang),
        "route": present_kinds.route(facts),
        "venue": present_kinds.venue(facts),
        "acknowledgment": present_kinds.acknowledgment(facts, lang),
        "restructuring": present_kinds.restructuring(facts, lang),
    }


def present(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The view model for ``facts``; raises ``RenderingFailed`` for facts it cannot present."""
    language = facts.get("language")
    if language not in LANGUAGES:
        raise RenderingFailed(
            f"unknown document language: {language!r}",
            [FieldError("language", "unknown", "expected one of: kk, ru, bilingual")],
        )
    languages = LANGUAGES[language]
    try:
        text = {lang: localized(facts, lang) for lang in languages}
    except RenderingFailed:
        raise
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise RenderingFailed(
            f"the facts cannot be presented: {type(exc).__name__}: {exc}"
        ) from exc
    return {
        "kind": facts.get("kind"),
        "language": language,
        "languages": list(languages),
        "draft": bool(facts.get("draft")),
        "development_signature": bool(facts.get("development_signature")),
        "document_id": facts.get("document_id"),
        "verify_url": facts.get("verify_url"),
        "text": text,
    }
