"""Load legal data (``legal/``): the working-day calendar and the penalty policy.

Parsing YAML is an edge concern; the domain only sees the frozen objects built here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from service.domain.calendar import WEEKENDS_ONLY, WorkCalendar
from service.domain.penalty import PenaltyPolicy, RateEntry


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


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
            holidays.update(_as_date(d["date"]) for d in year.get("non_working", []))
            working.update(_as_date(d["date"]) for d in year.get("working_weekends", []))
    return WorkCalendar.of(holidays, working)


def load_penalty_policy(legal_dir: Path) -> PenaltyPolicy:
    data = _read(legal_dir / "penalty" / "nbrk-base-rate.yaml")
    rates = tuple(
        sorted(
            (
                RateEntry(
                    effective_from=_as_date(r["from"]),
                    annual_percent=Decimal(str(r["percent"])),
                    note=str(r.get("note", r.get("confidence", ""))),
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
