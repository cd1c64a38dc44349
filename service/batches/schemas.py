"""Batches as clients send them and as the API reports them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from service.batches.progress import BatchStatus
from service.documents.schemas import IssueIn
from service.kit.fields import Identifier, In, Out

MAX_ITEMS = 100_000


class BatchItemIn(IssueIn):
    """One notice: the case's external id and the same fields as an issue request's body."""

    case: Identifier

    def issue_request(self) -> IssueIn:
        return IssueIn.model_validate(self.model_dump(exclude={"case"}))


class BatchIn(In):
    items: Annotated[list[BatchItemIn], Field(min_length=1, max_length=MAX_ITEMS)]


class BatchAcceptedOut(Out):
    id: str
    status: BatchStatus
    total: int
    url: str


class ItemOut(Out):
    line: int
    """The item's position in the request (from 1), or the file's first row of the case."""
    case: str
    kind: str
    language: str
    status: Literal["pending", "issued", "refused", "error"]
    document_id: str | None = None
    number: str | None = None
    url: str | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list)
    violations: list[dict[str, Any]] = Field(default_factory=list)


class BatchOut(Out):
    id: str
    status: BatchStatus
    source: str
    filename: str | None
    total: int
    done: int
    issued: int
    """How many documents were issued (each listed in ``documents``)."""
    refused: list[ItemOut]
    """Every refused item with its reasons (field errors and rule violations)."""
    errors: list[ItemOut]
    """Every item that failed for another reason (an outage, a bug), with what happened."""
    documents: list[ItemOut]
    summary_url: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
