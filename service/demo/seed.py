"""``talap demo``: a demo creditor with realistic histories, so a newcomer sees a signed PDF fast.

The people and accounts are fictitious (``service/demo/*.json`` says so). Histories are built
relative to today, so the demo always has debts that are overdue now.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from service.cases.schemas import CaseIn
from service.cases.service import upsert_case
from service.clock import Clock
from service.creditors import repository as creditors
from service.creditors.schemas import CreditorIn
from service.creditors.service import create_key, register_creditor
from service.kernel.period import Period
from service.kit.db import Database
from service.kit.fields import parse

HERE = Path(__file__).parent


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return data


def demo_case_payload(spec: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A case ledger ending with last month's charge; the most recent months stay unpaid."""
    periods: list[Period] = []
    current = Period.of(today)
    for _ in range(spec["months"]):
        current = current.previous()
        periods.append(current)
    periods.reverse()
    charges = [
        {"period": str(p), "contribution": kind, "amount": amount}
        for p in periods
        for kind, amount in spec["monthly"].items()
    ]
    monthly_total = sum((Decimal(a) for a in spec["monthly"].values()), Decimal(0))
    payments = []
    paid_periods = periods[: len(periods) - spec["months_unpaid"]]
    for p in paid_periods:
        nxt = p.next()
        payments.append(
            {
                "date": dt.date(nxt.year, nxt.month, 20).isoformat(),
                "amount": str(monthly_total),
                "reference": f"Kaspi {p.year}{p.month:02d}{spec['unit']['number']}",
            }
        )
    if spec.get("partial_payment") and spec["months_unpaid"] > 1:
        p = periods[-spec["months_unpaid"] + 1]
        payments.append(
            {
                "date": dt.date(p.year, p.month, 10).isoformat(),
                "amount": spec["partial_payment"],
                "reference": "Halyk demo",
            }
        )
    protocol = {"number": "2", "date": (periods[0].first_day() - dt.timedelta(days=20)).isoformat()}
    return {
        "external_id": spec["external_id"],
        "debtor": spec["debtor"],
        "unit": spec["unit"],
        "basis": [
            {"contribution": kind, "protocol": protocol, "monthly_amount": amount}
            for kind, amount in spec["monthly"].items()
        ],
        "charges": charges,
        "payments": payments,
    }


def seed_demo(db: Database, clock: Clock) -> tuple[str, str, list[str]]:
    """Create (or reuse) the demo creditor and its cases; return creditor id, a system key, ids."""
    creditor = parse(CreditorIn, _load("creditor.json"))
    today = clock.today()
    with db.transaction() as session:
        existing = creditors.find_by_bin(session, creditor.bin)
        creditor_id = (
            existing.id if existing else register_creditor(session, clock, creditor, actor="demo")
        )
        external_ids = []
        for spec in _load("debtors.json")["cases"]:
            upsert_case(
                session,
                clock,
                creditor_id=creditor_id,
                external_id=spec["external_id"],
                case_in=parse(CaseIn, demo_case_payload(spec, today)),
                actor="demo",
            )
            external_ids.append(spec["external_id"])
        key = create_key(session, clock, creditor_id=creditor_id, role="system", actor="demo")
    return creditor_id, key, external_ids
