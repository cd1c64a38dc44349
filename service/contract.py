"""The client contract (``shared/contract``) as typed input models.

Payloads are accepted as clients send them: extra fields are ignored, names are never renamed.
Every problem is reported at once with a dotted ``path``, a machine ``code`` and a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from service.domain.debt import Contribution, Period
from service.domain.identifiers import iban_problem, id_number_problem, normalize_iban
from service.domain.money import parse_amount
from service.errors import FieldError, ValidationFailed

ModelT = TypeVar("ModelT", bound=BaseModel)


def _iin(value: str) -> str:
    problem = id_number_problem(value)
    if problem:
        raise PydanticCustomError("iin_checksum", "ИИН {problem}", {"problem": problem})
    return value


def _bin(value: str) -> str:
    problem = id_number_problem(value)
    if problem:
        raise PydanticCustomError("bin_checksum", "БИН {problem}", {"problem": problem})
    return value


def _iban(value: str) -> str:
    problem = iban_problem(value)
    if problem:
        raise PydanticCustomError("iban_invalid", "IBAN {problem}", {"problem": problem})
    return normalize_iban(value)


def _amount(value: Any) -> Decimal:
    if isinstance(value, float):
        raise PydanticCustomError("amount_invalid", "send amounts as decimal strings, not floats")
    try:
        return parse_amount(str(value))
    except ValueError as exc:
        raise PydanticCustomError("amount_invalid", "{reason}", {"reason": str(exc)}) from exc


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise PydanticCustomError("amount_not_positive", "must be greater than zero")
    return value


def _period(value: str) -> str:
    try:
        Period.parse(value)
    except ValueError as exc:
        raise PydanticCustomError("period_invalid", "{reason}", {"reason": str(exc)}) from exc
    return value


Iin = Annotated[str, AfterValidator(_iin)]
Bin = Annotated[str, AfterValidator(_bin)]
Iban = Annotated[str, AfterValidator(_iban)]
Amount = Annotated[Decimal, BeforeValidator(_amount), AfterValidator(_positive)]
PeriodText = Annotated[str, AfterValidator(_period)]
Text = Annotated[str, Field(min_length=1, max_length=500)]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class Localized(_In):
    kk: Text
    ru: Text


class Account(_In):
    iban: Iban
    bank: Text
    bic: Annotated[str, Field(pattern=r"^[A-Z0-9]{8}([A-Z0-9]{3})?$")]


class Accounts(_In):
    current: Account
    savings: Account | None = None


class Chairman(_In):
    full_name: Text
    position: Localized


class Contacts(_In):
    phone: Text | None = None
    email: Text | None = None


class CreditorIn(_In):
    name: Localized
    form: Literal["osi", "ksk", "management_company"]
    bin: Bin
    address: Localized
    chairman: Chairman
    accounts: Accounts
    contacts: Contacts = Contacts()


class DebtorIn(_In):
    full_name: Text
    iin: Iin | None = None
    language: Literal["kk", "ru"] = "kk"
    email: Text | None = None
    phone: Text | None = None
    postal_address: Text | None = None


class UnitIn(_In):
    type: Literal["flat", "non_residential", "parking", "storage"]
    number: Annotated[str, Field(min_length=1, max_length=20)]
    area_m2: Amount | None = None


class Protocol(_In):
    number: Annotated[str, Field(min_length=1, max_length=50)]
    date: dt.date


class BasisIn(_In):
    contribution: Contribution
    protocol: Protocol
    monthly_amount: Amount | None = None


class ChargeIn(_In):
    period: PeriodText
    contribution: Contribution
    amount: Amount
    due_date: dt.date | None = None

    @model_validator(mode="after")
    def _target_needs_due_date(self) -> ChargeIn:
        if self.contribution is Contribution.TARGET and self.due_date is None:
            raise PydanticCustomError(
                "due_date_required",
                "a target contribution is due on the date the meeting set (housing law "
                "art. 34-1 p. 4): send due_date",
            )
        return self


class PaymentIn(_In):
    date: dt.date
    amount: Amount
    reference: Annotated[str, Field(max_length=200)] | None = None


class CaseIn(_In):
    external_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    debtor: DebtorIn
    unit: UnitIn
    basis: Annotated[list[BasisIn], Field(min_length=1)]
    charges: list[ChargeIn] = []
    payments: list[PaymentIn] = []

    @model_validator(mode="after")
    def _no_duplicate_charges(self) -> CaseIn:
        seen: set[tuple[str, str]] = set()
        for charge in self.charges:
            key = (charge.period, charge.contribution.value)
            if key in seen:
                raise PydanticCustomError(
                    "charge_duplicate",
                    "charge for {period} {contribution} is listed twice",
                    {"period": key[0], "contribution": key[1]},
                )
            seen.add(key)
        return self


DocumentKindName = Literal["reminder", "warning", "restructuring", "pretrial"]
LanguageName = Literal["kk", "ru", "bilingual"]


class RestructuringIn(_In):
    installments: Annotated[int, Field(ge=1, le=60)]
    first_due: dt.date
    waive_penalty: bool = False


class IssueIn(_In):
    kind: DocumentKindName
    language: LanguageName
    route: Literal["notary", "court"] | None = None
    restructuring: RestructuringIn | None = None
    deadline: dt.date | None = None


_CODES = {
    "missing": "required",
    "literal_error": "unknown_value",
    "enum": "unknown_value",
    "string_pattern_mismatch": "invalid_format",
    "string_too_short": "required",
    "string_too_long": "too_long",
    "string_type": "invalid_type",
    "date_from_datetime_parsing": "invalid_date",
    "date_parsing": "invalid_date",
    "date_type": "invalid_date",
    "list_type": "invalid_type",
    "model_type": "invalid_type",
    "dict_type": "invalid_type",
    "too_short": "too_short",
    "json_invalid": "invalid_json",
    "int_parsing": "invalid_number",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
}


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Translate pydantic's errors into the contract's ``{path, code, message}`` form."""
    return errors_from(exc.errors(include_url=False))


def errors_from(errors: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """The same for error dicts as pydantic and FastAPI report them (``loc``, ``type``, ``msg``).

    FastAPI prefixes where the value came from (``body``, ``query``, ``header``); a body field is
    named by its own path, anything else keeps its source (``header.idempotency-key``).
    """
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc[:1] == ["body"]:
            loc = loc[1:]
        code = _CODES.get(str(error.get("type")), str(error.get("type")))
        result.append(
            FieldError(path=".".join(loc) or "body", code=code, message=str(error["msg"]))
        )
    return result


def parse(model: type[ModelT], data: Any) -> ModelT:
    """Validate ``data`` as ``model`` or raise ``ValidationFailed`` listing every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(field_errors(exc)) from None


DeliveryChannel = Literal[
    "registered_post", "courier", "hand_delivery", "email", "sms", "portal", "post"
]
DeliveryStatus = Literal["delivered", "returned", "refused", "failed", "pending"]


class DeliveryIn(_In):
    """A delivery outcome. ``delivered_at`` is the legal delivery (or return/refusal) date."""

    channel: DeliveryChannel
    status: DeliveryStatus
    delivered_at: dt.date | None = None
    tracking_number: Annotated[str, Field(max_length=100)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _outcome_needs_date(self) -> DeliveryIn:
        if self.status in ("delivered", "returned", "refused") and self.delivered_at is None:
            raise PydanticCustomError(
                "delivered_at_required",
                "a {status} outcome needs delivered_at: waiting periods count from that date",
                {"status": self.status},
            )
        return self


# --- rules: policy, agreements, acknowledgments, hardship (issue 4) ---------------------------

PolicyValue = StrictBool | StrictInt | StrictStr
"""A parameter value as sent: true/false, a whole number or a string (decimals as strings)."""


class PolicyIn(_In):
    """``PUT /v1/policy``: rule id → parameter → value; each listed rule's override replaces the
    creditor's previous one for that rule (``{}`` returns it to the defaults)."""

    overrides: Annotated[dict[str, dict[str, PolicyValue]], Field(min_length=1)]
    effective_from: dt.date | None = None


class SignatureIn(_In):
    """The debtor signed the agreement on ``signed_on`` (this dates its acknowledgment)."""

    signed_on: dt.date
    note: Annotated[str, Field(max_length=2000)] | None = None


AcknowledgmentSource = Literal["letter", "notarised_statement", "protocol", "other"]


class AcknowledgmentIn(_In):
    """A written acknowledgment of the debt recorded apart from an agreement (ГК art. 183)."""

    date: dt.date
    source: AcknowledgmentSource
    notarised: bool = False
    """Whether a notary certified it (notary law art. 92-1 p. 3 asks for that unless the
    contract says otherwise)."""
    document_id: Annotated[str, Field(max_length=36)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class HardshipIn(_In):
    """A hardship flag from ``date``; ``active: false`` records that the hardship ended."""

    date: dt.date
    active: bool = True
    note: Annotated[str, Field(max_length=2000)] | None = None
