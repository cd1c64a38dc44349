"""The creditor as clients register it (``shared/contract/creditor.json``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from service.kit.fields import Bin, GivenText, Iban, Out, PrintedIn, Text


class LocalizedIn(PrintedIn):
    kk: Text
    ru: Text


class BankAccountIn(PrintedIn):
    iban: Iban
    bank: GivenText
    bic: Annotated[str, Field(pattern=r"^[A-Z0-9]{8}([A-Z0-9]{3})?$")]


class AccountsIn(PrintedIn):
    current: BankAccountIn
    savings: BankAccountIn | None = None


class ChairmanIn(PrintedIn):
    full_name: Text
    position: LocalizedIn
    gender: Literal["female", "male"] | None = None
    """Optional: the documents use wording that needs no declension by gender (#3)."""


class ManagementContractIn(PrintedIn):
    """A КСК's or management company's contract with the ОСИ (housing law art. 51-4)."""

    number: Annotated[str, Field(min_length=1, max_length=50)]
    date: dt.date


class ContactsIn(PrintedIn):
    phone: Text | None = None
    email: Text | None = None


class ProtocolIn(PrintedIn):
    number: Annotated[str, Field(min_length=1, max_length=50)]
    date: dt.date


class MandateIn(PrintedIn):
    """A recorded decision giving the chairman a power: the body that took it and its protocol."""

    body: Literal["meeting", "board"]
    protocol: ProtocolIn


MandatePowerName = Literal["penalty_waiver", "penalty_discount"]


class CreditorIn(PrintedIn):
    name: LocalizedIn
    form: Literal["osi", "ksk", "management_company"]
    bin: Bin
    address: LocalizedIn
    chairman: ChairmanIn
    accounts: AccountsIn
    contacts: ContactsIn = ContactsIn()
    place: LocalizedIn | None = None
    """Where it concludes agreements («Алматы қ.» / «г. Алматы»); default: the address's first
    part."""
    mandates: dict[MandatePowerName, MandateIn] = Field(default_factory=dict)
    """Powers given by a meeting or board decision (e.g. ``penalty_waiver``), creditor policy."""
    management_contract: ManagementContractIn | None = Field(default=None, validate_default=True)
    """Required for a КСК or a management company: it signs as management subject under this
    contract with the ОСИ (housing law art. 51-4; #1)."""

    @field_validator("management_contract")
    @classmethod
    def _contract_for_management_subject(
        cls, value: ManagementContractIn | None, info: ValidationInfo
    ) -> ManagementContractIn | None:
        form = info.data.get("form")
        if value is None and form in ("ksk", "management_company"):
            raise PydanticCustomError(
                "required",
                "a КСК or management company acts as management subject under its contract "
                "with the ОСИ (housing law art. 51-4): send management_contract "
                "{number, date}",
            )
        return value


class CreditorCreated(Out):
    id: str


class ProtocolOut(Out):
    number: str
    date: dt.date


class MandateOut(Out):
    power: MandatePowerName
    body: Literal["meeting", "board"]
    protocol: ProtocolOut


class MandatesOut(Out):
    creditor: str
    mandates: list[MandateOut]
