"""A creditor as the documents need it: names, БИН, address, chairman, bank accounts, contacts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class BankAccount:
    iban: str
    bank: str
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
    full_name: str
    position: Localized


@dataclass(frozen=True)
class Contacts:
    phone: str | None = None
    email: str | None = None


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

    @classmethod
    def from_profile(cls, creditor_id: str, profile: Mapping[str, Any]) -> Creditor:
        """The creditor as registered (``CreditorIn``, stored as JSON)."""
        accounts = profile["accounts"]
        contacts = profile.get("contacts") or {}
        chairman = profile["chairman"]
        return cls(
            id=creditor_id,
            name=Localized(**profile["name"]),
            form=CreditorForm(profile["form"]),
            bin=profile["bin"],
            address=Localized(**profile["address"]),
            chairman=Chairman(chairman["full_name"], Localized(**chairman["position"])),
            accounts=Accounts(
                current=_account(accounts["current"]),
                savings=_account(accounts["savings"]) if accounts.get("savings") else None,
            ),
            contacts=Contacts(phone=contacts.get("phone"), email=contacts.get("email")),
        )

    def profile(self) -> dict[str, Any]:
        """The wire form, as registered (the document snapshot stores it)."""
        return {
            "name": self.name.as_dict(),
            "form": self.form.value,
            "bin": self.bin,
            "address": self.address.as_dict(),
            "chairman": {
                "full_name": self.chairman.full_name,
                "position": self.chairman.position.as_dict(),
            },
            "accounts": {
                "current": _account_wire(self.accounts.current),
                "savings": _account_wire(self.accounts.savings) if self.accounts.savings else None,
            },
            "contacts": {"phone": self.contacts.phone, "email": self.contacts.email},
        }


def _account(data: Mapping[str, str]) -> BankAccount:
    return BankAccount(iban=data["iban"], bank=data["bank"], bic=data["bic"])


def _account_wire(account: BankAccount) -> dict[str, str]:
    return {"iban": account.iban, "bank": account.bank, "bic": account.bic}
