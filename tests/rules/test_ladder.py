"""The default ladder, rule by rule. Each test names the rule id and the provision it proves.

Dates use the Kazakhstan calendar in legal/calendar/kz.yaml unless a test says otherwise.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from service.agreements.restructuring import AgreementPayment
from service.cases.debt import Payment
from service.documents.schemas import ExplainOut
from service.kernel.calendar import WEEKENDS_ONLY
from service.kernel.route import Route
from service.rules import (
    DeliveryStatus,
    DocumentKind,
    OverrideRefused,
    RequestedDocument,
    RuleKind,
    evaluate_all,
)
from service.rules.schemas import RuleOut
from tests.cases.builders import d, kz, monthly, target
from tests.rules.builders import document, history, rulebook, signed_agreement

REMINDER = RequestedDocument(DocumentKind.REMINDER)
WARNING = RequestedDocument(DocumentKind.WARNING)
PRETRIAL = RequestedDocument(DocumentKind.PRETRIAL, route=Route.NOTARY)
RESTRUCTURING = RequestedDocument(DocumentKind.RESTRUCTURING, language="bilingual")


def by_rule(evaluation):
    return {v.rule: v for v in evaluation.violations}


# --- overdue-required (law, housing law art. 34-1 p. 8) ---------------------------------------


def test_overdue_required_refuses_reminder_before_due_date_housing_34_1_p8() -> None:
    """overdue-required / housing-34-1-p8: February 2027 is due 25 March 2027; a reminder on
    that day is refused and passes on the 26th."""
    case = history(monthly("2027-02", "2027-02"), "2027-03-25")
    result = evaluate_all(rulebook(), case, REMINDER, d("2027-03-25"), kz())
    violation = by_rule(result)["overdue-required"]
    assert violation.kind is RuleKind.LAW
    assert violation.provision == "housing-34-1-p8"
    assert violation.passes_on == d("2027-03-26")
    assert violation.message.ru and violation.message.kk and violation.message.en
    assert evaluate_all(rulebook(), case, REMINDER, d("2027-03-26"), kz()).allowed


def test_overdue_required_with_nothing_unpaid_has_no_passes_on() -> None:
    """overdue-required / housing-34-1-p8: paid in full → refused, time alone will not help."""
    case = history(
        monthly("2027-02", "2027-02"), "2027-04-01", [Payment(d("2027-03-20"), D("9360.00"))]
    )
    violation = by_rule(evaluate_all(rulebook(), case, REMINDER, d("2027-04-01"), kz()))
    assert violation["overdue-required"].passes_on is None


# --- pretrial-two-month-gate (law, housing 34-1 p. 10, ГК 174 p. 3, ГК 175) ------------------

GATE_CASES = [
    pytest.param(
        "2026-03-25", WEEKENDS_ONLY, "2026-05-26", id="25-march-plus-2-months-ends-25-may-gk-174"
    ),
    pytest.param("2027-03-25", None, "2027-05-26", id="25-march-2027-kz-calendar-ends-25-may"),
    pytest.param(
        "2027-12-31", WEEKENDS_ONLY, "2028-03-01", id="31-dec-ends-29-feb-in-leap-year-gk-174-p3"
    ),
    pytest.param("2029-12-31", WEEKENDS_ONLY, "2030-03-01", id="31-dec-ends-28-feb-gk-174-p3"),
    pytest.param(
        "2026-12-31",
        None,
        "2027-03-02",
        id="31-dec-ends-28-feb-a-sunday-moves-to-monday-1-mar-gk-175",
    ),
    pytest.param(
        "2026-01-23",
        None,
        "2026-03-27",
        id="end-on-nauryz-23-mar-moves-past-carry-overs-to-26-mar-gk-175",
    ),
]


@pytest.mark.parametrize(("due", "calendar", "passes_on"), GATE_CASES)
def test_pretrial_two_month_gate_passes_on_day_after_due_plus_two_months(
    due: str, calendar: object, passes_on: str
) -> None:
    """pretrial-two-month-gate / housing-34-1-p10 (ГК 174 p. 3, ГК 175): a pre-court letter
    before the gate is refused with passes_on = the day after (due date + 2 months)."""
    cal = calendar or kz()
    assert cal is not None
    case = history([target(due)], due, calendar=cal)
    before = evaluate_all(rulebook(), case, PRETRIAL, d(due), cal)
    violation = by_rule(before)["pretrial-two-month-gate"]
    assert violation.kind is RuleKind.LAW
    assert violation.provision == "housing-34-1-p10"
    assert violation.passes_on == d(passes_on)
    on_gate = evaluate_all(rulebook(), case, PRETRIAL, d(passes_on), cal)
    assert "pretrial-two-month-gate" not in by_rule(on_gate)


# --- warning-after-reminder-delivery (policy) -------------------------------------------------


def test_warning_waits_10_working_days_from_delivery_skipping_nauryz() -> None:
    """warning-after-reminder-delivery (policy; delivery per edoc-7-p2-4): the reminder was sent
    10 March 2026 and delivered 18 March; 23–25 March are days off (Nauryz and carry-overs), so
    10 working days from delivery end on 6 April, not 1 April, and never count from sending."""
    reminder = document(DocumentKind.REMINDER, "2026-03-10", "2026-03-18")
    case = history(monthly("2026-01", "2026-01"), "2026-04-03", documents=(reminder,))
    refused = by_rule(evaluate_all(rulebook(), case, WARNING, d("2026-04-03"), kz()))
    violation = refused["warning-after-reminder-delivery"]
    assert violation.kind is RuleKind.POLICY
    assert violation.provision is None  # a policy is never cited as law
    assert "not a legal requirement" in violation.message.en
    assert "не требование закона" in violation.message.ru
    assert violation.passes_on == d("2026-04-06")
    assert evaluate_all(rulebook(), case, WARNING, d("2026-04-06"), kz()).allowed


@pytest.mark.parametrize(
    "status",
    [
        DeliveryStatus.PENDING,
        DeliveryStatus.FAILED,
        DeliveryStatus.RETURNED,
        DeliveryStatus.REFUSED,
    ],
)
def test_warning_refused_when_reminder_not_delivered(status: DeliveryStatus) -> None:
    """warning-after-reminder-delivery: an undelivered (or, by default, returned/refused)
    reminder does not count; time alone will not fix it, so passes_on is None."""
    delivered_at = (
        None if status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED) else "2026-03-18"
    )
    reminder = document(DocumentKind.REMINDER, "2026-03-10", delivered_at, status)
    case = history(monthly("2026-01", "2026-01"), "2026-06-01", documents=(reminder,))
    violation = by_rule(evaluate_all(rulebook(), case, WARNING, d("2026-06-01"), kz()))
    assert violation["warning-after-reminder-delivery"].passes_on is None


def test_reminder_from_an_earlier_paid_episode_does_not_count() -> None:
    """warning-after-reminder-delivery: only documents of the current arrears count."""
    old = document(DocumentKind.REMINDER, "2025-10-01", "2025-10-03")
    charges = monthly("2025-08", "2025-08") + monthly("2026-04", "2026-04")
    payments = [Payment(d("2025-10-10"), D("9360.00"))]
    case = history(charges, "2026-07-01", payments, documents=(old,))
    assert "warning-after-reminder-delivery" in by_rule(
        evaluate_all(rulebook(), case, WARNING, d("2026-07-01"), kz())
    )


# --- per-creditor overrides -------------------------------------------------------------------


def test_override_for_one_creditor_changes_its_outcome_and_not_the_defaults() -> None:
    """warning-after-reminder-delivery: creditor A counts returned letters (the one
    ``delivery-outcome`` setting since issue 10; before, a parameter of each rule) and waits 5
    working days; creditor B (no overrides; the default then did not count them) is still
    refused; the defaults are untouched."""
    reminder = document(DocumentKind.REMINDER, "2026-03-10", "2026-03-18", DeliveryStatus.RETURNED)
    case = history(monthly("2026-01", "2026-01"), "2026-03-30", documents=(reminder,))
    creditor_a = {
        "delivery-outcome": {"count_returned_refused": True},
        "warning-after-reminder-delivery": {"working_days": 5},
    }
    a = evaluate_all(rulebook(), case, WARNING, d("2026-03-30"), kz(), creditor_a)
    b = evaluate_all(rulebook(), case, WARNING, d("2026-03-30"), kz())
    assert a.allowed  # 18 Mar + 5 working days (19, 20, 26, 27, 30) = 30 Mar
    assert "warning-after-reminder-delivery" in by_rule(b)
    entry = next(t for t in a.trace if t.rule == "warning-after-reminder-delivery")
    assert entry.overridden == ("working_days",)
    params, _, _ = rulebook().parameters("warning-after-reminder-delivery", d("2026-03-30"))
    assert params.values == {"working_days": 10}
    setting, _, _ = rulebook().parameters("delivery-outcome", d("2026-03-30"))
    assert setting.values == {"count_returned_refused": False}


def test_policy_rule_can_be_switched_off_for_one_creditor() -> None:
    """pretrial-after-warning-deadline (policy) switched off: shown as disabled in the trace."""
    case = history(monthly("2026-01", "2026-01"), "2026-06-01")
    overrides = {"pretrial-after-warning-deadline": {"enabled": False}}
    result = evaluate_all(rulebook(), case, PRETRIAL, d("2026-06-01"), kz(), overrides)
    assert result.allowed
    entry = next(t for t in result.trace if t.rule == "pretrial-after-warning-deadline")
    assert entry.outcome.value == "disabled"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"pretrial-two-month-gate": {"enabled": False}}, "law_rule"),
        ({"overdue-required": {"enabled": False}}, "law_rule"),
        ({"no-such-rule": {"x": 1}}, "unknown_rule"),
        ({"warning-after-reminder-delivery": {"days": 3}}, "unknown_parameter"),
        ({"warning-after-reminder-delivery": {"working_days": "ten"}}, "type"),
        ({"warning-after-reminder-delivery": {"working_days": True}}, "type"),
    ],
)
def test_law_rules_cannot_be_overridden(overrides: dict[str, dict[str, object]], code: str) -> None:
    """A law rule (e.g. pretrial-two-month-gate / housing-34-1-p10) cannot be switched off."""
    case = history(monthly("2026-01", "2026-01"), "2026-06-01")
    with pytest.raises(OverrideRefused) as refused:
        evaluate_all(rulebook(), case, PRETRIAL, d("2026-06-01"), kz(), overrides)
    assert [e.code for e in refused.value.errors] == [code]


# --- the pre-court letter: all conditions together --------------------------------------------


def _ready_for_pretrial() -> tuple[list, tuple]:
    reminder = document(DocumentKind.REMINDER, "2026-03-02", "2026-03-04")
    warning = document(DocumentKind.WARNING, "2026-04-01", "2026-04-03", deadline="2026-04-20")
    # December 2025 is due 25 January 2026 (a Sunday → 26 January); its gate opens 27 March.
    return monthly("2025-12", "2026-02"), (reminder, warning)


def test_pretrial_after_warning_deadline_policy() -> None:
    """pretrial-after-warning-deadline (policy), #13 (research A.5: periods run from delivery):
    the warning of 1 April gave 19 days (deadline 20 April); delivered 3 April, the debtor has
    until 22 April, so the letter may go out on 23 April, not 21."""
    charges, documents = _ready_for_pretrial()
    case = history(charges, "2026-04-20", documents=documents)
    violation = by_rule(evaluate_all(rulebook(), case, PRETRIAL, d("2026-04-21"), kz()))
    assert violation["pretrial-after-warning-deadline"].passes_on == d("2026-04-23")
    assert "22.04.2026" in violation["pretrial-after-warning-deadline"].message.ru
    assert not evaluate_all(rulebook(), case, PRETRIAL, d("2026-04-22"), kz()).allowed
    assert evaluate_all(rulebook(), case, PRETRIAL, d("2026-04-23"), kz()).allowed


def test_all_violations_are_reported_at_once_with_full_trace() -> None:
    """evaluate_all: every rule appears in the trace; every failing one is a violation."""
    case = history(monthly("2026-01", "2026-01"), "2026-03-01")
    result = evaluate_all(
        rulebook(), case, RequestedDocument(DocumentKind.PRETRIAL), d("2026-03-01"), kz()
    )
    assert set(by_rule(result)) == {
        "pretrial-two-month-gate",
        "pretrial-after-warning-deadline",
    }
    assert [t.rule for t in result.trace] == [r.id for r in rulebook().rules]
    assert result.allowed is False


def test_pretrial_refused_while_agreement_performs_and_allowed_once_it_defaults() -> None:
    """pretrial-not-during-agreement (policy, informed by gk-183): signed 22 April 2026, three
    instalments on 10 May, 10 June, 10 July; the first is paid on time, then nothing. While the
    agreement performs (1 June) or is late within its 30 days (10 July) the pre-court letter is
    refused; on 11 July the 10 June instalment is more than 30 days late → defaulted → allowed."""
    charges, documents = _ready_for_pretrial()
    base = history(charges, "2026-04-22", documents=documents)
    agreement = signed_agreement(base, 3, "2026-05-10", "2026-04-21", "2026-04-22")
    first = agreement.schedule.instalments[0].total
    agreement = agreement.record_payment(AgreementPayment(d("2026-05-08"), first))
    for day in ("2026-06-01", "2026-07-10"):
        performing = history(charges, day, documents=documents, agreements=(agreement,))
        violation = by_rule(evaluate_all(rulebook(), performing, PRETRIAL, d(day), kz()))
        assert set(violation) == {"pretrial-not-during-agreement"}, day
        assert violation["pretrial-not-during-agreement"].passes_on is None
    defaulted = history(charges, "2026-07-11", documents=documents, agreements=(agreement,))
    assert evaluate_all(rulebook(), defaulted, PRETRIAL, d("2026-07-11"), kz()).allowed


def test_restructuring_any_time_after_first_overdue_item() -> None:
    """overdue-required (law) + restructuring-not-during-agreement (policy)."""
    case = history(monthly("2026-01", "2026-01"), "2026-02-26")
    assert evaluate_all(rulebook(), case, RESTRUCTURING, d("2026-02-26"), kz()).allowed
    agreement = signed_agreement(case, 2, "2026-03-10", "2026-02-26", "2026-02-27")
    again = history(monthly("2026-01", "2026-01"), "2026-03-02", agreements=(agreement,))
    violation = by_rule(evaluate_all(rulebook(), again, RESTRUCTURING, d("2026-03-02"), kz()))
    assert set(violation) == {"restructuring-not-during-agreement"}


def test_trace_and_rules_serialise_for_explain_and_listing() -> None:
    """The explain trace and the rule listing (the response schemas the endpoints return) are
    plain JSON a lawyer can read."""
    case = history(monthly("2026-01", "2026-01"), "2026-03-01")
    result = evaluate_all(rulebook(), case, PRETRIAL, d("2026-03-01"), kz())
    payload = ExplainOut.of(result, []).model_dump(mode="json")
    assert payload["allowed"] is False
    gate = next(t for t in payload["trace"] if t["rule"] == "pretrial-two-month-gate")
    assert gate["violation"]["passes_on"] == "2026-04-28"
    assert gate["provisions"] == ["housing-34-1-p10", "gk-174", "gk-175"]
    assert gate["violation"] in payload["violations"]
    listing = [
        RuleOut.model_validate(r.spec.as_dict()).model_dump(mode="json", by_alias=True)
        for r in rulebook().rules
    ]
    warning = next(r for r in listing if r["id"] == "warning-after-reminder-delivery")
    first = warning["parameters"]["working_days"][0]
    assert (first["from"], first["value"]) == ("2025-01-01", 10)
