"""The creditor as clients register it (``shared/contract/creditor.json``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from service.kit.fields import Bin, Iban, In, Out, Text


class LocalizedIn(In):
    kk: Text
    ru: Text


class BankAccountIn(In):
    iban: Iban
    bank: Text
    bic: Annotated[str, Field(pattern=r"^[A-Z0-9]{8}([A-Z0-9]{3})?$")]


class AccountsIn(In):
    current: BankAccountIn
    savings: BankAccountIn | None = None


class ChairmanIn(In):
    full_name: Text
    position: LocalizedIn


class ContactsIn(In):
    phone: Text | None = None
    email: Text | None = None


class CreditorIn(In):
    name: LocalizedIn
    form: Literal["osi", "ksk", "management_company"]
    bin: Bin
    address: LocalizedIn
    chairman: ChairmanIn
    accounts: AccountsIn
    contacts: ContactsIn = ContactsIn()


class CreditorCreated(Out):
    id: str
