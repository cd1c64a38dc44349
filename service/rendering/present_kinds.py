"""The kind-specific parts of the view model: enforcement gate, route and venue, acknowledgment,
restructuring schedule, and the debt lines grouped by the two-month gate.

Every part is ``None`` when the facts do not carry it, so a template tests one value and never
prints a label without its content. Sums the letter states are checked here, tiyn-exact: a
schedule whose rows do not add up to its totals is refused, not printed.
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
)
from service.errors import FieldError, RenderingFailed

ROUTES = ("notary", "court")
ZERO = Decimal("0.00")


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _words(value: Any, lang: Lang) -> str:
    return amount_in_words(_d(value), lang, tiyn="digits")


def money(value: Any, lang: Lang) -> dict[str, str]:
    """An amount as the letters print it: digits and words."""
    return {"digits": format_amount(_d(value)), "words": _words(value, lang)}


def day(value: str, lang: Lang) -> dict[str, str]:
    """A date in every form the letters need (numeric, and in words with the Kazakh cases)."""
    date = dt.date.fromisoformat(value)
    return {
        "numeric": format_date(date),
        "words": date_in_words(date, lang),
        "attributive": date_in_words(date, lang, "attributive"),
        "dative": date_in_words(date, lang, "dative"),
        "ablative": date_in_words(date, lang, "ablative"),
    }


def enforcement(facts: Mapping[str, Any], lang: Lang) -> dict[str, Any] | None:
    """The two-month gate (housing law art. 34-1 p. 10) as a warning or pre-court letter states it.

    ``gate_opens`` is the day the creditor may first go to a notary or court for the oldest unpaid
    item; ``open`` says whether that day has come by the issue date.
    """
    facts_enforcement = facts.get("enforcement")
    if not facts_enforcement:
        return None
    totals = facts["debt"]["totals"]
    past = _d(facts_enforcement.get("past_gate_total") or totals.get("past_gate") or "0")
    current = max(_d(totals["overdue"]) - past, ZERO)
    opens = facts_enforcement.get("gate_opens")
    return {
        "gate_opens": day(opens, lang) if opens else None,
        "open": bool(opens) and opens <= facts["issue_date"],
        "past_gate": money(past, lang) if past > 0 else None,
        "current": money(current, lang) if current > 0 else None,
        "routes": [r for r in ROUTES if r in (facts_enforcement.get("routes") or ROUTES)],
    }


def route(facts: Mapping[str, Any]) -> str | None:
    value = facts.get("route")
    if value is None:
        return None
    if value not in ROUTES:
        raise RenderingFailed(
            f"unknown enforcement route: {value!r}",
            [FieldError("route", "unknown_value", "expected notary or court")],
        )
    return str(value)


def venue(facts: Mapping[str, Any]) -> dict[str, str | None] | None:
    """Where the notary (notary law art. 92-2 p. 3) or court (ГПК art. 29) may be seized."""
    value = facts.get("venue")
    if not value:
        return None
    out = {
        key: nbsp_abbreviations(text) if isinstance(text, str) and text.strip() else None
        for key in ("debtor_address", "property_address")
        for text in [value.get(key)]
    }
    return out if any(out.values()) else None


def acknowledgment(facts: Mapping[str, Any], lang: Lang) -> dict[str, Any] | None:
    """A written acknowledgment of the debt on record (notary law art. 92-1 p. 3), or ``None``."""
    value = facts.get("acknowledgment")
    if not value or not value.get("date"):
        return None
    number = value.get("document_number")
    return {"date": day(value["date"], lang), "number": number if number else None}


def _gate_row(line: Mapping[str, Any]) -> bool:
    return bool(line.get("past_gate")) and _d(line["outstanding"]) > 0


def debt_groups(
    lines: list[Mapping[str, Any]], shown: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Lines past the gate (subject to enforcement) apart from the newer ones (current arrears),
    and the overdue lines (what a restructuring agreement acknowledges).

    ``shown`` are the presented lines, in the same order as ``lines``. Fully paid lines appear in
    neither group.
    """
    groups: dict[str, dict[str, Any]] = {}
    for name, keep in (
        ("past", _gate_row),
        ("current", lambda line: not _gate_row(line) and _d(line["outstanding"]) > 0),
        ("overdue", lambda line: bool(line.get("overdue")) and _d(line["outstanding"]) > 0),
    ):
        picked = [(raw, view) for raw, view in zip(lines, shown, strict=True) if keep(raw)]
        totals = {
            key: format_amount(sum((_d(raw[key]) for raw, _ in picked), ZERO))
            for key in ("charged", "paid", "outstanding")
        }
        groups[name] = {"lines": [view for _, view in picked], "totals": totals}
    return groups


_SCHEDULE_KEYS = ("current", "savings", "penalty", "total")


def restructuring(facts: Mapping[str, Any], lang: Lang) -> dict[str, Any] | None:
    """The agreement: acknowledgment, schedule, terms; a schedule not adding up is refused."""
    value = facts.get("restructuring")
    if not value:
        return None
    totals = {key: _d(value["totals"][key]) for key in _SCHEDULE_KEYS}
    acknowledged = {
        key: _d(value["acknowledged"][key]) for key in ("principal", "penalty", "total")
    }
    rows = []
    sums = dict.fromkeys(_SCHEDULE_KEYS, ZERO)
    errors: list[FieldError] = []
    for index, row in enumerate(value["schedule"]):
        amounts = {key: _d(row.get(key) or "0") for key in _SCHEDULE_KEYS}
        for key in _SCHEDULE_KEYS:
            sums[key] += amounts[key]
        if amounts["current"] + amounts["savings"] + amounts["penalty"] != amounts["total"]:
            errors.append(
                FieldError(
                    f"restructuring.schedule.{index}.total",
                    "inconsistent",
                    "current + savings + penalty must equal the instalment total",
                )
            )
        try:
            due = day(row["due"], lang)
        except ValueError:
            errors.append(
                FieldError(f"restructuring.schedule.{index}.due", "invalid_date", "not a date")
            )
            continue
        rows.append(
            {
                "number": str(row.get("number", index + 1)),
                "due": due["numeric"],
                **{key: format_amount(amounts[key]) for key in _SCHEDULE_KEYS},
            }
        )
    for key in _SCHEDULE_KEYS:
        if sums[key] != totals[key]:
            errors.append(
                FieldError(
                    f"restructuring.totals.{key}",
                    "inconsistent",
                    f"the schedule adds up to {sums[key]}, the totals say {totals[key]}",
                )
            )
    if acknowledged["principal"] + acknowledged["penalty"] != acknowledged["total"]:
        errors.append(
            FieldError(
                "restructuring.acknowledged.total",
                "inconsistent",
                "principal + penalty must equal the acknowledged total",
            )
        )
    if errors:
        raise RenderingFailed("the restructuring schedule does not add up", errors)
    waive = bool(value.get("waive_penalty"))
    grace = value.get("grace_days")
    return {
        "installments": str(value.get("installments") or len(rows)),
        "first_due": day(value["first_due"], lang),
        "last_due": rows[-1]["due"] if rows else None,
        "waive_penalty": waive,
        "default_after_days": str(value["default_after_days"]),
        "grace_days": str(grace) if grace else None,
        "totals": {key: money(totals[key], lang) for key in _SCHEDULE_KEYS},
        "acknowledged": {key: money(v, lang) for key, v in acknowledged.items()},
        "has_penalty_column": totals["penalty"] > 0,
        "has_penalty": acknowledged["penalty"] > 0,
        "has_savings": totals["savings"] > 0,
        "schedule": rows,
    }
