"""``issue_many`` (contract C5): each item issued once ever, refusals as outcomes, progress."""

from __future__ import annotations

from service.bootstrap import Wiring
from service.documents.bulk import BulkItem, ItemOutcome, issue_many
from service.documents.schemas import IssueIn
from service.signing import verify_pdf
from tests.api import Tenant
from tests.documents.bulk_builders import issued_sequences, principal, put_cases, reminders


def test_issue_many_issues_each_item_with_gapless_numbers_and_verifiable_pdfs(
    wiring: Wiring, tenant: Tenant
) -> None:
    cases = put_cases(wiring, tenant, 5)
    seen: list[ItemOutcome] = []
    outcomes = issue_many(
        wiring.db,
        wiring.issuing(),
        principal(wiring, tenant),
        reminders(cases),
        progress=seen.append,
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
            report = verify_pdf(
                wiring.archive.get(row.sha256), trust_roots=[wiring.signer.certificate_der]
            )
            assert report.ok, report.problems


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
