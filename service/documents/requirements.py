"""What a document needs before it may go out: every missing or invalid field, at once.

One pass over the facts, the same on issue, preview and explain (so a missing field has one path
and one code everywhere). Rules about the case's history and dates are the rules engine's
(``service.rules``); what the request itself must say is the kind's (``KindSpec``).

Paths are in the stored facts (``snapshot``); ``*`` is every item of a list; a path ending in
``{lang}`` is a text needed in each document language. ``None``, a blank string and an empty list
count as missing; ``0`` and ``false`` do not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from service.cases.debt import Account
from service.documents.facts import DocumentFacts
from service.documents.kinds.spec import KindSpec
from service.errors import FieldError


def check(facts: DocumentFacts, spec: KindSpec, stored: Mapping[str, Any]) -> list[FieldError]:
    """Every missing field of ``facts`` (``stored``: their ``snapshot``, where paths point)."""
    errors = _ledger_errors(facts)
    for pattern in spec.required:
        localized = pattern.endswith("{lang}")
        base = pattern.removesuffix("{lang}")
        for path, value in _resolve(stored, base.split("."), ""):
            if localized and isinstance(value, Mapping):
                for lang in facts.languages:
                    if _blank(value.get(lang)):
                        errors.append(_required(f"{path}.{lang}", spec.name))
            elif _blank(value):
                errors.append(_required(path, spec.name))
    return errors


def _ledger_errors(facts: DocumentFacts) -> list[FieldError]:
    """Fields every notice needs (research "What the service must encode", item 10)."""
    errors = []
    case = facts.case
    for contribution in case.contributions_without_basis():
        errors.append(
            FieldError(
                "basis",
                "protocol_missing",
                f"no meeting protocol is given for {contribution.value} contributions: the "
                "protocol approving each contribution is the legal basis of the charge "
                "(housing law art. 42 p. 5)",
            )
        )
    if not case.charges:
        errors.append(FieldError("charges", "required", "the case has no charges"))
    owed = set(facts.overdue_by_account())
    if any(c.contribution.value == "accumulative" for c in case.charges):
        owed.add(Account.SAVINGS.value)
    for account in sorted(owed):
        if facts.creditor.accounts.for_account(Account(account)) is None:
            errors.append(
                FieldError(
                    f"creditor.accounts.{account}",
                    "required",
                    f"{'accumulative' if account == 'savings' else 'these'} contributions are "
                    f"paid to the {account} account (housing law art. 34-1 p. 3–4): the creditor "
                    "has none on record",
                )
            )
    return errors


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


def _required(path: str, kind: str) -> FieldError:
    return FieldError(path, "required", f"a {kind} cannot be issued without {path}")
