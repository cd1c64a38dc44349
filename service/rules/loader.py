"""Load rule data (``legal/rules/*.yaml``) into specs and pair them with their checks.

Each file may hold ``rules:`` (checks) and ``settings:`` (policy parameter sets that are not
checks). The schema is described at the top of ``legal/rules/ladder.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from service.rules.engine import Rulebook
from service.rules.history import DocumentKind
from service.rules.model import DatedValue, ParamValue, RulebookError, RuleKind, RuleSpec


def load_rule_specs(legal_dir: Path) -> list[RuleSpec]:
    specs: list[RuleSpec] = []
    for path in sorted((legal_dir / "rules").glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        for section in ("rules", "settings"):
            for item in data.get(section) or []:
                try:
                    specs.append(_spec(item, checks=section == "rules"))
                except (KeyError, TypeError, ValueError) as exc:
                    raise RulebookError(f"{path.name}: {item.get('id', '?')}: {exc!r}") from exc
    return specs


def load_rulebook(legal_dir: Path, provisions: Mapping[str, object] | None = None) -> Rulebook:
    """The rulebook; with ``provisions`` given, every cited provision must exist in it."""
    specs = load_rule_specs(legal_dir)
    if provisions is not None:
        unknown = sorted(
            f"{s.id}: {pid}"
            for s in specs
            for pid in (*s.provisions, *s.informed_by)
            if pid not in provisions
        )
        if unknown:
            raise RulebookError(f"rules cite provisions not in the registry: {', '.join(unknown)}")
    return Rulebook.build(specs)


def _spec(item: dict[str, Any], checks: bool) -> RuleSpec:
    applies_to = frozenset(DocumentKind(k) for k in item.get("applies_to") or [])
    if checks and not applies_to:
        raise ValueError("a rule needs applies_to")
    if not checks and applies_to:
        raise ValueError("a setting does not apply to documents")
    return RuleSpec(
        id=str(item["id"]),
        kind=RuleKind(item["kind"]),
        provisions=tuple(str(p) for p in item.get("provisions") or []),
        informed_by=tuple(str(p) for p in item.get("informed_by") or []),
        description={str(k): str(v) for k, v in item["description"].items()},
        parameters={
            str(name): tuple(
                sorted(
                    (
                        DatedValue(as_date(v["from"]), _value(v["value"]), str(v.get("note", "")))
                        for v in values
                    ),
                    key=lambda d: d.effective_from,
                )
            )
            for name, values in (item.get("parameters") or {}).items()
        },
        applies_to=applies_to,
    )


def as_date(value: Any) -> dt.date:
    """A YAML date (already a ``date``) or an ISO string."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _value(raw: Any) -> ParamValue:
    if isinstance(raw, bool | int | str):
        return raw
    if isinstance(raw, float):
        return Decimal(str(raw))
    raise ValueError(f"unsupported parameter value {raw!r}")
