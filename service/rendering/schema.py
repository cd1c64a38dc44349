"""The fields each document kind requires, declared once, per kind and schema version.

``TypstRenderer.render`` checks them before typesetting and refuses with every missing field at
once, so a document never goes out with a blank where the law expects a value (shared legal
research, "What the service must encode" C.10–11). Everything not listed is optional, and the
templates print an optional field's label only together with its value.

Paths are dotted; ``*`` stands for every item of a list (``debt.lines.*.due_date``). A path ending
in ``{lang}`` is a text the document prints in its language(s): it may be a plain string (used in
every language) or a ``{"kk": …, "ru": …}`` mapping, which then needs an entry per document
language. ``None``, a blank string and an empty list count as missing; ``0`` and ``false`` do not.
Non-draft documents also require their number and verification data (``ISSUED_ONLY``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from service.errors import FieldError

LANGUAGES: Final = {"kk": ("kk",), "ru": ("ru",), "bilingual": ("kk", "ru")}


@dataclass(frozen=True)
class KindSchema:
    """The required fields of one document kind at one schema version."""

    kind: str
    version: int
    required: tuple[str, ...]
    """Fact paths that must carry a value (see the module docstring for the path syntax)."""
    languages: tuple[str, ...] = ("kk", "ru", "bilingual")
    """Languages the kind is issued in (restructuring: bilingual only, language law art. 15)."""


# Every document: creditor block, debtor block, debt table, dates (research C.10).
COMMON: Final = (
    "issue_date",
    "deadline",
    "creditor.name{lang}",
    "creditor.address{lang}",
    "creditor.chairman.full_name",
    "creditor.chairman.position{lang}",
    "creditor.accounts.current.iban",
    "debtor.full_name",
    "unit.type",
    "unit.number",
    "debt.as_of",
    "debt.lines",
    "debt.lines.*.period",
    "debt.lines.*.contribution",
    "debt.lines.*.charged",
    "debt.lines.*.paid",
    "debt.lines.*.outstanding",
    "debt.lines.*.due_date",
    "debt.totals.charged",
    "debt.totals.paid",
    "debt.totals.outstanding",
    "debt.totals.overdue",
)

# What a notary or court will need, so every step beyond the reminder carries it.
BASIS: Final = (
    "creditor.bin",
    "basis",
    "basis.*.contribution",
    "basis.*.monthly_amount",
    "basis.*.protocol.number",
    "basis.*.protocol.date",
)
GATE: Final = ("debt.lines.*.gate_opens", "enforcement.gate_opens", "enforcement.past_gate_total")

SCHEMAS: Final[dict[str, KindSchema]] = {
    schema.kind: schema
    for schema in (
        KindSchema("reminder", 1, COMMON),
        KindSchema("warning", 1, (*COMMON, *BASIS, *GATE)),
        KindSchema(
            "pretrial",
            1,
            (*COMMON, *BASIS, *GATE, "debt.totals.past_gate", "route", "venue.property_address"),
        ),
        KindSchema(
            "restructuring",
            1,
            (
                *COMMON,
                *BASIS,
                "restructuring.installments",
                "restructuring.first_due",
                "restructuring.waive_penalty",
                "restructuring.default_after_days",
                *(f"restructuring.totals.{k}" for k in ("current", "savings", "penalty", "total")),
                *(f"restructuring.acknowledged.{k}" for k in ("principal", "penalty", "total")),
                "restructuring.schedule",
                *(
                    f"restructuring.schedule.*.{k}"
                    for k in ("due", "current", "savings", "penalty", "total")
                ),
            ),
            languages=("bilingual",),
        ),
    )
}

ISSUED_ONLY: Final = ("number", "document_id", "verify_url")

# The provisions each kind's template cites (``cite-of`` in templates/common/text-*.typ): the
# template version's legal basis. The issuing side passes their wording from the registry.
_BASIS = ("housing-34-p3", "housing-34-1-p1", "housing-34-1-p8")
_ENFORCEMENT = ("housing-34-1-p9", "housing-34-1-p10", "notary-92-1-p2-6", "notary-92-1-p3")
CITED_BY_KIND: dict[str, tuple[str, ...]] = {
    "reminder": (*_BASIS, "housing-51-1-p5-12"),
    "warning": (*_BASIS, *_ENFORCEMENT, "gk-353", "housing-51-1-p5-12"),
    "restructuring": (
        *_BASIS,
        "housing-34-1-p9",
        "housing-51-1-p2",
        "housing-51-1-p5-12",
        "gk-183",
        "notary-92-1-p2-6",
        "notary-92-1-p3",
        "language-15",
    ),
    "pretrial": (
        *_BASIS,
        *_ENFORCEMENT,
        "notary-92-2-p3",
        "notary-92-6",
        "notary-92-8",
        "housing-51-1-p5-12",
    ),
}
COURT_ROUTE: tuple[str, ...] = (
    *_BASIS,
    "housing-34-1-p9",
    "housing-34-1-p10",
    "gpk-29",
    "housing-51-1-p5-12",
)


def cited_provisions(kind: str, route: str | None = None) -> tuple[str, ...]:
    """Provisions a kind cites; a court-route letter cites the ГПК instead of notary law."""
    if kind == "pretrial" and route == "court":
        return COURT_ROUTE
    return CITED_BY_KIND.get(kind, ())


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str | list | dict) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def _resolve(value: Any, parts: list[str], path: str) -> Iterator[tuple[str, Any]]:
    """Every (concrete path, value) a pattern reaches; a missing step yields ``None``."""
    if not parts:
        yield path, value
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        for index, item in enumerate(value if isinstance(value, list) else []):
            yield from _resolve(item, rest, f"{path}.{index}")
        return
    child = value.get(head) if isinstance(value, Mapping) else None
    yield from _resolve(child, rest, f"{path}.{head}" if path else head)


def required_fields(kind: str, language: str) -> list[str]:
    """The required fact paths of ``kind`` in ``language``, ``{lang}`` expanded."""
    schema = SCHEMAS[kind]
    out: list[str] = []
    for path in schema.required:
        if path.endswith("{lang}"):
            base = path.removesuffix("{lang}")
            out.extend(f"{base}.{lang}" for lang in LANGUAGES.get(language, ()))
        else:
            out.append(path)
    return out


def missing_fields(facts: Mapping[str, Any]) -> list[FieldError]:
    """Every required field of the facts' kind and language that has no value, at once."""
    kind, language = facts.get("kind"), facts.get("language")
    if kind not in SCHEMAS:
        return [FieldError("kind", "unknown_value", f"expected one of: {', '.join(SCHEMAS)}")]
    schema = SCHEMAS[kind]
    if language not in schema.languages:
        expected = ", ".join(schema.languages)
        return [FieldError("language", "unknown_value", f"{kind} is issued in: {expected}")]
    errors: list[FieldError] = []
    patterns = [*ISSUED_ONLY] if not facts.get("draft") else []
    for pattern in [*patterns, *schema.required]:
        localized = pattern.endswith("{lang}")
        base = pattern.removesuffix("{lang}")
        for path, value in _resolve(facts, base.split("."), ""):
            if localized and isinstance(value, Mapping):
                for lang in LANGUAGES[language]:
                    if _blank(value.get(lang)):
                        errors.append(_required(f"{path}.{lang}", kind))
            elif _blank(value):
                errors.append(_required(path, kind))
    return errors


def _required(path: str, kind: str) -> FieldError:
    return FieldError(path, "required", f"a {kind} cannot be issued without {path}")
