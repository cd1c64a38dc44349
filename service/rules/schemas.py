"""The rulebook and a creditor's policy as clients read and change them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt, StrictStr

from service.kit.fields import In, Out
from service.kit.http_errors import ViolationOut

PolicyValue = StrictBool | StrictInt | StrictStr
"""A parameter value as sent: true/false, a whole number or a string (decimals as strings)."""


class PolicyIn(In):
    """``PUT /v1/policy``: rule id → parameter → value; each listed rule's override replaces the
    creditor's previous one for that rule (``{}`` returns it to the defaults)."""

    overrides: Annotated[dict[str, dict[str, PolicyValue]], Field(min_length=1)]
    effective_from: dt.date | None = None


class OverrideOut(Out):
    rule: str
    parameters: dict[str, Any]
    effective_from: dt.date
    recorded_at: dt.datetime
    actor: str


class RuleSettingOut(Out):
    id: str
    kind: str
    configurable: bool
    provisions: list[str]
    informed_by: list[str]
    defaults: dict[str, Any]
    effective: dict[str, Any]
    enabled: bool
    overridden: list[str]
    override: OverrideOut | None


class PolicyOut(Out):
    creditor: str
    on_date: dt.date
    rules: list[RuleSettingOut]
    history: list[OverrideOut]


class DatedValueOut(Out):
    from_: Annotated[dt.date, Field(alias="from")]
    value: Any
    note: str


class RuleOut(Out):
    id: str
    kind: str
    applies_to: list[str]
    provisions: list[str]
    informed_by: list[str]
    description: dict[str, str]
    parameters: dict[str, list[DatedValueOut]]


class RulesOut(Out):
    rules: list[RuleOut]
    settings: list[RuleOut]
    citations: dict[str, dict[str, str]]
    kinds: dict[str, str]


class TraceEntryOut(Out):
    rule: str
    kind: str
    provisions: list[str]
    informed_by: list[str]
    outcome: str
    detail: dict[str, str]
    parameters: dict[str, Any]
    overridden: list[str]
    violation: ViolationOut | None
