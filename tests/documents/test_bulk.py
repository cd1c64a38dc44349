"""``issue_many`` (contract C5): each item issued once ever, refusals as outcomes, progress."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import select

from service.bootstrap import Wiring
from service.documents import repository
from service.documents.bulk import BulkItem, ItemOutcome, issue_many
from service.documents.models import IssuedDocumentRow, VoidedNumberRow
from service.documents.schemas import IssueIn
from service.errors import RenderingFailed
from service.rendering.engines import EngineRegistry, Rendered
from service.signing import SigningFailed, verify_pdf
from tests.api import Tenant
from tests.documents.bulk_builders import issued_sequences, principal, put_cases, reminders
from tests.pdftext import contains


@pytest.mark.parametrize("render_batch", [1, 3])
def test_issue_many_issues_each_item_with_gapless_numbers_and_verifiable_pdfs(
    wiring: Wiring, tenant: Tenant, render_batch: int
) -> None:
    """One compile a notice (the default) and three a compile (split into one PDF each)."""
    cases = put_cases(wiring, tenant, 5)
    seen: list[ItemOutcome] = []
    outcomes = issue_many(
        wiring.db,
        wiring.issuing(),
        principal(wiring, tenant),
        reminders(cases),
        progress=seen.append,
        render_batch=render_batch,
    )
    assert [o.status for o in outcomes] == ["issued"] * 5
    assert seen == outcomes
    assert [o.number for o in outcomes] == [f"2026-0000{i}" for i in range(1, 6)]
    assert issued_sequences(wiring, tenant.creditor_id) == [1, 2, 3, 4, 5]
    with wiring.db.transaction(read_only=True) as session:
        from service.documents.repository import find

        for outcome in outcomes:
            assert outcome.document_id is not None
            row = find(session, outcome.document_id)
            assert row is not None and row.idempotency_key == outcome.idempotency_key
            pdf = wiring.archive.get(row.sha256)
            report = verify_pdf(pdf, trust_roots=[wiring.signer.certificate_der])
            assert report.ok, report.problems
            assert contains(pdf, str(outcome.number)), outcome  # its own number, not a neighbour's


def test_a_replayed_item_returns_the_earlier_document_and_issues_nothing(
    wiring: Wiring, tenant: Tenant
) -> None:
    cases = put_cases(wiring, tenant, 3)
    caller = principal(wiring, tenant)
    first = issue_many(wiring.db, wiring.issuing(), caller, reminders(cases))
    again = issue_many(wiring.db, wiring.issuing(), caller, reminders(cases))
    assert again == first
    assert issued_sequences(wiring, tenant.creditor_id) == [1, 2, 3]


def test_refusals_are_outcomes_with_the_api_error_shape_and_the_run_goes_on(
    wiring: Wiring, tenant: Tenant
) -> None:
    cases = put_cases(wiring, tenant, 2)
    items = [
        BulkItem("NO-SUCH-CASE", IssueIn(kind="reminder", language="kk"), "r:0"),
        BulkItem(cases[0], IssueIn(kind="reminder", language="xx"), "r:1"),
        BulkItem(cases[0], IssueIn(kind="pretrial", language="ru", route="notary"), "r:2"),
        BulkItem(cases[1], IssueIn(kind="reminder", language="kk"), "r:3"),
    ]
    outcomes = issue_many(wiring.db, wiring.issuing(), principal(wiring, tenant), items)
    assert [o.status for o in outcomes] == ["refused", "refused", "refused", "issued"]
    missing, language, early, issued = outcomes
    assert missing.errors[0]["path"] == "case" and missing.errors[0]["code"] == "not_found"
    assert {e["path"] for e in language.errors} == {"language"}
    assert early.violations and {"rule", "message"} <= set(early.violations[0])
    assert issued.number == "2026-00001"  # refusals took no number
    # the same key with another request is refused, naming the earlier document
    other = BulkItem(cases[1], IssueIn(kind="reminder", language="ru"), "r:3")
    (conflict,) = issue_many(wiring.db, wiring.issuing(), principal(wiring, tenant), [other])
    assert conflict.status == "refused" and conflict.errors[0]["code"] == "conflict"
    assert "2026-00001" in conflict.errors[0]["message"]


# --- failures after a number was allocated, and crashes -------------------------------------


@dataclass
class FailingEngine:
    """The real template engine, except for the documents numbered ``numbers``: a rendering
    failure."""

    inner: Any
    numbers: set[str]

    @property
    def name(self) -> str:
        return str(self.inner.name)

    def render(
        self, version_id: str, bundle: Any, view: Mapping[str, Any], **options: Any
    ) -> Rendered:
        if view["text"]["kk"]["number"] in self.numbers:
            raise RenderingFailed("the template could not be typeset: injected")
        rendered: Rendered = self.inner.render(version_id, bundle, view, **options)
        return rendered

    def render_many(
        self, version_id: str, bundle: Any, views: Sequence[Mapping[str, Any]], **options: Any
    ) -> list[Rendered | Exception]:
        """The others laid out together by the real engine, as a batch would be."""
        failing = [
            i for i, view in enumerate(views) if view["text"]["kk"]["number"] in self.numbers
        ]
        others = [view for i, view in enumerate(views) if i not in failing]
        outcomes: list[Rendered | Exception] = list(
            self.inner.render_many(version_id, bundle, others, **options)
        )
        for i in failing:
            outcomes.insert(i, RenderingFailed("the template could not be typeset: injected"))
        return outcomes

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass
class FailingSigner:
    """The real signer, except for the numbers in ``numbers``: a signing failure; or, with
    ``crash``, the process stopping right there (what an interruption looks like)."""

    inner: Any
    numbers: set[str]
    crash: bool = False

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        if any(reason.endswith(n) for n in self.numbers):
            if self.crash:
                raise KeyboardInterrupt
            raise SigningFailed("the PDF could not be signed: injected")
        signed: bytes = self.inner.sign(pdf, reason=reason, location=location)
        return signed

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.parametrize("render_batch", [1, 4])
def test_failures_after_numbering_void_the_number_and_a_crash_gives_numbers_back(
    wiring: Wiring, tenant: Tenant, render_batch: int
) -> None:
    cases = put_cases(wiring, tenant, 12)
    caller = principal(wiring, tenant)
    ports = wiring.issuing()
    items = reminders(cases)
    faulty = replace(
        ports,
        templates=replace(
            ports.templates,
            engines=EngineRegistry(
                [FailingEngine(ports.templates.engines.get("typst"), {"2026-00003"})]
            ),
        ),
        signer=FailingSigner(ports.signer, {"2026-00006"}),
    )
    outcomes = issue_many(wiring.db, faulty, caller, items[:8], group=5, render_batch=render_batch)
    assert [o.status for o in outcomes] == ["issued"] * 2 + ["error"] + ["issued"] * 2 + [
        "error"
    ] + ["issued"] * 2
    assert outcomes[2].errors[0]["code"] == "rendering_failed"
    assert "2026-00003" in outcomes[2].errors[0]["message"]
    assert outcomes[5].errors[0]["code"] == "signing_failed"

    # a crash in the middle of a group: the whole group rolls back, its numbers are free again
    crashing = replace(ports, signer=FailingSigner(ports.signer, {"2026-00011"}, crash=True))
    with pytest.raises(KeyboardInterrupt):
        issue_many(wiring.db, crashing, caller, items, group=4)
    with wiring.db.transaction(read_only=True) as session:
        books = repository.accounting(session, tenant.creditor_id, "outgoing", 2026)
    assert books.last == 10 and books.missing == [] and books.doubled == []

    # resumed: what was issued replays, the failed items are retried (their keys stayed free)
    resumed = issue_many(wiring.db, ports, caller, items, group=4)
    assert [o.status for o in resumed] == ["issued"] * 12
    assert [o.number for o in resumed[:2]] == [o.number for o in outcomes[:2]]
    with wiring.db.transaction(read_only=True) as session:
        books = repository.accounting(session, tenant.creditor_id, "outgoing", 2026)
        voided = session.scalars(select(VoidedNumberRow).order_by(VoidedNumberRow.sequence)).all()
    assert books.missing == [] and books.doubled == [] and books.last == 14
    assert sorted(books.issued) == sorted(set(range(1, 15)) - {3, 6})
    assert [(v.number, v.reason_code) for v in voided] == [
        ("2026-00003", "rendering_failed"),
        ("2026-00006", "signing_failed"),
    ]
    assert "injected" in voided[0].reason and voided[0].actor == caller.actor
    assert_every_document_verifies(wiring, tenant)


def test_two_runs_at_once_for_one_creditor_stay_gapless(wiring: Wiring, tenant: Tenant) -> None:
    cases = put_cases(wiring, tenant, 24)
    caller = principal(wiring, tenant)
    ports = wiring.issuing()
    runs = [reminders(cases[:12], "a"), reminders(cases[12:], "b")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(lambda items: issue_many(wiring.db, ports, caller, items, group=5), runs)
        )
    outcomes = [o for run in results for o in run]
    assert [o.status for o in outcomes] == ["issued"] * 24
    assert len({o.number for o in outcomes}) == 24
    assert issued_sequences(wiring, tenant.creditor_id) == list(range(1, 25))
    assert_every_document_verifies(wiring, tenant)


def assert_every_document_verifies(wiring: Wiring, tenant: Tenant) -> None:
    with wiring.db.transaction(read_only=True) as session:
        rows = session.scalars(
            select(IssuedDocumentRow).where(IssuedDocumentRow.creditor_id == tenant.creditor_id)
        ).all()
        for row in rows:
            pdf = wiring.archive.get(row.sha256)
            report = verify_pdf(pdf, trust_roots=[wiring.signer.certificate_der])
            assert report.ok, (row.number, report.problems)
            assert contains(pdf, row.number)
