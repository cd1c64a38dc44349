"""The penalty discount offer's condition, pure (finding #36; seed: «скидки на пени»).

The offer is the creditor's policy, never law (research C.11: waiving penalty needs a meeting or
board mandate; the penalty itself: housing law art. 34-1 p. 9, ГК art. 353). What it promises:
the penalty owed on the letter's date is written off (or reduced by a share) if the overdue
principal the letter states is paid in full by the deadline, inclusive; nothing otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from service.cases.case import DebtCase, Debtor, Unit, UnitType, assess
from service.cases.debt import Charge, Payment
from service.creditors.creditor import Creditor, MandatePower
from service.discounts.offer import (
    PenaltyOffer,
    condition_met,
    grant,
    penalty_on,
)
from service.discounts.policy import SETTING, policy_errors, terms_on
from service.kernel.money import to_tiyn
from service.kernel.period import Period
from tests.api import fixture
from tests.cases.builders import CUR, d, kz, law

LETTER = d("2026-07-01")
DEADLINE = d("2026-07-11")
STATED = D("30000.00")  # March, April, May 2026: 10 000,00 each, all overdue on 1 July


def case(*payments: tuple[str, str]) -> DebtCase:
    charges = tuple(Charge(Period(2026, m), CUR, D("10000.00")) for m in (3, 4, 5, 6))
    return DebtCase(
        id="c1",
        creditor_id="cr",
        external_id="X-1",
        debtor=Debtor("Жақсыбеков Нұрлан"),
        unit=Unit(UnitType.FLAT, "45"),
        basis=(),
        charges=charges,
        payments=tuple(Payment(d(day), D(amount)) for day, amount in payments),
    )


def offer(percent: str = "100", deadline: dt.date = DEADLINE) -> PenaltyOffer:
    return PenaltyOffer("warning-1", LETTER, deadline, D(percent))


def owed(the_case: DebtCase, on: str, *offers: PenaltyOffer) -> tuple[D, D]:
    """(accrued, owed after discounts) on ``on``: the one computation every reader uses."""
    debt = assess(the_case, d(on), kz(), law().penalty_policy)
    granted = grant(the_case, debt, offers, kz(), law().penalty_policy)
    return granted.penalty.accrued, granted.penalty.total


def letter_penalty(the_case: DebtCase) -> D:
    return penalty_on(the_case, LETTER, kz(), law().penalty_policy, ()).total


def test_36_met_when_the_stated_principal_is_paid_on_the_deadline_day() -> None:
    """#36: paid in full on the deadline (inclusive): the penalty owed on the letter's date is
    written off; penalty for days after the letter's date stays (housing law art. 34-1 p. 9)."""
    paid = case(("2026-07-11", "30000.00"))
    assert condition_met(offer(), paid, d("2026-08-01"), kz())
    accrued, net = owed(paid, "2026-08-01", offer())
    at_letter = letter_penalty(paid)
    assert at_letter > 0
    assert net == accrued - at_letter
    assert 0 < net < accrued  # ten more days of penalty on 30 000,00 stay owed


def test_36_missed_by_one_day_grants_nothing() -> None:
    """#36: the deadline is inclusive and no later: paid the day after, no discount at all."""
    late = case(("2026-07-12", "30000.00"))
    assert not condition_met(offer(), late, d("2026-08-01"), kz())
    accrued, net = owed(late, "2026-08-01", offer())
    assert net == accrued


def test_36_partial_payment_grants_nothing() -> None:
    """#36: the whole stated principal, or nothing: one tiyn short, no discount."""
    short = case(("2026-07-05", "29999.99"))
    assert not condition_met(offer(), short, d("2026-08-01"), kz())
    accrued, net = owed(short, "2026-08-01", offer())
    assert net == accrued


def test_36_june_charge_not_yet_due_on_the_letters_date_is_not_part_of_the_condition() -> None:
    """#36: the principal is the overdue principal the letter states (March to May); June was
    not due on 1 July (due 25 July: housing law art. 34-1 p. 8), so it need not be paid."""
    paid = case(("2026-07-10", "30000.00"))
    assert condition_met(offer(), paid, d("2026-09-01"), kz())


def test_36_a_share_reduces_each_lines_penalty_by_that_share_to_the_tiyn() -> None:
    """#36: 50 % reduces the penalty owed on the letter's date by half, line by line."""
    paid = case(("2026-07-01", "30000.00"))
    at_letter = penalty_on(paid, LETTER, kz(), law().penalty_policy, ())
    half = sum(to_tiyn(v * D("0.5")) for v in at_letter.by_line().values())
    accrued, net = owed(paid, "2026-08-01", offer("50"))
    assert half > 0
    assert net == accrued - half


def test_36_not_yet_met_before_payment_and_met_once_paid_in_time() -> None:
    """#36: judged on the day of the computation: before the payment nothing is granted; the
    same payment, once recorded and dated within the deadline, grants the discount."""
    unpaid = case()
    assert not condition_met(offer(), unpaid, d("2026-07-05"), kz())
    paid = case(("2026-07-04", "30000.00"))
    assert condition_met(offer(), paid, d("2026-07-05"), kz())


def test_36_deadline_measured_from_delivery_when_later() -> None:
    """#36 with #13: the deadline runs from receipt: delivered on 4 July, a ten-day deadline
    ends on 14 July; never before the printed deadline."""
    assert kz().term_from_receipt(LETTER, DEADLINE, d("2026-07-04")) == d("2026-07-14")
    assert kz().term_from_receipt(LETTER, DEADLINE, None) == d("2026-07-13")  # Sat 11 → Mon
    # ГК 175, as the ladder counts it: 8 July + 10 days is Saturday 18 July → Monday 20 July
    saturday = kz().term_from_receipt(d("2026-07-01"), d("2026-07-11"), d("2026-07-08"))
    assert saturday == d("2026-07-20")
    paid = case(("2026-07-13", "30000.00"))
    assert not condition_met(offer(), paid, d("2026-08-01"), kz())
    assert condition_met(offer(deadline=d("2026-07-14")), paid, d("2026-08-01"), kz())


def test_36_a_second_offer_is_a_share_of_what_is_owed_after_the_first() -> None:
    """#36: two letters, both honoured: the second writes off what was owed on its date after
    the first discount, never the same penalty twice."""
    paid = case(("2026-07-05", "30000.00"), ("2026-08-30", "10000.00"))
    first = offer()
    second = PenaltyOffer("warning-2", d("2026-08-26"), d("2026-09-05"), D("100"))
    accrued, net = owed(paid, "2026-10-01", first, second)
    assert 0 <= net < accrued
    only_first = owed(paid, "2026-10-01", first)[1]
    assert net < only_first


# --- the policy and its mandate ---------------------------------------------------------------


def creditor(mandate: dict[str, Any] | None = None) -> Creditor:
    profile = fixture("creditor.json")
    if mandate is not None:
        profile = {**profile, "mandates": {"penalty_discount": mandate}}
    return Creditor.from_profile("cr", profile)


MANDATE = {"body": "board", "protocol": {"number": "7", "date": "2026-06-15"}}


def test_36_offer_without_its_mandate_is_refused_naming_it() -> None:
    """#36, research C.11: writing off penalty needs a meeting or board mandate on record."""
    errors = policy_errors(law().rulebook, creditor(), {SETTING: {"percent": D("100")}}, LETTER)
    assert [(e.path, e.code) for e in errors] == [
        ("overrides.penalty-discount.percent", "mandate_missing")
    ]
    assert "mandates.penalty_discount" in errors[0].message


@pytest.mark.parametrize(
    ("percent", "day", "expected"),
    [
        ("100", "2026-07-01", []),
        ("0", "2026-07-01", []),
        ("150", "2026-07-01", [("overrides.penalty-discount.percent", "range")]),
        ("100", "2026-06-01", [("effective_from", "before_mandate")]),
    ],
)
def test_36_offer_with_its_mandate(percent: str, day: str, expected: list[Any]) -> None:
    with_mandate = creditor(MANDATE)
    assert with_mandate.mandate(MandatePower.PENALTY_DISCOUNT) is not None
    errors = policy_errors(law().rulebook, with_mandate, {SETTING: {"percent": D(percent)}}, d(day))
    assert [(e.path, e.code) for e in errors] == expected


def test_36_terms_hold_only_from_the_mandates_date() -> None:
    """No offer before the decision was taken, nor without a share set."""
    overrides = {SETTING: {"percent": D("50")}}
    with_mandate = creditor(MANDATE)
    assert terms_on(law().rulebook, with_mandate, d("2026-06-14"), overrides) is None
    terms = terms_on(law().rulebook, with_mandate, d("2026-06-15"), overrides)
    assert terms is not None and terms.percent == D("50") and not terms.waiver
    assert terms_on(law().rulebook, with_mandate, d("2026-07-01"), {}) is None  # default 0
    assert terms_on(law().rulebook, creditor(), d("2026-07-01"), overrides) is None
    # an offer a letter made stays made when the mandate is later replaced by a newer decision
    assert terms_on(law().rulebook, with_mandate, d("2026-06-14"), overrides, made=True)
