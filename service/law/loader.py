"""Read ``legal/``: provisions, the working-day calendar, the penalty rate table and the rules.

Parsing YAML is an edge concern; everything else sees the frozen objects built here. The data is
read once per process (``load_law``) and checked: a rule citing a provision the registry does not
have stops the start (``RulebookError``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from service.cases.penalty import PenaltyPolicy, RateEntry
from service.kernel.calendar import WEEKENDS_ONLY, WorkCalendar
from service.law.context import LawContext
from service.law.provisions import Edition, Provision
from service.rules.loader import as_date, load_rulebook


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_law(legal_dir: Path) -> LawContext:
    provisions = load_provisions(legal_dir)
    return LawContext(
        provisions=provisions,
        calendar=load_calendar(legal_dir),
        penalty_policy=load_penalty_policy(legal_dir),
        rulebook=load_rulebook(legal_dir, provisions),
    )


def load_provisions(legal_dir: Path) -> dict[str, Provision]:
    registry: dict[str, Provision] = {}
    for path in sorted((legal_dir / "provisions").glob("*.yaml")):
        data = _read(path)
        act = data["act"]
        for item in data["provisions"]:
            if item["id"] in registry:
                raise ValueError(f"{path.name}: provision {item['id']} is defined twice")
            registry[item["id"]] = Provision(
                id=item["id"],
                act_id=act["id"],
                act_title=act["title"],
                act_short=act["short"],
                article=str(item["article"]),
                paragraph=str(item.get("paragraph") or ""),
                subparagraph=str(item.get("subparagraph") or ""),
                confidence=str(item.get("confidence", "")),
                source=str(item.get("source", act["source"])),
                editions=tuple(
                    Edition(
                        effective_from=as_date(e["from"]),
                        summary=e["summary"],
                        amended_by=e.get("amended_by"),
                        note=e.get("note"),
                    )
                    for e in item["editions"]
                ),
            )
    return registry


def load_calendar(legal_dir: Path) -> WorkCalendar:
    """All ``legal/calendar/*.yaml`` files merged; weekends only if there are none."""
    files = sorted((legal_dir / "calendar").glob("*.yaml"))
    if not files:
        return WEEKENDS_ONLY
    holidays: set[dt.date] = set()
    working: set[dt.date] = set()
    for path in files:
        data = _read(path) or {}
        for year in data.get("years", {}).values():
            holidays.update(as_date(d["date"]) for d in year.get("non_working", []))
            working.update(as_date(d["date"]) for d in year.get("working_weekends", []))
    return WorkCalendar.of(holidays, working)


def load_penalty_policy(legal_dir: Path) -> PenaltyPolicy:
    data = _read(legal_dir / "penalty" / "nbrk-base-rate.yaml")
    rates = tuple(
        sorted(
            (
                RateEntry(
                    effective_from=as_date(r["from"]),
                    annual_percent=Decimal(str(r["percent"])),
                    note=str(r.get("note", "")),
                    confidence=str(r.get("confidence", "to-confirm")),
                )
                for r in data["rates"]
            ),
            key=lambda r: r.effective_from,
        )
    )
    return PenaltyPolicy(
        enabled=bool(data.get("enabled", True)),
        rates=rates,
        day_count=int(data.get("day_count", 365)),
        provision=str(data["provision"]),
        source={k: str(v) for k, v in data["source"].items()},
    )
