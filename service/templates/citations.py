"""The provisions a version cites, as the upload gives them (pure)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from service.documents.kinds import KindRegistry
from service.errors import FieldError
from service.law.context import LawContext
from service.templates.stale import Cited, edition_in_force


def parse_provisions(
    law: LawContext,
    kinds: KindRegistry,
    kind: str,
    raw: str | Sequence[Any] | None,
    today: dt.date,
) -> tuple[list[Cited], list[FieldError]]:
    """``raw``: a comma list of ids, or JSON: a list of ids or of ``{"id", "edition_from"}``.
    Absent: the provisions the kind cites. An edition not given is the one in force today."""
    items: list[Any]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        spec = kinds.get(kind)
        items = sorted(spec.all_citations()) if spec else []
    elif isinstance(raw, str):
        text = raw.strip()
        try:
            loaded = json.loads(text) if text[0] in "[{" else None
        except json.JSONDecodeError as exc:
            return [], [FieldError("provisions", "invalid_json", str(exc))]
        items = (
            loaded
            if isinstance(loaded, list)
            else [part.strip() for part in text.split(",") if part.strip()]
        )
    else:
        items = list(raw)
    cited: list[Cited] = []
    errors: list[FieldError] = []
    for index, item in enumerate(items):
        where = f"provisions.{index}"
        if isinstance(item, str):
            pid, edition_text = item, None
        elif isinstance(item, Mapping) and isinstance(item.get("id"), str):
            pid, edition_text = item["id"], item.get("edition_from")
        else:
            errors.append(FieldError(where, "invalid_value", "an id or {id, edition_from}"))
            continue
        provision = law.provisions.get(pid)
        if provision is None:
            errors.append(
                FieldError(where, "unknown_provision", f"{pid} is not in legal/provisions")
            )
            continue
        if edition_text is None:
            cited.append(Cited(pid, edition_in_force(provision, today)))
            continue
        try:
            edition = dt.date.fromisoformat(str(edition_text))
        except ValueError:
            errors.append(FieldError(f"{where}.edition_from", "invalid_date", "YYYY-MM-DD"))
            continue
        if edition not in {e.effective_from for e in provision.editions}:
            dates = ", ".join(e.effective_from.isoformat() for e in provision.editions)
            errors.append(
                FieldError(
                    f"{where}.edition_from",
                    "unknown_edition",
                    f"{pid} has editions from: {dates}",
                )
            )
            continue
        cited.append(Cited(pid, edition))
    return cited, errors
