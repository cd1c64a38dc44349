"""A creditor as the documents need it: names, БИН, address, chairman, bank accounts, contacts.

Its ``form`` says who speaks and signs (housing law; research 1.13, 1.14, C.10): an ОСИ/МИБ
through its chairman, who acts without a power of attorney (art. 51-1 p. 2); a КСК/ПИК or a
management company as management subject (субъект управления) under its management contract
with the ОСИ (art. 51-4; art. 34-1 p. 10 lets either apply to a notary or court), so that
contract's number and date are required for those forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from service.cases.debt import Account
from service.kernel.text import Localized


class CreditorForm(StrEnum):
    OSI = "osi"
    """ОСИ / МИБ: an association of property owners."""
    KSK = "ksk"
    """КСК / ПИК: a cooperative acting as management subject."""
    MANAGEMENT_COMPANY = "management_company"
    """Управляющая компания / басқарушы компания: a management subject under contract."""

    @property
    def is_management_subject(self) -> bool:
        """Acts for an ОСИ under a management contract (housing law art. 51-4), not as one."""
        return self is not CreditorForm.OSI

    @property
    def authority_provision(self) -> str | None:
        """The provision behind the signer's authority, cited in an agreement's party clause:
        an ОСИ chairman without a power of attorney (art. 51-1 p. 2), a КСК as management
        subject under its contract with the ОСИ (art. 51-4). For a management company the
        research records no article of its own (to-confirm): its contract is its basis."""
        return {
            CreditorForm.OSI: "housing-51-1-p2",
            CreditorForm.KSK: "housing-51-4",
        }.get(self)


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


@dataclass(frozen=True)
class ManagementContract:
    """A КСК's or management company's contract with the ОСИ it manages for (art. 51-4)."""

    number: str
    date: dt.date


@dataclass(frozen=True)
class BankAccount:
    iban: str
    bank: Localized
    """As the client sent it: one name, or a Kazakh and a Russian one (#18)."""
    bic: str


@dataclass(frozen=True)
class Accounts:
    current: BankAccount
    """Current, target and parking contributions are paid here (housing law art. 34-1 p. 3)."""
    savings: BankAccount | None = None
    """Accumulative contributions are paid here (art. 34-1 p. 4)."""

    def for_account(self, account: Account) -> BankAccount | None:
        return self.current if account is Account.CURRENT else self.savings


@dataclass(frozen=True)
class Chairman:
    """Who signs: the chairman (or the head of a КСК or management company)."""

    full_name: str
    position: Localized
    gender: Gender | None = None


@dataclass(frozen=True)
class Contacts:
    phone: str | None = None
    email: str | None = None


class MandatePower(StrEnum):
    """A power the owners' meeting or the board gives the chairman by a recorded decision."""

    PENALTY_WAIVER = "penalty_waiver"
    """Waive the penalty on a debt restructured by agreement (research C.11: needs a meeting or
    board mandate)."""
    PENALTY_DISCOUNT = "penalty_discount"
    """Offer to write off or reduce the penalty if the principal is paid by a date (review #36;
    research C.11)."""


POWERS = frozenset(p.value for p in MandatePower)


class MandateBody(StrEnum):
    MEETING = "meeting"
    """Собрание собственников / меншік иелерінің жиналысы."""
    BOARD = "board"
    """Совет дома (ОСИ) or правление (КСК) / үй кеңесі, басқарма."""


@dataclass(frozen=True)
class Mandate:
    """The decision that gives a power: which body took it, and its protocol's number and date."""

    power: MandatePower
    body: MandateBody
    protocol_number: str
    protocol_date: dt.date

    @classmethod
    def from_wire(cls, power: MandatePower, data: Mapping[str, Any]) -> Mandate:
        protocol = data["protocol"]
        return cls(
            power=power,
            body=MandateBody(data["body"]),
            protocol_number=str(protocol["number"]),
            protocol_date=dt.date.fromisoformat(str(protocol["date"])),
        )

    def wire(self) -> dict[str, Any]:
        return {
            "body": self.body.value,
            "protocol": {"number": self.protocol_number, "date": self.protocol_date.isoformat()},
        }


@dataclass(frozen=True)
class Creditor:
    id: str
    name: Localized
    form: CreditorForm
    bin: str
    address: Localized
    chairman: Chairman
    accounts: Accounts
    contacts: Contacts
    mandates: Mapping[MandatePower, Mandate] = field(default_factory=dict)
    """Recorded decisions giving the chairman a power (creditor policy, printed where used)."""
    place: Localized | None = None
    """Where the creditor concludes agreements (e.g. «Алматы қ.» / «г. Алматы»); when absent,
    the first part of its address (``place_of_conclusion``)."""

    @property
    def place_of_conclusion(self) -> Localized:
        """The place an agreement names as concluded in (review #8): ``place``, else the first
        comma-separated part of the address, which is the city in a Kazakh address."""
        if self.place is not None:
            return self.place
        return Localized(
            kk=self.address.kk.split(",")[0].strip(), ru=self.address.ru.split(",")[0].strip()
        )

    management_contract: ManagementContract | None = None
    """A КСК's or management company's contract with the ОСИ (required for those forms)."""

    def mandate(self, power: MandatePower) -> Mandate | None:
        return self.mandates.get(power)

    @classmethod
    def from_profile(cls, creditor_id: str, profile: Mapping[str, Any]) -> Creditor:
        """The creditor as registered (``CreditorIn``, stored as JSON)."""
        accounts = profile["accounts"]
        contacts = profile.get("contacts") or {}
        chairman = profile["chairman"]
        contract = profile.get("management_contract")
        gender = chairman.get("gender")
        return cls(
            id=creditor_id,
            name=Localized(**profile["name"]),
            form=CreditorForm(profile["form"]),
            bin=profile["bin"],
            address=Localized(**profile["address"]),
            chairman=Chairman(
                chairman["full_name"],
                Localized(**chairman["position"]),
                Gender(gender) if gender else None,
            ),
            accounts=Accounts(
                current=_account(accounts["current"]),
                savings=_account(accounts["savings"]) if accounts.get("savings") else None,
            ),
            contacts=Contacts(phone=contacts.get("phone"), email=contacts.get("email")),
            place=Localized(**profile["place"]) if profile.get("place") else None,
            mandates={
                MandatePower(power): Mandate.from_wire(MandatePower(power), data)
                for power, data in (profile.get("mandates") or {}).items()
                if power in POWERS
            },
            management_contract=ManagementContract(
                str(contract["number"]), dt.date.fromisoformat(str(contract["date"]))
            )
            if contract
            else None,
        )

    def profile(self) -> dict[str, Any]:
        """The wire form, as registered (the document snapshot stores it)."""
        contract = self.management_contract
        profile: dict[str, Any] = {
            "name": self.name.as_dict(),
            "form": self.form.value,
            "bin": self.bin,
            "address": self.address.as_dict(),
            "chairman": {
                "full_name": self.chairman.full_name,
                "position": self.chairman.position.as_dict(),
                "gender": self.chairman.gender.value if self.chairman.gender else None,
            },
            "accounts": {
                "current": _account_wire(self.accounts.current),
                "savings": _account_wire(self.accounts.savings) if self.accounts.savings else None,
            },
            "contacts": {"phone": self.contacts.phone, "email": self.contacts.email},
            "place": self.place.as_dict() if self.place else None,
            "mandates": {power.value: m.wire() for power, m in self.mandates.items()},
        }
        if contract is not None:
            profile["management_contract"] = {
                "number": contract.number,
                "date": contract.date.isoformat(),
            }
        return profile


def _account(data: Mapping[str, Any]) -> BankAccount:
    return BankAccount(iban=data["iban"], bank=Localized.given(data["bank"]), bic=data["bic"])


def _account_wire(account: BankAccount) -> dict[str, Any]:
    return {"iban": account.iban, "bank": account.bank.given_form(), "bic": account.bic}
