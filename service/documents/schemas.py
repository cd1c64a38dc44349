"""Requests to issue, preview and explain a document, and the records and reports returned."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from service.cases.penalty import PenaltyResult
from service.documents.facts import IssueRequest, RestructuringTerms
from service.documents.kinds import default_kinds
from service.documents.kinds.spec import LANGUAGES
from service.documents.record import DocumentRecord
from service.errors import FieldError
from service.kernel.route import Route
from service.kit.fields import In, Out
from service.kit.http_errors import FieldErrorOut, ViolationOut
from service.kit.links import Links
from service.rules.model import Evaluation
from service.rules.schemas import TraceEntryOut


class RestructuringIn(In):
    installments: Annotated[int, Field(ge=1, le=60)]
    first_due: dt.date
    waive_penalty: bool = False


class IssueIn(In):
    """``kind`` and ``language`` are checked against the kinds the service issues, together
    with the rest of the request, so every problem is reported at once."""

    kind: Annotated[
        str,
        Field(min_length=1, max_length=40, json_schema_extra={"enum": default_kinds().names()}),
    ]
    language: Annotated[
        str,
        Field(
            min_length=1,
            max_length=20,
            json_schema_extra={"enum": list(LANGUAGES)},
        ),
    ]
    route: Route | None = None
    restructuring: RestructuringIn | None = None
    deadline: dt.date | None = None
    fields: dict[str, Any] | None = None
    """Values for the ``fields.*`` the template version live on the issue date declares (its
    schema: ``GET /v1/template-versions/{id}``); missing or invalid ones are a 422 ``fields.x``."""

    def to_request(self) -> IssueRequest:
        terms = self.restructuring
        return IssueRequest(
            kind=self.kind,
            language=self.language,
            route=self.route,
            restructuring=RestructuringTerms(
                terms.installments, terms.first_due, terms.waive_penalty
            )
            if terms
            else None,
            deadline=self.deadline,
            fields=self.fields,
        )


class DocumentOut(Out):
    id: str
    number: str
    kind: str
    language: str
    case: str
    issue_date: dt.date
    deadline: dt.date | None
    route: str | None
    """A pre-court letter's route, ``notary`` or ``court``; null for the other kinds."""
    sha256: str
    size: int
    template_version: str
    development_signature: bool
    signer: str
    created_at: dt.datetime
    pdf_url: str
    verify_url: str
    """The public verification page printed on the document and in its QR code: no API key,
    no debtor data."""
    verify_api_url: str
    """The keyed re-check for auditors (hash, signature and the audit chain)."""

    @classmethod
    def of(cls, record: DocumentRecord, links: Links) -> DocumentOut:
        return cls(
            id=record.id,
            number=record.number,
            kind=record.kind,
            language=record.language,
            case=record.case_external_id,
            issue_date=record.issue_date,
            deadline=record.deadline,
            route=record.route,
            sha256=record.sha256,
            size=record.size,
            template_version=record.template_version,
            development_signature=record.development_signature,
            signer=record.signer_subject,
            created_at=record.created_at,
            pdf_url=links.pdf(record.id),
            verify_url=links.public_verify(record.verify_token),
            verify_api_url=links.verify(record.id),
        )


class PenaltyRateOut(Out):
    effective_from: dt.date
    percent: str
    confidence: str
    """``verified`` (read in the National Bank's resolution) or ``to-confirm``."""


class PenaltyRatesOut(Out):
    """For the creditor, not the debtor (review #14): the rate-table rows the document's penalty
    applied and whether each is confirmed. ``status`` is ``to-confirm`` if any row is: the letter
    words the penalty as the creditor's own calculation, never as law, either way."""

    status: Literal["verified", "to-confirm"]
    provision: str
    day_count: int
    rates: list[PenaltyRateOut]

    @classmethod
    def of(cls, penalty: PenaltyResult) -> PenaltyRatesOut | None:
        used = penalty.rates_used()
        if not used:
            return None
        return cls(
            status="verified" if all(r.confirmed for r in used) else "to-confirm",
            provision=penalty.policy.provision,
            day_count=penalty.policy.day_count,
            rates=[
                PenaltyRateOut(
                    effective_from=r.effective_from,
                    percent=str(r.annual_percent),
                    confidence=r.confidence,
                )
                for r in used
            ],
        )


class ExplainOut(Out):
    """The dry run: every field error and every rule's outcome, nothing stored."""

    kind: str
    on_date: dt.date
    allowed: bool
    errors: list[FieldErrorOut]
    violations: list[ViolationOut]
    trace: list[TraceEntryOut]
    penalty_rates: PenaltyRatesOut | None = None
    """The penalty's rate-table status (null when the document states no penalty)."""

    @classmethod
    def of(
        cls, evaluation: Evaluation, errors: list[FieldError], penalty: PenaltyResult | None = None
    ) -> ExplainOut:
        return cls(
            kind=evaluation.requested.kind,
            on_date=evaluation.on_date,
            allowed=evaluation.allowed and not errors,
            errors=[FieldErrorOut(**e.as_dict()) for e in errors],
            violations=[ViolationOut.model_validate(v.as_dict()) for v in evaluation.violations],
            trace=[TraceEntryOut.model_validate(t.as_dict()) for t in evaluation.trace],
            penalty_rates=PenaltyRatesOut.of(penalty) if penalty is not None else None,
        )
