"""A debt case as stored: debtor, unit, the meeting decisions behind the charges, the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from service.cases.debt import Charge, Contribution, DebtSummary, Payment, compute_debt
from service.cases.penalty import PenaltyPolicy, PenaltyResult, compute_penalty
from service.kernel.calendar import WorkCalendar
from service.kernel.text import Localized


class UnitType(StrEnum):
    FLAT = "flat"
    NON_RESIDENTIAL = "non_residential"
    PARKING = "parking"
    STORAGE = "storage"


@dataclass(frozen=True)
class Debtor:
    full_name: str
    iin: str | None = None
    language: str = "kk"
    email: str | None = None
    phone: str | None = None
    postal_address: str | Localized | None = None
    """As the client sent it: one string, or a Kazakh and a Russian form (#18)."""

    @staticmethod
    def address_of(value: str | Mapping[str, str] | None) -> str | Localized | None:
        """A stored postal address (one string, or ``{"kk", "ru"}``) as the domain holds it."""
        return value if value is None or isinstance(value, str) else Localized.given(value)

    def postal(self) -> Localized | None:
        """The postal address in each language (one string prints as given in both), or
        ``None`` when none is given."""
        address = self.postal_address
        if address is None:
            return None
        texts = Localized.given(address) if isinstance(address, str) else address
        return texts if texts.kk.strip() and texts.ru.strip() else None

    def wire(self) -> dict[str, Any]:
        address = self.postal_address
        return {
            "full_name": self.full_name,
            "iin": self.iin,
            "language": self.language,
            "email": self.email,
            "phone": self.phone,
            "postal_address": address.given_form() if isinstance(address, Localized) else address,
        }


@dataclass(frozen=True)
class Unit:
    type: UnitType
    number: str
    area_m2: Decimal | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Unit:
        area = data.get("area_m2")
        return cls(UnitType(data["type"]), str(data["number"]), Decimal(area) if area else None)

    def wire(self) -> dict[str, Any]:
        area = f"{self.area_m2:.2f}" if self.area_m2 is not None else None
        return {"type": self.type.value, "number": self.number, "area_m2": area}


@dataclass(frozen=True)
class MeetingProtocol:
    """The owners' meeting decision approving a contribution (housing law art. 42 p. 5)."""

    number: str
    date: dt.date


@dataclass(frozen=True)
class Basis:
    """Why a contribution is charged: the protocol that approved it, and the monthly amount."""

    contribution: Contribution
    protocol: MeetingProtocol
    monthly_amount: Decimal | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Basis:
        protocol = data["protocol"]
        monthly = data.get("monthly_amount")
        return cls(
            Contribution(data["contribution"]),
            MeetingProtocol(str(protocol["number"]), dt.date.fromisoformat(protocol["date"])),
            Decimal(monthly) if monthly else None,
        )

    def wire(self) -> dict[str, Any]:
        return {
            "contribution": self.contribution.value,
            "protocol": {"number": self.protocol.number, "date": self.protocol.date.isoformat()},
            "monthly_amount": f"{self.monthly_amount:.2f}" if self.monthly_amount else None,
        }


@dataclass(frozen=True)
class DebtCase:
    id: str
    creditor_id: str
    external_id: str
    debtor: Debtor
    unit: Unit
    basis: tuple[Basis, ...]
    charges: tuple[Charge, ...]
    payments: tuple[Payment, ...]

    def contributions_without_basis(self) -> list[Contribution]:
        """Contributions charged with no meeting protocol given for them."""
        charged = {c.contribution for c in self.charges}
        return sorted(charged - {b.contribution for b in self.basis})


@dataclass(frozen=True)
class CaseDebt:
    """The case's debt on one date: arrears by line, and penalty apart from principal."""

    summary: DebtSummary
    penalty: PenaltyResult


def assess(
    case: DebtCase, on: dt.date, calendar: WorkCalendar, penalty_policy: PenaltyPolicy
) -> CaseDebt:
    summary = compute_debt(list(case.charges), list(case.payments), on, calendar)
    return CaseDebt(summary, compute_penalty(summary.lines, on, penalty_policy))
