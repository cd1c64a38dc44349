"""Provisions as clients and lawyers read them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from service.kit.fields import Out
from service.law.provisions import Provision


class ActOut(Out):
    id: str
    title: dict[str, str]


class EditionOut(Out):
    from_: Annotated[dt.date, Field(alias="from")]
    amended_by: str | None
    note: str | None
    summary: dict[str, str]


class ProvisionOut(Out):
    id: str
    act: ActOut
    article: str
    paragraph: str | None
    subparagraph: str | None
    confidence: str
    source: str
    cite: dict[str, str]
    editions: list[EditionOut]

    @classmethod
    def of(cls, provision: Provision) -> ProvisionOut:
        return cls.model_validate(provision.as_dict())


class ProvisionsOut(Out):
    acts: list[str]
    provisions: list[ProvisionOut]
