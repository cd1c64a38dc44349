"""Pure rules of issue 8: an agreement in force protects its debt (legal review #2), and the next
step waits for the previous letter's deadline counted from its delivery (legal review #13).

Each test names the finding, the rule id and the provision or research item behind it.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from service.agreements.restructuring import AgreementPayment
from service.cases.case import CaseDebt
from service.cases.penalty import compute_penalty
from service.kernel.route import Route
from service.rules import (
    DocumentKind,
    OverrideRefused,
    RequestedDocument,
    RuleKind,
    evaluate_all,
)
from service.rules.coverage import covered, defaulted, in_force, stated_debt
from tests.cases.builders import d, kz, law, monthly
from tests.rules.builders import document, history, rulebook, signed_agreement

REMINDER = RequestedDocument(DocumentKind.REMINDER)
WARNING = RequestedDocument(DocumentKind.WARNING)
PRETRIAL = RequestedDocument(DocumentKind.PRETRIAL, route=Route.NOTARY)
NOTICE_RULE = "notice-not-during-agreement"


def by_rule(evaluation):
    return {v.rule: v for v in evaluation.violations}


# --- #13: deadlines counted from delivery (research A.5; e-doc law art. 7 p. 2-4) --------------


def test_13_warning_waits_for_the_reminders_deadline_counted_from_delivery() -> None:
    """#13, warning-after-reminder-delivery (policy; research A.5: periods start at delivery).
    The reminder of 2 March 2026 gave 30 days (deadline 1 April) and was delivered 4 March: the
    debtor may pay until 3 April, so the warning waits until 4 April although 10 working days
    after delivery were over earlier."""
    reminder = document(DocumentKind.REMINDER, "2026-03-02", "2026-03-04", deadline="2026-04-01")
    case = history(monthly("2026-01", "2026-01"), "2026-04-03", documents=(reminder,))
    refused = by_rule(evaluate_all(rulebook(), case, WARNING, d("2026-04-03"), kz()))
    violation = refused["warning-after-reminder-delivery"]
    assert violation.passes_on == d("2026-04-04")
    assert "03.04.2026" in violation.message.ru and "03.04.2026" in violation.message.kk
    assert evaluate_all(rulebook(), case, WARNING, d("2026-04-04"), kz()).allowed


def test_13_a_deadline_counted_from_delivery_ending_on_a_day_off_moves_to_a_working_day() -> None:
    """#13, pretrial-after-warning-deadline (policy), ГК 175: the warning of 2 March 2026 gave
    10 days; delivered 11 March, its deadline counted from delivery is 21 March, a Saturday in
    the Nauryz days off (21–25 March), so it ends on 26 March and the letter may go on 27 March
    — not on 13 March (issue date + 10 days + 1), nor on 22 March."""
    reminder = document(DocumentKind.REMINDER, "2026-02-02", "2026-02-03")
    warning = document(DocumentKind.WARNING, "2026-03-02", "2026-03-11", deadline="2026-03-12")
    charges = monthly("2025-11", "2025-12")  # November due 25 December: gate opens 26 February
    case = history(charges, "2026-03-20", documents=(reminder, warning))
    violation = by_rule(evaluate_all(rulebook(), case, PRETRIAL, d("2026-03-20"), kz()))
    assert violation["pretrial-after-warning-deadline"].passes_on == d("2026-03-27")
    assert "26.03.2026" in violation["pretrial-after-warning-deadline"].message.ru
    assert evaluate_all(rulebook(), case, PRETRIAL, d("2026-03-27"), kz()).allowed


# --- #2: an agreement in force protects its debt (research A.4, C.11) --------------------------


def _agreement_case(as_of: str, paid_first: bool = True):  # type: ignore[no-untyped-def]
    """January and February 2026 restructured by an agreement issued 30 March, signed 31 March:
    two instalments, 10 April and 10 May. March (due 25 April, a Saturday → 27 April) is newer."""
    charges = monthly("2026-01", "2026-03")
    base = history(monthly("2026-01", "2026-02"), "2026-03-30")
    agreement = signed_agreement(base, 2, "2026-04-10", "2026-03-30", "2026-03-31")
    if paid_first:
        first = agreement.schedule.instalments[0].total
        agreement = agreement.record_payment(AgreementPayment(d("2026-04-10"), first))
    reminder = document(DocumentKind.REMINDER, "2026-03-02", "2026-03-03")
    return (
        charges,
        agreement,
        history(charges, as_of, documents=(reminder,), agreements=(agreement,)),
    )


def test_2_a_reminder_or_warning_for_the_debt_under_a_performing_agreement_is_refused() -> None:
    """#2, notice-not-during-agreement (contract: the agreement's schedule binds the creditor;
    research A.4 blocks collection while an agreement performs). On 20 April only the agreement's
    debt is overdue: both notices are refused, naming the agreement, with no passes_on (a
    default or newer arrears must come first), and the refusal says it is no legal requirement."""
    _, _, case = _agreement_case("2026-04-20")
    for requested in (REMINDER, WARNING):
        violation = by_rule(evaluate_all(rulebook(), case, requested, d("2026-04-20"), kz()))[
            NOTICE_RULE
        ]
        assert violation.kind is RuleKind.CONTRACT and violation.provision is None
        assert violation.passes_on is None
        assert "№ agr-1 от 30.03.2026" in violation.message.ru
        assert "30.03.2026 № agr-1" in violation.message.kk
        assert "не требование закона" in violation.message.ru


def test_2_newer_arrears_outside_the_agreement_may_be_claimed_alone() -> None:
    """#2: on 28 April March's contribution (due 27 April) is overdue and outside the agreement:
    a reminder may go out, stating only March, with penalty on March only; a warning still needs
    a reminder delivered during these newer arrears (the March 2 reminder was about the
    restructured debt, warning-after-reminder-delivery)."""
    _, agreement, case = _agreement_case("2026-04-28")
    on = d("2026-04-28")
    assert evaluate_all(rulebook(), case, REMINDER, on, kz()).allowed
    assert set(by_rule(evaluate_all(rulebook(), case, WARNING, on, kz()))) == {
        "warning-after-reminder-delivery"
    }
    ref = in_force(case, on, kz())
    assert ref is not None and ref.number == "agr-1"
    assert [line.period.month for line in case.debt.lines if covered(line, agreement)] == [1, 2]
    policy = law().penalty_policy
    full = CaseDebt(case.debt, compute_penalty(case.debt.lines, on, policy))
    stated = stated_debt("reminder", full, case, on, kz(), policy)
    assert [line.period.month for line in stated.summary.lines] == [3]
    assert stated.summary.totals.overdue == D("9360.00")
    assert {s.period.month for s in stated.penalty.segments} <= {3}
    assert stated_debt("pretrial", full, case, on, kz(), policy) is full


def test_2_the_notice_rule_binds_the_creditor_and_cannot_be_switched_off() -> None:
    """#2 and reliability review D4: contract rules (notice-not-during-agreement,
    restructuring-not-during-agreement) are not the creditor's policy: no override."""
    _, _, case = _agreement_case("2026-04-20")
    for rule in (NOTICE_RULE, "restructuring-not-during-agreement"):
        with pytest.raises(OverrideRefused) as refused:
            evaluate_all(
                rulebook(), case, REMINDER, d("2026-04-20"), kz(), {rule: {"enabled": False}}
            )
        assert [e.code for e in refused.value.errors] == ["contract_rule"]


def test_12_after_a_default_the_agreement_protects_nothing() -> None:
    """#12: nothing paid; the first instalment (10 April) is more than 30 days late on 11 May:
    the agreement is in default, no longer in force; a reminder may claim its debt again, and the
    pre-court letter finds the defaulted agreement to name."""
    _, _, case = _agreement_case("2026-05-11", paid_first=False)
    on = d("2026-05-11")
    assert in_force(case, on, kz()) is None
    ref = defaulted(case, on, kz())
    assert ref is not None and ref.status.defaulted_on == d("2026-05-11")
    assert NOTICE_RULE not in by_rule(evaluate_all(rulebook(), case, REMINDER, on, kz()))
