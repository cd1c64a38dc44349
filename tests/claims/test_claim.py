"""Notary- and court-route claims: principal by month and type, penalty only with a written
acknowledgment on the notary route (notary law 92-1 p. 3), the 3-year limit (92-2 p. 1–2),
venue hints (92-2 p. 3; ГПК 29), and lawyer flags where the law is unclear (ГК 178/179,
housing law 34-1 p. 9 part 2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from service.agreements.restructuring import Acknowledgment
from service.cases.debt import Charge, compute_debt
from service.cases.penalty import PenaltyPolicy, RateEntry, compute_penalty
from service.claims.claim import Addresses, Claim, build_claim
from service.kernel.period import Period
from service.kernel.route import Route
from tests.cases.builders import ACC, CUR, d, kz, monthly

POLICY = PenaltyPolicy(
    enabled=True,
    rates=(RateEntry(dt.date(2020, 1, 1), D("18.25")),),
    day_count=365,
    provision="gk-353",
    source={"ru": "базовая ставка", "kk": "базалық мөлшерлеме"},
)
ADDRESSES = Addresses(
    property="Алматы, мкр. Көктем-3, д. 21, кв. 45",
    registration="Алматы, ул. Абая, 10",
    residence="Астана, пр. Мәңгілік Ел, 5",
)


def claim(
    route: Route, on: str, acks: tuple[Acknowledgment, ...] = (), first: str = "2026-01"
) -> Claim:
    charges = monthly(first, "2026-04")
    summary = compute_debt(charges, [], d(on), kz())
    penalty = compute_penalty(summary.lines, d(on), POLICY)
    return build_claim(summary, penalty, route, acks, ADDRESSES, kz())


def test_notary_claim_excludes_penalty_without_acknowledgment_notary_92_1_p3() -> None:
    """notary-92-1-p3: no written acknowledgment → principal only, penalty left out."""
    result = claim(Route.NOTARY, "2026-06-15")
    assert result.penalty.included == D("0")
    assert result.penalty.left_out > 0
    assert result.penalty.provisions == ("notary-92-1-p3",)
    assert result.total == result.principal


def test_notary_claim_includes_penalty_with_acknowledgment_notary_92_1_p3() -> None:
    """notary-92-1-p3: with a written acknowledgment (e.g. a signed restructuring agreement)
    the penalty on the claimable items it covered is claimed."""
    ack = Acknowledgment(d("2026-04-01"), "agreement", "agr-1")
    result = claim(Route.NOTARY, "2026-06-15", (ack,))
    assert result.penalty.acknowledgment == ack
    assert "notary-92-1-p3" in result.penalty.provisions
    summary = compute_debt(monthly("2026-01", "2026-04"), [], d("2026-06-15"), kz())
    segments = compute_penalty(summary.lines, d("2026-06-15"), POLICY).segments
    on_claimable = sum(s.amount for s in segments if str(s.period) in ("2026-01", "2026-02"))
    assert result.penalty.included == on_claimable > 0
    assert result.total == result.principal + result.penalty.included


def test_acknowledgment_covers_only_items_due_by_its_date() -> None:
    """notary-92-1-p3: acknowledged on 1 March 2026, it covers January (due 25 February) but
    not February (due 26 March), so only January's penalty is claimed."""
    ack = Acknowledgment(d("2026-03-01"), "letter")
    result = claim(Route.NOTARY, "2026-06-15", (ack,))
    summary = compute_debt(monthly("2026-01", "2026-04"), [], d("2026-06-15"), kz())
    segments = compute_penalty(summary.lines, d("2026-06-15"), POLICY).segments
    assert result.penalty.included == sum(s.amount for s in segments if str(s.period) == "2026-01")


def test_only_items_past_the_two_month_gate_are_claimed_housing_34_1_p10() -> None:
    """housing-34-1-p10: on 15 June 2026 January (due 25 Feb, gate 28 April) and February
    (due 26 March, gate 27 May) are claimable; March (due 27 April, gate 28 June) and April
    (due 25 May) are listed as not yet claimable."""
    result = claim(Route.NOTARY, "2026-06-15")
    assert [str(i.period) for i in result.items] == ["2026-01", "2026-02"]
    assert [str(x.item.period) for x in result.not_yet_claimable] == ["2026-03", "2026-04"]
    assert result.by_month() == {
        result.items[0].period: {CUR: D("9360.00")},
        result.items[1].period: {CUR: D("9360.00")},
    }


def test_notary_excludes_and_lists_items_older_than_3_years_notary_92_2() -> None:
    """notary-92-2-p1-2: January 2023 was due 25 February 2023 (a Saturday → 27 February);
    3 years end 27 February 2026, so on 2 March 2026 it is excluded and listed."""
    result = claim(Route.NOTARY, "2026-03-02", first="2023-01")
    excluded = {str(x.item.period): x for x in result.excluded}
    assert "2023-01" in excluded and "2023-02" not in excluded
    listed = excluded["2023-01"]
    assert listed.code == "older_than_3_years"
    assert "notary-92-2-p1-2" in listed.provisions
    assert "unclear" in listed.message.en
    assert all(str(i.period) != "2023-01" for i in result.items)


def test_court_route_keeps_old_items_but_flags_them_for_a_lawyer() -> None:
    """gk-178 / gk-179 / housing-34-1-p9 part 2: the court route does not exclude; it flags,
    and says the interplay with the 2025 no-limitation rule is unclear."""
    result = claim(Route.COURT, "2026-03-02", first="2023-01")
    flagged = {str(x.item.period): x for x in result.flagged}
    assert "2023-01" in flagged
    assert flagged["2023-01"].code == "lawyer_review_older_than_3_years"
    assert any(str(i.period) == "2023-01" for i in result.items)
    assert result.penalty.included > 0  # court: penalty needs no acknowledgment


def test_acknowledgment_after_an_old_item_is_mentioned_gk_183() -> None:
    ack = Acknowledgment(d("2025-05-05"), "letter")
    result = claim(Route.NOTARY, "2026-03-02", (ack,), first="2023-01")
    assert "183" in result.excluded[0].message.ru


def test_venue_hints_notary_92_2_p3_and_court_gpk_29() -> None:
    notary = claim(Route.NOTARY, "2026-06-15").venues
    assert [(v.basis, v.provision) for v in notary] == [
        ("registration", "notary-92-2-p3"),
        ("residence", "notary-92-2-p3"),
        ("property", "notary-92-2-p3"),
    ]
    court = claim(Route.COURT, "2026-06-15").venues
    assert [(v.basis, v.address, v.provision) for v in court] == [
        ("residence", ADDRESSES.residence, "gpk-29")
    ]


def test_principal_by_contribution_type_and_account() -> None:
    charges = monthly("2026-01", "2026-01")
    charges.append(Charge(Period(2026, 1), ACC, D("1248.00")))
    summary = compute_debt(charges, [], d("2026-06-15"), kz())
    result = build_claim(
        summary, compute_penalty(summary.lines, d("2026-06-15"), POLICY), Route.NOTARY, (),
        ADDRESSES, kz(),
    )  # fmt: skip
    assert result.by_month() == {result.items[0].period: {CUR: D("9360.00"), ACC: D("1248.00")}}
    assert {i.account.value for i in result.items} == {"current", "savings"}
