"""The sample documents (``service.demo.samples``, built by the real facts builder) and how a
test renders them: the same presenter and renderer issuing uses."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from service.cases.case import DebtCase
from service.demo.samples import NAME, sample_case, sample_facts, sample_request
from service.documents.facts import DocumentFacts
from service.documents.present import present
from service.rendering.base import TemplateRef
from service.rendering.typst import TypstRenderer

__all__ = [
    "DEBT_ROW",
    "NAME",
    "render",
    "sample_case",
    "sample_facts",
    "sample_request",
    "with_debtor",
]

_AMOUNT = r"\d{1,3}(?:\s\d{3})*,\d\d"
DEBT_ROW = re.compile(
    rf"(текущие|накопительные)\s*{_AMOUNT}\s+{_AMOUNT}\s+{_AMOUNT}\s+\d\d\.\d\d\.20\d\d"
)
"""A row of a debt table as pypdf reads it: the contribution, charged, paid, outstanding and
the due date (a penalty row has two amounts, base and rate, before its dates)."""


def render(renderer: TypstRenderer, facts: DocumentFacts) -> bytes:
    template = TemplateRef(facts.kind, facts.language)
    return renderer.render(template, present(facts), created=facts.issue_date)


def with_debtor(case: DebtCase, **fields: Any) -> DebtCase:
    """The case with some of its debtor's fields changed (``None`` for absent)."""
    return dataclasses.replace(case, debtor=dataclasses.replace(case.debtor, **fields))
