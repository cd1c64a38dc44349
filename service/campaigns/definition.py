"""What a campaign is, and the pure decisions it makes: which cases it takes, in which language
a notice goes, when a scheduled run is due, and the digests that pin what a person approved.

Nothing here is law: a campaign is the creditor's practice. The rules engine still decides, per
case, whether the notice may go (the ladder, the law); a campaign only chooses whom to ask about.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

LANGUAGE_RULES = ("preferred", "kk", "ru", "bilingual")
"""``preferred``: the debtor's own language when the kind is issued in it, else bilingual."""

CHANNELS = ("email", "sms", "post", "none")
"""``email`` and ``sms`` are sent by Talap after issuing; ``post`` and ``none`` only issue (the
post list is made apart, ``service.postal``)."""

SENT_CHANNELS = frozenset({"email", "sms"})

CONTACT_OF = {"email": "email", "sms": "phone"}
"""The debtor's contact a sending channel needs."""


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a run takes. Every condition given must hold; none given: every case."""

    min_overdue: Decimal | None = None
    """Overdue principal at least this (tenge)."""
    min_months: int | None = None
    """At least this many months in arrears (within the segmentation look-back)."""
    segments: tuple[str, ...] = ()
    """Only these segments (``new``, ``temporary``, ``chronic``…)."""
    next_step_allowed: bool = True
    """Only cases whose next lawful step is the campaign's kind and is allowed today (the
    rules would not refuse it for time alone)."""
    unit_types: tuple[str, ...] = ()
    """Only these unit types (``flat``, ``parking``…)."""
    external_id_prefix: str | None = None
    """Only cases whose id starts so (a building's cases usually share a prefix)."""
    units: tuple[str, ...] = ()
    """Only these unit numbers."""


@dataclass(frozen=True)
class CaseFacts:
    """What the filter reads of one case on the run's day."""

    external_id: str
    overdue: Decimal
    months_in_arrears: int
    segment: str
    next_kind: str | None
    next_earliest: dt.date | None
    unit_type: str
    unit_number: str


def matches(case_filter: CaseFilter, kind: str, facts: CaseFacts, today: dt.date) -> bool:
    if case_filter.min_overdue is not None and facts.overdue < case_filter.min_overdue:
        return False
    if case_filter.min_months is not None and facts.months_in_arrears < case_filter.min_months:
        return False
    if case_filter.segments and facts.segment not in case_filter.segments:
        return False
    if case_filter.next_step_allowed and not (
        facts.next_kind == kind and facts.next_earliest is not None and facts.next_earliest <= today
    ):
        return False
    if case_filter.unit_types and facts.unit_type not in case_filter.unit_types:
        return False
    if case_filter.external_id_prefix and not facts.external_id.startswith(
        case_filter.external_id_prefix
    ):
        return False
    return not (case_filter.units and facts.unit_number not in case_filter.units)


def language_for(rule: str, debtor_language: str, languages: Iterable[str]) -> str:
    """The language of one notice: a fixed one, or the debtor's own if the kind has it, else
    bilingual (Kazakh and Russian side by side reach every reader)."""
    offered = tuple(languages)
    if rule != "preferred":
        return rule
    if debtor_language in offered and debtor_language != "bilingual":
        return debtor_language
    return "bilingual"


@dataclass(frozen=True)
class Schedule:
    """``on_demand`` (runs only when started), or ``monthly`` on ``day`` (1–31; in a shorter
    month, its last day)."""

    type: str
    day: int | None = None

    def due_period(self, today: dt.date) -> str | None:
        """The month (``YYYY-MM``) a scheduled run is due for today, or None."""
        if self.type != "monthly" or self.day is None:
            return None
        last = calendar.monthrange(today.year, today.month)[1]
        if today.day < min(self.day, last):
            return None
        return f"{today.year:04d}-{today.month:02d}"


VOLATILE = ("number", "document_id", "verify_url", "draft", "development_signature")
"""Snapshot keys an issued document fills in, never known to a draft."""
DATED = ("issue_date", "deadline")
"""Keys that follow the day of issuing: a draft approved on Monday and issued on Tuesday says
Tuesday; the approval covers the debt, the debtor and the wording, not the date."""


def material(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a draft's facts a person approves: everything but the number, the links and
    the dates that follow the issue day (including the penalty, which accrues by the day)."""
    kept = {k: v for k, v in snapshot.items() if k not in VOLATILE and k not in DATED}
    debt = dict(kept.get("debt") or {})
    debt.pop("as_of", None)
    debt.pop("penalty", None)
    kept["debt"] = debt
    return kept


def facts_digest(snapshot: Mapping[str, Any]) -> str:
    return _sha256(material(snapshot))


def sections(snapshot: Mapping[str, Any]) -> dict[str, str]:
    """A digest per part of the material facts (``debt.lines``, ``debt.totals``, ``debtor``…),
    kept beside the draft so a stale one can say which part changed."""
    facts = material(snapshot)
    parts: dict[str, str] = {}
    for key, value in facts.items():
        if key == "debt" and isinstance(value, dict):
            parts.update({f"debt.{k}": _sha256(v) for k, v in value.items()})
        else:
            parts[key] = _sha256(value)
    return parts


def changed_sections(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """The parts whose digest differs (sorted), for telling a person why a draft went stale."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def drafts_digest(drafts: Iterable[tuple[str, str]]) -> str:
    """One SHA-256 over the sorted ``(case, facts digest)`` pairs: what exactly an approval
    covers. The approver names it; a set that changed since it was read no longer matches."""
    lines = "".join(f"{case}\t{digest}\n" for case, digest in sorted(drafts))
    return hashlib.sha256(lines.encode()).hexdigest()


def _sha256(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
